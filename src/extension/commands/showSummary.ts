/** "Show Model Summary": the Keras-style layer table of the model, in the "CNN Studio" output channel. */
import * as vscode from 'vscode';
import { parseModelText } from '../../core/loader';
import { analyzeModel } from '../../core/shapeInference';
import { formatSummary } from '../../core/summary';
import type { DesignerEditorProvider } from '../editor/designerEditorProvider';
import { resolveModelUri } from '../model/modelResolver';
import type { OutputLog } from '../outputLog';
import { UserFacingError } from '../userFacingError';

/** Returns the summary text it printed. */
export async function showSummary(arg: unknown, designers: DesignerEditorProvider, log: OutputLog): Promise<string> {
  const uri = resolveModelUri(arg, designers);
  const document = await vscode.workspace.openTextDocument(uri);
  const { model, diagnostics } = parseModelText(document.getText());
  if (!model) {
    const why = diagnostics.find((d) => d.severity === 'error')?.message ?? 'it is not a valid model';
    throw new UserFacingError(`No summary for ${vscode.workspace.asRelativePath(uri)}: ${why}`, {
      title: 'Open as Text',
      run: () => vscode.commands.executeCommand('vscode.openWith', uri, 'default'),
    });
  }
  const summary = formatSummary(model, analyzeModel(model));
  log.line(`── ${vscode.workspace.asRelativePath(uri)} ──`);
  log.line(summary);
  log.show();
  return summary;
}
