/** "Open Designer" and "Open as Text": the same file in the custom editor or VS Code's text editor. */
import * as vscode from 'vscode';
import { DESIGNER_VIEW_TYPE, type DesignerEditorProvider } from '../editor/designerEditorProvider';
import { resolveModelUri } from '../model/modelResolver';

export async function openDesigner(arg: unknown, designers: DesignerEditorProvider): Promise<vscode.Uri> {
  const uri = resolveModelUri(arg, designers);
  await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE);
  return uri;
}

export async function openAsText(arg: unknown, designers: DesignerEditorProvider): Promise<vscode.Uri> {
  const uri = resolveModelUri(arg, designers);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'default');
  return uri;
}
