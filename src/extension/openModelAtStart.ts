/**
 * A launcher (scripts/try.sh) names a model to show in the designer when the window opens:
 * CNN_STUDIO_OPEN_MODEL=<absolute path of a *.cnn.json inside the opened folder>. Why not VS Code's own
 * "open this file" (`code <folder> <file>`, code-server's `openFile` payload): on a first start those
 * files are opened before extensions have registered their editors, so a model opens as plain text.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { DESIGNER_VIEW_TYPE } from './editor/designerEditorProvider';
import { modelUriOfArg } from './model/modelResolver';
import type { OutputLog } from './outputLog';

export const OPEN_MODEL_ENV = 'CNN_STUDIO_OPEN_MODEL';

export function openModelNamedByLauncher(log: OutputLog, env: NodeJS.ProcessEnv = process.env): void {
  const path = env[OPEN_MODEL_ENV];
  const uri = path ? modelUriOfArg(path) : undefined;
  if (!path || !uri || !existsSync(path)) return;
  // Only a model of the opened folder: a variable inherited by some other window is not an instruction to it.
  if (!vscode.workspace.getWorkspaceFolder(uri)) return;
  void vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE).then(undefined, (err: unknown) => log.error(`open ${path} in the designer`, err));
}
