/**
 * "CNN Studio: New Model from Template…": pick a template, name the file, and it opens in the designer.
 * In a workspace the file goes into the workspace folder (or the folder the command was run on from
 * the explorer); without one, a save dialog asks where.
 */
import * as vscode from 'vscode';
import { serializeModel } from '../../core/loader';
import { createModelFromTemplate, TEMPLATES } from '../../core/templates';
import { DESIGNER_VIEW_TYPE } from '../editor/designerEditorProvider';
import { MODEL_FILE_SUFFIX } from '../model/modelFiles';
import { UserFacingError } from '../userFacingError';

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
  const templateId = args.templateId ?? (await pickTemplate());
  if (!templateId) return undefined;
  if (!TEMPLATES.some((t) => t.id === templateId)) {
    throw new UserFacingError(`There is no template "${templateId}". Available: ${TEMPLATES.map((t) => t.id).join(', ')}.`);
  }
  const folder = arg instanceof vscode.Uri ? arg : undefined;
  const target = args.target ?? (await chooseTarget(templateId, folder));
  if (!target) return undefined;
  if (!target.path.toLowerCase().endsWith(MODEL_FILE_SUFFIX)) {
    throw new UserFacingError(`Model files must end in ${MODEL_FILE_SUFFIX} so CNN Studio opens them: rename "${target.path.split('/').pop()}".`);
  }
  const name = target.path.split('/').pop()!.slice(0, -MODEL_FILE_SUFFIX.length);
  const model = createModelFromTemplate(templateId, name);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(serializeModel(model)));
  if (args.open !== false) await vscode.commands.executeCommand('vscode.openWith', target, DESIGNER_VIEW_TYPE);
  return target;
}

function isNewModelArgs(v: unknown): v is NewModelArgs {
  return typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) && ('templateId' in v || 'target' in v);
}

async function pickTemplate(): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    TEMPLATES.map((t) => ({ label: t.title, description: t.id, detail: t.description, id: t.id })),
    { title: 'New Model from Template', placeHolder: 'Choose a starting architecture', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.id;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function chooseTarget(templateId: string, explorerFolder: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const folder = explorerFolder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    return vscode.window.showSaveDialog({
      title: 'Save the new model',
      saveLabel: 'Create Model',
      filters: { 'CNN Studio model': ['cnn.json'] },
      defaultUri: vscode.Uri.file(`${templateId}${MODEL_FILE_SUFFIX}`),
    });
  }
  let suggestion = `${templateId}${MODEL_FILE_SUFFIX}`;
  for (let i = 2; await exists(vscode.Uri.joinPath(folder, suggestion)); i++) suggestion = `${templateId}-${i}${MODEL_FILE_SUFFIX}`;
  const fileName = await vscode.window.showInputBox({
    title: 'New Model from Template',
    prompt: `File name in ${vscode.workspace.asRelativePath(folder, true) || folder.fsPath}`,
    value: suggestion,
    valueSelection: [0, suggestion.length - MODEL_FILE_SUFFIX.length],
    validateInput: async (value) => {
      const v = value.trim();
      if (!v.toLowerCase().endsWith(MODEL_FILE_SUFFIX)) return `The name must end in ${MODEL_FILE_SUFFIX}.`;
      if (/[\\:*?"<>|]/.test(v) || v.startsWith('/')) return 'Use a plain file name (sub/folder/name.cnn.json is fine).';
      if (await exists(vscode.Uri.joinPath(folder, v))) return `${v} already exists: choose another name.`;
      return undefined;
    },
  });
  return fileName ? vscode.Uri.joinPath(folder, fileName.trim()) : undefined;
}
