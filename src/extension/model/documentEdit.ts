/**
 * The one place that writes a `ModelEdit` into a model document: the designer, the side bar, the
 * Problems-panel quick fixes, Add Layer and the dataset commands all come here. An edit becomes one
 * WorkspaceEdit (one undo step) of the smallest replacements (`modelTextEdit.ts`, pure), checked
 * against the version the user saw when they made it.
 */
import * as vscode from 'vscode';
import type { ModelEdit } from '../../core/modelEdit';
import { modelEditToReplacements } from './modelTextEdit';
import { UserFacingError } from '../userFacingError';

/** What became of an edit. `refused` carries the user-facing reason; nothing was changed then. */
export type DocumentEditOutcome =
  | { readonly kind: 'applied' }
  | { readonly kind: 'unchanged' }
  /** The document is no longer at the version the edit was made against (typed elsewhere meanwhile). */
  | { readonly kind: 'stale' }
  | { readonly kind: 'refused'; readonly message: string };

/** `null` when the edit changes nothing; throws a user-facing error when it cannot be applied. */
export function modelEditToWorkspaceEdit(document: vscode.TextDocument, edit: ModelEdit): vscode.WorkspaceEdit | null {
  const replacements = modelEditToReplacements(document.getText(), edit);
  if (replacements.length === 0) return null;
  const workspaceEdit = new vscode.WorkspaceEdit();
  for (const r of replacements) {
    workspaceEdit.replace(document.uri, new vscode.Range(document.positionAt(r.start), document.positionAt(r.end)), r.text);
  }
  return workspaceEdit;
}

/**
 * Applies `edit` to the document now. With `baseVersion`, an edit made against another version of
 * the text is not applied (`stale`): the caller shows the current model instead.
 */
export async function editModelDocument(document: vscode.TextDocument, edit: ModelEdit, baseVersion?: number): Promise<DocumentEditOutcome> {
  if (baseVersion !== undefined && baseVersion !== document.version) return { kind: 'stale' };
  let workspaceEdit: vscode.WorkspaceEdit | null;
  try {
    workspaceEdit = modelEditToWorkspaceEdit(document, edit);
  } catch (err) {
    return { kind: 'refused', message: err instanceof Error ? err.message : String(err) };
  }
  if (!workspaceEdit) return { kind: 'unchanged' };
  if (!(await vscode.workspace.applyEdit(workspaceEdit))) {
    return { kind: 'refused', message: 'VS Code did not apply the change (the file may be read-only). Save a copy of the model elsewhere to edit it.' };
  }
  return { kind: 'applied' };
}

/** For commands: applies `edit` or throws the user-facing reason. Returns false when nothing changed. */
export async function applyModelEditToDocument(document: vscode.TextDocument, edit: ModelEdit): Promise<boolean> {
  const outcome = await editModelDocument(document, edit);
  if (outcome.kind === 'refused') throw new UserFacingError(outcome.message);
  return outcome.kind === 'applied';
}
