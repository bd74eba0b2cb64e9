/** What counts as a CNN Studio model file, and the model document the user means right now. */
import * as vscode from 'vscode';
import { UserFacingError } from '../userFacingError';
import type { DesignerEditorProvider } from '../editor/designerEditorProvider';

export const MODEL_FILE_SUFFIX = '.cnn.json';
export const MODEL_FILE_GLOB = '**/*.cnn.json';
/** Where model searches never look: packages, and run folders (each holds a snapshot `model.cnn.json` of its model). */
export const MODEL_SEARCH_EXCLUDE = '**/{node_modules,.cnn-studio}/**';

export function isModelUri(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith(MODEL_FILE_SUFFIX);
}

export function isModelDocument(document: vscode.TextDocument): boolean {
  return isModelUri(document.uri);
}

/**
 * The model a command is about: the URI it was given (explorer, tree, editor title), else the active
 * designer, else the active text editor's file.
 */
export function resolveModelUri(arg: unknown, designers: DesignerEditorProvider): vscode.Uri {
  if (arg instanceof vscode.Uri && isModelUri(arg)) return arg;
  if (arg && typeof arg === 'object' && 'resourceUri' in arg && (arg as { resourceUri: unknown }).resourceUri instanceof vscode.Uri) {
    const uri = (arg as { resourceUri: vscode.Uri }).resourceUri;
    if (isModelUri(uri)) return uri;
  }
  const active = designers.activeDocumentUri();
  if (active) return active;
  const editor = vscode.window.activeTextEditor;
  if (editor && isModelDocument(editor.document)) return editor.document.uri;
  throw new UserFacingError(
    'No CNN Studio model is open. Open a *.cnn.json file (or create one with "CNN Studio: New Model from Template…") and run the command again.',
    { title: 'New Model from Template…', run: () => vscode.commands.executeCommand('cnnStudio.newModelFromTemplate') },
  );
}
