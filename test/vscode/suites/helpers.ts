/** Shared by the extension-host suites: the extension's API, a scratch folder in the workspace, waiting. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseModelText, serializeModel } from '../../../src/core/loader';
import type { CnnStudioApi } from '../../../src/extension/main';

export const EXTENSION_ID = 'cnn-studio.cnn-studio';

/** A new webview loads the designer bundle first; on a loaded CI machine that can take a while. */
export const FIRST_SNAPSHOT_MS = 45_000;

export async function extensionApi(): Promise<CnnStudioApi> {
  const ext = vscode.extensions.getExtension<CnnStudioApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder');
  return folder.uri;
}

let counter = 0;
/** A fresh file name in the workspace, so suites never see each other's files. */
export function scratchUri(stem: string, suffix = '.cnn.json'): vscode.Uri {
  counter++;
  return vscode.Uri.joinPath(workspaceRoot(), 'scratch', `${stem}-${process.pid}-${counter}${suffix}`);
}

export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

interface FixtureNode {
  id: string;
  type: string;
  params: Record<string, unknown>;
  inputs: string[];
}
interface FixtureModel {
  nodes: FixtureNode[];
  [key: string]: unknown;
}

/** A small valid model: Input → Conv2D → Flatten → Dense(64) → Dense(10); `change` may break it on purpose. */
export function smallModelText(change: (m: FixtureModel) => void = () => undefined): string {
  const model: FixtureModel = {
      format: 'cnn-studio-model',
      formatVersion: 1,
      name: 'small',
      compile: { optimizer: 'adam', learningRate: 0.001, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
      nodes: [
        { id: 'input1', type: 'Input', params: { shape: [28, 28, 1] }, inputs: [] },
        { id: 'conv1', type: 'Conv2D', params: { filters: 8 }, inputs: ['input1'] },
        { id: 'flatten1', type: 'Flatten', params: {}, inputs: ['conv1'] },
        { id: 'dense1', type: 'Dense', params: { units: 64 }, inputs: ['flatten1'] },
        { id: 'dense2', type: 'Dense', params: { units: 10, activation: 'softmax' }, inputs: ['dense1'] },
      ],
    };
  change(model);
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** The text CNN Studio itself would write for a model text (what files created by the extension look like). */
export function canonical(text: string): string {
  const { model, diagnostics } = parseModelText(text);
  assert.ok(model, `fixture does not load: ${JSON.stringify(diagnostics)}`);
  return serializeModel(model);
}
