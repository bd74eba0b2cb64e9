/** The Models tree's item commands: reveal in the explorer, delete (with confirmation), refresh. */
import * as vscode from 'vscode';
import type { ModelsTreeItem, ModelsTreeProvider } from '../tree/modelsTreeProvider';
import { UserFacingError } from '../userFacingError';

function itemUri(item: unknown): vscode.Uri {
  if (item instanceof vscode.Uri) return item;
  const uri = (item as Partial<ModelsTreeItem> | undefined)?.resourceUri;
  if (uri instanceof vscode.Uri) return uri;
  throw new UserFacingError('Run this command from a model or run in the CNN Studio "Models" view.');
}

export async function revealInExplorer(item: unknown): Promise<void> {
  await vscode.commands.executeCommand('revealInExplorer', itemUri(item));
}

/** Deletes a model file or a run folder after a modal confirmation; uses the trash when it can. Returns whether it deleted. */
export async function deleteTreeEntry(item: unknown, tree: ModelsTreeProvider, confirm = true): Promise<boolean> {
  const uri = itemUri(item);
  const isRun = (item as Partial<ModelsTreeItem>).contextValue === 'cnnStudio.run';
  const what = isRun ? `the run "${uri.path.split('/').pop()}" and everything in its folder (checkpoints, metrics, reports)` : `the model file "${vscode.workspace.asRelativePath(uri)}"`;
  if (confirm) {
    const yes = 'Delete';
    const picked = await vscode.window.showWarningMessage(`Delete ${what}?`, { modal: true, detail: 'It goes to the trash where the system has one.' }, yes);
    if (picked !== yes) return false;
  }
  try {
    await vscode.workspace.fs.delete(uri, { recursive: isRun, useTrash: true });
  } catch {
    // No trash on this file system (remote, some containers): delete for good; the user confirmed.
    await vscode.workspace.fs.delete(uri, { recursive: isRun, useTrash: false });
  }
  tree.refresh();
  return true;
}
