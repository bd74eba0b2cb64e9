/** What counts as a CNN Studio model file (which model a command means: modelResolver.ts). */
import * as vscode from 'vscode';

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
