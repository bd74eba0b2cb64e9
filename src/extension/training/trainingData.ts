/**
 * What a model trains on when its own dataset is missing: a folder chosen before for this model
 * (remembered per workspace), the sample dataset, or a folder the user picks now.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { makeSampleDataset, sampleDatasetDir } from './sampleDataset';

export class TrainingDataChooser {
  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly extensionPath: string,
  ) {}

  /**
   * The data to train on: the model's dataset when it exists; else a folder chosen before for this model;
   * else the sample dataset if it was made; else ask. `undefined` = the model's own; `null` = cancelled.
   */
  async dataDirFor(modelUri: vscode.Uri, datasetPath: string | undefined): Promise<string | undefined | null> {
    const base = dirname(modelUri.fsPath);
    if (datasetPath && existsSync(isAbsolute(datasetPath) ? datasetPath : join(base, datasetPath))) return undefined;
    const remembered = this.workspaceState.get<string>(dataKey(modelUri));
    if (remembered && existsSync(remembered)) return remembered;
    const sample = sampleDatasetDir(vscode.workspace.getWorkspaceFolder(modelUri)?.uri.fsPath ?? base);
    const items: (vscode.QuickPickItem & { action: 'sample' | 'choose' | 'make' })[] = [];
    if (existsSync(sample)) items.push({ label: '$(database) Use the sample dataset', description: vscode.workspace.asRelativePath(sample), action: 'sample' });
    items.push({ label: '$(folder-opened) Choose a data folder…', description: 'one sub-folder of images per class', action: 'choose' });
    if (!existsSync(sample)) items.push({ label: '$(add) Make the sample dataset', description: 'circles, squares and triangles, 28×28, offline', action: 'make' });
    const what = datasetPath ? `The model's dataset '${datasetPath}' does not exist.` : 'The model names no dataset.';
    const picked = await vscode.window.showQuickPick(items, { title: `${what} What should it train on?` });
    if (!picked) return null;
    if (picked.action === 'choose') return (await this.chooseFolder(modelUri)) ?? null;
    if (picked.action === 'make') await makeSampleDataset(this.extensionPath);
    await this.workspaceState.update(dataKey(modelUri), sample);
    return sample;
  }

  /** Forgets the remembered folder and asks for a new one. */
  async chooseAgain(modelUri: vscode.Uri): Promise<string | undefined> {
    await this.workspaceState.update(dataKey(modelUri), undefined);
    return this.chooseFolder(modelUri);
  }

  private async chooseFolder(modelUri: vscode.Uri): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: 'Train on this folder', defaultUri: vscode.Uri.file(dirname(modelUri.fsPath)) });
    const dir = picked?.[0]?.fsPath;
    if (dir) await this.workspaceState.update(dataKey(modelUri), dir);
    return dir;
  }
}

function dataKey(modelUri: vscode.Uri): string {
  return `cnnStudio.dataDir:${modelUri.toString()}`;
}
