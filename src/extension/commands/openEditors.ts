/**
 * "Open Designer" and "Open as Text": the same file in the custom editor or VS Code's text editor,
 * in place of the other one in the active group (`reopenModel.ts`).
 */
import type * as vscode from 'vscode';
import type { DesignerEditorProvider } from '../editor/designerEditorProvider';
import { reopenModelAs } from '../editor/reopenModel';
import { resolveModelUri } from '../model/modelResolver';

export async function openDesigner(arg: unknown, designers: DesignerEditorProvider): Promise<vscode.Uri> {
  const uri = resolveModelUri(arg, designers);
  await reopenModelAs(uri, 'designer', designers);
  return uri;
}

export async function openAsText(arg: unknown, designers: DesignerEditorProvider): Promise<vscode.Uri> {
  const uri = resolveModelUri(arg, designers);
  await reopenModelAs(uri, 'text', designers);
  return uri;
}
