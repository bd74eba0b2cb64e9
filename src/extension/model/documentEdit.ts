/** A `ModelEdit` as one WorkspaceEdit of a model document (one undo step) made of the smallest replacements. */
import * as vscode from 'vscode';
import type { ModelEdit } from '../../core/modelEdit';
import { modelEditToReplacements } from './modelTextEdit';

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

/** Applies an edit to a model document now; returns false when nothing changed. */
export async function applyModelEditToDocument(document: vscode.TextDocument, edit: ModelEdit): Promise<boolean> {
  const workspaceEdit = modelEditToWorkspaceEdit(document, edit);
  if (!workspaceEdit) return false;
  return vscode.workspace.applyEdit(workspaceEdit);
}
