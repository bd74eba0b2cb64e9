/**
 * "Open as Text" and "Open Designer" switch the editor of a model file in its editor group, as VS Code's
 * "Reopen Editor With…" does, so the group keeps one tab for the file instead of two with the same name.
 *
 * Unsaved changes are never at risk: both editors show the same TextDocument. VS Code 1.100 still asks
 * "Do you want to save…?" when its replace or close commands meet a dirty editor (fixed upstream later,
 * microsoft/vscode#314327), so:
 * - designer → text: the text opens in the designer's place, then the designer's panel is disposed,
 *   which closes its tab without that question (the document stays open and dirty in the text editor);
 * - text → designer: a clean text tab is replaced (`toggleEditorType`); a dirty one stays beside the
 *   designer, since closing it would ask.
 */
import * as vscode from 'vscode';
import { DESIGNER_VIEW_TYPE } from './designerEditorProvider';
import { modelEditorOfTab } from '../model/modelResolver';

export type ModelEditorKind = 'text' | 'designer';

/** What this needs of the open designers. */
export interface DesignerPanels {
  /** Closes the designers of `uri` in that column without asking; how many were closed. */
  closeDesigners(uri: vscode.Uri, column: vscode.ViewColumn): number;
}

function shows(tab: vscode.Tab, uri: vscode.Uri, kind: ModelEditorKind): boolean {
  const shown = modelEditorOfTab(tab);
  return shown?.kind === kind && shown.uri.toString() === uri.toString();
}

/** Shows `uri` as `kind` in the active editor group, in place of that group's tab of the other kind. */
export async function reopenModelAs(uri: vscode.Uri, kind: ModelEditorKind, designers: DesignerPanels): Promise<void> {
  const group = vscode.window.tabGroups.activeTabGroup;
  const column = group.viewColumn;
  const other: ModelEditorKind = kind === 'text' ? 'designer' : 'text';
  const otherTab = group.tabs.find((t) => shows(t, uri, other));
  const alreadyThere = group.tabs.some((t) => shows(t, uri, kind));
  if (!otherTab) {
    // Nothing to replace here: open it, or bring its tab to the front.
    await vscode.commands.executeCommand('vscode.openWith', uri, kind === 'text' ? 'default' : DESIGNER_VIEW_TYPE, column);
    return;
  }
  if (kind === 'text') {
    // A new tab opens right of the active one: make that the designer, so the text takes its place.
    if (!alreadyThere && !otherTab.isActive) await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE, column);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'default', column);
    designers.closeDesigners(uri, column);
    return;
  }
  const dirty = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty);
  if (dirty) {
    // Closing the dirty text tab would ask to save: the designer opens beside it instead.
    await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE, column);
    return;
  }
  if (alreadyThere) {
    await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE, column);
    await vscode.window.tabGroups.close(otherTab, true);
    return;
  }
  if (!otherTab.isActive) await vscode.window.showTextDocument(uri, { viewColumn: column });
  // Replaces the active editor by the file's other editor: the designer, which CNN Studio contributes.
  await vscode.commands.executeCommand('workbench.action.toggleEditorType');
  const active = vscode.window.tabGroups.activeTabGroup.activeTab;
  if (!active || !shows(active, uri, 'designer')) await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE, column);
}
