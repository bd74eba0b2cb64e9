/**
 * What a model trains on when its own dataset is missing: the sample dataset (made now if needed) or a
 * folder the user picks now. The answer is written into the model (one undo step), so the side bar and
 * the file show the data this run and every later run use; a note says what the folder holds.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseModelText } from '../../core/loader';
import { reportDatasetChoice, setDatasetFolder } from '../commands/useFolderAsDataset';
import type { DescribeDataset } from '../sidebar/datasetSummary';
import { activeModelUri, resolveOrPickModelUri, type ActiveDesigner } from '../model/modelResolver';
import { MODEL_FILE_GLOB, MODEL_SEARCH_EXCLUDE } from '../model/modelFiles';
import { makeSampleDataset, sampleDatasetDir, type SampleDatasetUse } from './sampleDataset';

export class TrainingDataChooser {
  constructor(
    private readonly describe: DescribeDataset,
    private readonly extensionPath: string,
    private readonly designers: ActiveDesigner,
  ) {}

  /**
   * "Make Sample Dataset": writes it, and its note offers to make it the dataset of the model in front
   * ("Use It for <file>"), or of a model the user picks when none is in front. Not offered when there
   * is no model, or when the model in front already trains on it.
   */
  async makeSample(): Promise<string> {
    const inFront = activeModelUri(this.designers);
    let use: SampleDatasetUse | undefined;
    if (inFront) {
      if (!(await this.usesSample(inFront))) use = { title: `Use It for ${basename(inFront.fsPath)}`, run: (dir) => this.writeIntoModel(inFront, dir) };
    } else if ((await vscode.workspace.findFiles(MODEL_FILE_GLOB, MODEL_SEARCH_EXCLUDE, 1)).length > 0) {
      use = {
        title: 'Use It for a Model…',
        run: async (dir) => {
          const picked = await resolveOrPickModelUri(undefined, this.designers, 'Which model should train on the sample dataset?');
          if (picked) await this.writeIntoModel(picked, dir);
        },
      };
    }
    return makeSampleDataset(this.extensionPath, use);
  }

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

  /** Whether the model already names the sample dataset of its workspace folder. */
  private async usesSample(modelUri: vscode.Uri): Promise<boolean> {
    const path = parseModelText((await vscode.workspace.openTextDocument(modelUri)).getText()).model?.dataset?.path;
    const base = dirname(modelUri.fsPath);
    return path !== undefined && resolve(base, path) === sampleDatasetDir(vscode.workspace.getWorkspaceFolder(modelUri)?.uri.fsPath ?? base);
  }

  /** Makes `dir` the model's dataset (one undo step) and says what it holds. */
  private async writeIntoModel(modelUri: vscode.Uri, dir: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(modelUri);
    const dataset = await setDatasetFolder(document, vscode.Uri.file(dir));
    void reportDatasetChoice(document, dataset, this.describe).catch(() => undefined);
  }
}
