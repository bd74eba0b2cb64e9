/** "Validate Model": checks the model now and says what the Problems panel holds for it. */
import * as vscode from 'vscode';
import type { ModelDiagnostics } from '../diagnostics/modelDiagnostics';
import type { DesignerEditorProvider } from '../editor/designerEditorProvider';
import { resolveModelUri } from '../model/modelResolver';

export interface ValidationCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

export async function validateModel(arg: unknown, designers: DesignerEditorProvider, diagnostics: ModelDiagnostics): Promise<ValidationCounts> {
  const uri = resolveModelUri(arg, designers);
  const document = await vscode.workspace.openTextDocument(uri);
  const found = diagnostics.refresh(document);
  const count = (s: vscode.DiagnosticSeverity) => found.filter((d) => d.severity === s).length;
  const counts = { errors: count(vscode.DiagnosticSeverity.Error), warnings: count(vscode.DiagnosticSeverity.Warning), infos: count(vscode.DiagnosticSeverity.Information) };
  const name = vscode.workspace.asRelativePath(uri);
  if (counts.errors + counts.warnings === 0) {
    void vscode.window.showInformationMessage(`${name}: no problems found. The model is ready to train.`);
  } else {
    const showProblems = 'Show Problems';
    void vscode.window
      .showWarningMessage(`${name}: ${counts.errors} error(s), ${counts.warnings} warning(s). Each one in the Problems panel says how to fix it.`, showProblems)
      .then((picked) => (picked === showProblems ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
  }
  return counts;
}
