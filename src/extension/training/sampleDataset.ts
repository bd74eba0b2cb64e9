/** The walkthrough's sample dataset: circles, squares and triangles written into the workspace by the CLI. */
import * as vscode from 'vscode';
import { join } from 'node:path';
import { UserFacingError } from '../userFacingError';
import { runCliCommand } from './cliProcess';

/** Where the sample dataset lives in a workspace folder. */
export function sampleDatasetDir(folder: string): string {
  return join(folder, 'data', 'shapes');
}

/** A button of the "Wrote the sample dataset" note that makes it a model's dataset. */
export interface SampleDatasetUse {
  readonly title: string;
  run(dir: string): Promise<unknown>;
}

/** Writes the dataset into the first workspace folder; returns its folder. `use`: offered in the note. */
export async function makeSampleDataset(extensionPath: string, use?: SampleDatasetUse): Promise<string> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new UserFacingError('Open a folder first (File › Open Folder…): the sample dataset is written into the workspace.');
  const out = sampleDatasetDir(folder.uri.fsPath);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Writing the sample dataset (circles, squares, triangles)…' }, () =>
    runCliCommand(extensionPath, ['make-dataset', 'shapes', out, '--per-class', '150', '--size', '28', '--seed', '1']),
  );
  const reveal = 'Reveal in Explorer';
  // Not awaited: the command is done when the files are there, not when the note is dismissed.
  void vscode.window
    .showInformationMessage(`Wrote 450 labelled 28×28 images to ${vscode.workspace.asRelativePath(out)} (one folder per class). Train a model on it with CNN Studio: Train Model.`, ...(use ? [use.title] : []), reveal)
    .then((picked) => {
      if (picked === reveal) return vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(out));
      if (use && picked === use.title) return use.run(out);
      return undefined;
    })
    .then(undefined, (err: unknown) => void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err)));
  return out;
}
