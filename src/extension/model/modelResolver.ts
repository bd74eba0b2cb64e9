/**
 * Which model a command means: the one place that decides it, for the designer's commands, Add Layer,
 * dataset, export and training commands and the side bar.
 *
 * In order: the model the command was given (a URI, a path, an explorer or tree item), else the
 * designer the user is looking at, else the active editor tab's model file. Commands that can ask
 * (`resolveOrPickModelUri`) then take the workspace's only model or offer a pick of them.
 */
import * as vscode from 'vscode';
import { UserFacingError } from '../userFacingError';
import { DESIGNER_VIEW_TYPE } from '../editor/designerEditorProvider';
import { isModelUri, MODEL_FILE_GLOB, MODEL_SEARCH_EXCLUDE } from './modelFiles';

/** What the resolver needs of the open designers. */
export interface ActiveDesigner {
  activeDocumentUri(): vscode.Uri | undefined;
}

/** The model file a tab shows, and in which editor (the designer or VS Code's text editor), if any. */
export function modelEditorOfTab(tab: vscode.Tab | undefined): { readonly uri: vscode.Uri; readonly kind: 'designer' | 'text' } | undefined {
  const input = tab?.input;
  if (input instanceof vscode.TabInputCustom && input.viewType === DESIGNER_VIEW_TYPE) return { uri: input.uri, kind: 'designer' };
  if (input instanceof vscode.TabInputText && isModelUri(input.uri)) return { uri: input.uri, kind: 'text' };
  return undefined;
}

/** The model file a tab shows (designer or text editor), if any. */
export function modelUriOfTab(tab: vscode.Tab | undefined): vscode.Uri | undefined {
  return modelEditorOfTab(tab)?.uri;
}

/** A model URI carried by a command argument: a Uri, an absolute path, or an item with `uri` / `resourceUri`. */
export function modelUriOfArg(arg: unknown): vscode.Uri | undefined {
  const uri =
    arg instanceof vscode.Uri
      ? arg
      : typeof arg === 'string' && arg.length > 0
        ? vscode.Uri.file(arg)
        : arg && typeof arg === 'object'
          ? [(arg as { uri?: unknown }).uri, (arg as { resourceUri?: unknown }).resourceUri].find((v): v is vscode.Uri => v instanceof vscode.Uri)
          : undefined;
  return uri && isModelUri(uri) ? uri : undefined;
}

/** The model in front of the user: the active designer, else the active tab's model, else the active text editor's. */
export function activeModelUri(designers: ActiveDesigner): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor?.document.uri;
  return designers.activeDocumentUri() ?? modelUriOfTab(vscode.window.tabGroups.activeTabGroup.activeTab) ?? (editor && isModelUri(editor) ? editor : undefined);
}

/** The model a command is about, or the user-facing "no model is open" error. */
export function resolveModelUri(arg: unknown, designers: ActiveDesigner): vscode.Uri {
  const uri = modelUriOfArg(arg) ?? activeModelUri(designers);
  if (uri) return uri;
  throw new UserFacingError(
    'No CNN Studio model is open. Open a *.cnn.json file (or create one with "CNN Studio: New Model from Template…") and run the command again.',
    { title: 'New Model from Template…', run: () => vscode.commands.executeCommand('cnnStudio.newModelFromTemplate') },
  );
}

/**
 * Like `resolveModelUri`, but with no model in view it takes the workspace's only model or asks which
 * (`title` heads the pick). `undefined` when the user cancels the pick.
 */
export async function resolveOrPickModelUri(arg: unknown, designers: ActiveDesigner, title: string): Promise<vscode.Uri | undefined> {
  const uri = modelUriOfArg(arg) ?? activeModelUri(designers);
  if (uri) return uri;
  const files = (await vscode.workspace.findFiles(MODEL_FILE_GLOB, MODEL_SEARCH_EXCLUDE, 200)).filter(isModelUri);
  if (files.length === 0) {
    throw new UserFacingError('There is no model (*.cnn.json) in this workspace. Create one with CNN Studio: New Model from Template.', {
      title: 'New Model from Template…',
      run: () => vscode.commands.executeCommand('cnnStudio.newModelFromTemplate'),
    });
  }
  if (files.length === 1) return files[0];
  const picked = await vscode.window.showQuickPick(
    files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
    { title },
  );
  return picked?.uri;
}
