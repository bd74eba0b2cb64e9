/**
 * "CNN Studio: New Model from Template…": pick a template, name the file, and it opens in the designer.
 * In a workspace the file goes into the workspace folder (or the folder the command was run on from
 * the explorer); without one, a save dialog asks where.
 */
import * as vscode from 'vscode';
import { serializeModel } from '../../core/loader';
import { createModelFromTemplate, templateDetail, TEMPLATES } from '../../core/templates';
import { DESIGNER_VIEW_TYPE } from '../editor/designerEditorProvider';
import { MODEL_FILE_SUFFIX } from '../model/modelFiles';
import { UserFacingError } from '../userFacingError';

/** The walkthrough's "Create a model" step completes on this context key (see package.json). */
export const MODEL_CREATED_CONTEXT = 'cnnStudio.walkthrough.modelCreated';

/** Arguments tests (and other commands) may pass to skip the pickers. */
export interface NewModelArgs {
  readonly templateId?: string;
  /** Where to write the file; must end in `.cnn.json`. */
  readonly target?: vscode.Uri;
  /** Open it in the designer afterwards (default true). */
  readonly open?: boolean;
}

export async function newModelFromTemplate(arg: unknown): Promise<vscode.Uri | undefined> {
  const args: NewModelArgs = isNewModelArgs(arg) ? arg : {};
  const picked = args.templateId === undefined ? await pickTemplate() : undefined;
  const templateId = args.templateId ?? picked?.id;
  if (!templateId) return undefined;
  if (!TEMPLATES.some((t) => t.id === templateId)) {
    throw new UserFacingError(`There is no template "${templateId}". Available: ${TEMPLATES.map((t) => t.id).join(', ')}.`);
  }
  const folder = arg instanceof vscode.Uri ? arg : undefined;
  let target: vscode.Uri | undefined;
  try {
    target = args.target ?? (await chooseTarget(templateId, folder, picked?.picker));
  } finally {
    picked?.picker.dispose();
  }
  if (!target) return undefined;
  if (!target.path.toLowerCase().endsWith(MODEL_FILE_SUFFIX)) {
    throw new UserFacingError(`Model files must end in ${MODEL_FILE_SUFFIX} so CNN Studio opens them: rename "${target.path.split('/').pop()}".`);
  }
  const name = target.path.split('/').pop()!.slice(0, -MODEL_FILE_SUFFIX.length);
  const model = createModelFromTemplate(templateId, name);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(serializeModel(model)));
  // Ticks the walkthrough's first step: only once a model exists, not when the command merely starts.
  await vscode.commands.executeCommand('setContext', MODEL_CREATED_CONTEXT, true);
  if (args.open !== false) await vscode.commands.executeCommand('vscode.openWith', target, DESIGNER_VIEW_TYPE);
  return target;
}

function isNewModelArgs(v: unknown): v is NewModelArgs {
  return typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) && ('templateId' in v || 'target' in v);
}

type TemplatePicker = vscode.QuickPick<vscode.QuickPickItem & { readonly id: string }>;

/**
 * The template quick pick, left open once accepted: the file-name box replaces it in the same widget
 * (see chooseTarget), so the focus never goes back to where the command was started from in between.
 */
function pickTemplate(): Promise<{ id: string; picker: TemplatePicker } | undefined> {
  const picker: TemplatePicker = vscode.window.createQuickPick();
  picker.items = TEMPLATES.map((t) => ({ label: t.title, description: t.id, detail: templateDetail(t), id: t.id }));
  picker.title = 'New Model from Template';
  picker.placeholder = 'Choose a starting architecture';
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  picker.ignoreFocusOut = true;
  return new Promise((resolve) => {
    picker.onDidAccept(() => {
      const id = picker.selectedItems[0]?.id;
      if (id) resolve({ id, picker });
    });
    picker.onDidHide(() => {
      resolve(undefined);
      picker.dispose();
    });
    picker.show();
  });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function chooseTarget(templateId: string, explorerFolder: vscode.Uri | undefined, picker: TemplatePicker | undefined): Promise<vscode.Uri | undefined> {
  const folder = explorerFolder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    picker?.hide();
    return vscode.window.showSaveDialog({
      title: 'Save the new model',
      saveLabel: 'Create Model',
      filters: { 'CNN Studio model': ['cnn.json'] },
      defaultUri: vscode.Uri.file(`${templateId}${MODEL_FILE_SUFFIX}`),
    });
  }
  let suggestion = `${templateId}${MODEL_FILE_SUFFIX}`;
  for (let i = 2; await exists(vscode.Uri.joinPath(folder, suggestion)); i++) suggestion = `${templateId}-${i}${MODEL_FILE_SUFFIX}`;
  const problem = async (value: string): Promise<string | undefined> => {
    const v = value.trim();
    if (!v.toLowerCase().endsWith(MODEL_FILE_SUFFIX)) return `The name must end in ${MODEL_FILE_SUFFIX}.`;
    if (/[\\:*?"<>|]/.test(v) || v.startsWith('/')) return 'Use a plain file name (sub/folder/name.cnn.json is fine).';
    if (await exists(vscode.Uri.joinPath(folder, v))) return `${v} already exists: choose another name.`;
    return undefined;
  };
  const box = vscode.window.createInputBox();
  box.title = 'New Model from Template';
  box.prompt = `File name in ${vscode.workspace.asRelativePath(folder, true) || folder.fsPath}`;
  box.value = suggestion;
  box.valueSelection = [0, suggestion.length - MODEL_FILE_SUFFIX.length];
  // Stays open when the focus moves: run from the walkthrough, the page takes the focus back once the
  // quick pick is gone, and a box that closed on focus loss flashed and vanished with nothing written.
  box.ignoreFocusOut = true;
  const fileName = await new Promise<string | undefined>((resolve) => {
    box.onDidChangeValue(async (v) => {
      box.validationMessage = await problem(v);
    });
    box.onDidAccept(async () => {
      const message = await problem(box.value);
      box.validationMessage = message;
      if (message === undefined) {
        resolve(box.value.trim());
        box.hide();
      }
    });
    box.onDidHide(() => {
      resolve(undefined);
      box.dispose();
    });
    // Shown while the quick pick is still open, it takes the picker's place in the same widget.
    box.show();
  });
  return fileName ? vscode.Uri.joinPath(folder, fileName) : undefined;
}
