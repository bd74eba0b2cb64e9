/** Code actions for the Problems panel and the lightbulb: the typed quick fixes of CNN Studio's diagnostics. */
import * as vscode from 'vscode';
import { parseModelText } from '../../core/loader';
import { modelEditToWorkspaceEdit } from '../model/documentEdit';
import { quickFixToEdit } from '../../core/quickFixEdit';
import type { ModelDiagnostics } from './modelDiagnostics';

/** `(modelUri: Uri, nodeId: string)`: opens or reveals the model's designer and selects the layer. */
export const SHOW_IN_DESIGNER_COMMAND = 'cnnStudio.showInDesigner';

export class ModelQuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: ModelDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const relevant = context.diagnostics.filter((d) => d.source === 'CNN Studio');
    if (relevant.length === 0) return [];
    const { model } = parseModelText(document.getText());
    if (!model) return [];
    const actions: vscode.CodeAction[] = [];
    for (const d of relevant) {
      for (const fix of this.diagnostics.originOf(d)?.fixes ?? []) {
        const modelEdit = quickFixToEdit(model, fix);
        if (!modelEdit) continue;
        try {
          const edit = modelEditToWorkspaceEdit(document, modelEdit);
          if (!edit) continue;
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = edit;
          action.diagnostics = [d];
          action.isPreferred = actions.length === 0;
          actions.push(action);
        } catch {
          // A fix that no longer applies to the current text is simply not offered.
        }
      }
    }
    // Every problem of a layer can take the user to it in the designer (the Problems panel's menu and the lightbulb).
    for (const d of relevant) {
      const nodeId = this.diagnostics.originOf(d)?.nodeId;
      if (!nodeId || !model.nodes.some((n) => n.id === nodeId)) continue;
      const action = new vscode.CodeAction(`Show '${nodeId}' in the Designer`, vscode.CodeActionKind.QuickFix);
      action.command = { command: SHOW_IN_DESIGNER_COMMAND, title: action.title, arguments: [document.uri, nodeId] };
      action.diagnostics = [d];
      actions.push(action);
    }
    return actions;
  }
}
