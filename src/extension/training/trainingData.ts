/**
 * What a model trains on when its own dataset is missing: the sample dataset (made now if needed) or a
 * folder the user picks now. The answer is written into the model (one undo step), so the side bar and
 * the file show the data this run and every later run use; a note says what the folder holds.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { reportDatasetChoice, setDatasetFolder } from '../commands/useFolderAsDataset';
import type { DescribeDataset } from '../sidebar/datasetSummary';
import { makeSampleDataset, sampleDatasetDir } from './sampleDataset';

export class TrainingDataChooser {
  constructor(
    private readonly describe: DescribeDataset,
    private readonly extensionPath: string,
  ) {}

  /**
   * The data to train on: the model's dataset when it exists; else ask (the sample dataset or a folder)
   * and write the answer into the model. `undefined` = the model's own; `null` = cancelled.
   */
  async dataDirFor(modelUri: vscode.Uri, datasetPath: string | undefined): Promise<string | undefined | null> {
    const base = dirname(modelUri.fsPath);
    if (datasetPath && existsSync(isAbsolute(datasetPath) ? datasetPath : join(base, datasetPath))) return undefined;
    const sample = sampleDatasetDir(vscode.workspace.getWorkspaceFolder(modelUri)?.uri.fsPath ?? base);
    const items: (vscode.QuickPickItem & { action: 'sample' | 'choose' | 'make' })[] = [];
    if (existsSync(sample)) items.push({ label: '$(database) Use the sample dataset', description: vscode.workspace.asRelativePath(sample), action: 'sample' });
    items.push({ label: '$(folder-opened) Choose a data folder…', description: 'one sub-folder of images per class', action: 'choose' });
    if (!existsSync(sample)) items.push({ label: '$(add) Make the sample dataset', description: 'circles, squares and triangles, 28×28, offline', action: 'make' });
    const what = datasetPath ? `The model's dataset '${datasetPath}' does not exist.` : 'The model names no dataset.';
    const picked = await vscode.window.showQuickPick(items, { title: `${what} What should it train on?` });
    if (!picked) return null;
    if (picked.action === 'choose') return (await this.chooseAgain(modelUri)) ?? null;
    if (picked.action === 'make') await makeSampleDataset(this.extensionPath);
    await this.writeIntoModel(modelUri, sample);
    return sample;
  }

  /** Asks for a folder and makes it the model's dataset. */
  async chooseAgain(modelUri: vscode.Uri): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: 'Train on this folder', defaultUri: vscode.Uri.file(dirname(modelUri.fsPath)) });
    const dir = picked?.[0]?.fsPath;
    if (dir) await this.writeIntoModel(modelUri, dir);
    return dir;
  }

  private async writeIntoModel(modelUri: vscode.Uri, dir: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(modelUri);
    const dataset = await setDatasetFolder(document, vscode.Uri.file(dir));
    void reportDatasetChoice(document, dataset, this.describe).catch(() => undefined);
  }
}
