/**
 * "CNN Studio: Import…": a Keras model (.keras, .h5, JSON) or a TF.js model.json becomes a .cnn.json model where the user says,
 * by default in the workspace (its `models/` folder when there is one), never silently next to a source
 * file outside it. The CLI does the work in a child process (it brings TF.js weights along as a run) and
 * answers in JSON; the grouped report (problems first) goes to the output channel, one notification
 * summarises it, and the model opens in the designer. Layers CNN Studio cannot represent stop the import
 * with an "Import with Pass-throughs" button.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { formatImportSummary, type ImportSummary } from '../core/import/importReport';
import { unsupportedLayersMessage } from '../core/import/importNotes';
import { defaultImportPath, IMPORT_EXTENSIONS } from '../engine/export/importPath';
import { type ImportOutcome, parseImportOutcome } from '../protocol/importOutcome';
import { DESIGNER_VIEW_TYPE } from './editor/designerEditorProvider';
import { isModelUri } from './model/modelFiles';
import { runCliProcess } from './training/cliProcess';
import { UserFacingError } from './userFacingError';

const BRIDGE_BUTTON = 'Import with Pass-throughs';

export interface ImportCommandOptions {
  /** Where the .cnn.json goes (no save dialog); replaced without asking. */
  out?: vscode.Uri;
  /** Open it in the designer afterwards (default true). */
  open?: boolean;
  /** Replace layers CNN Studio cannot represent by pass-throughs instead of stopping. */
  bridge?: boolean;
}

/** `<workspace>/models/<name>.cnn.json` when the workspace has a models folder, else `<workspace>/<name>.cnn.json`; without a workspace, next to the source. */
export function suggestedImportTarget(source: vscode.Uri): vscode.Uri {
  const fileName = basename(defaultImportPath(source.fsPath));
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root || root.scheme !== 'file') return vscode.Uri.file(join(dirname(source.fsPath), fileName));
  const models = join(root.fsPath, 'models');
  const folder = existsSync(models) && statSync(models).isDirectory() ? models : root.fsPath;
  return vscode.Uri.file(join(folder, fileName));
}

/** The notification's one line: problems first (how many, the first one), else the headline facts. */
function notificationText(target: string, s: ImportSummary): string {
  const params = `${s.layers} layers, ${s.params.toLocaleString('en-US')} parameters`;
  if (s.problems.length === 0) return `Imported ${target}: ${params}, no problems.`;
  const first = s.problems[0]!.what;
  return `Imported ${target} with ${s.problems.length} problem${s.problems.length === 1 ? '' : 's'} to review: ${first.length > 160 ? `${first.slice(0, 157)}…` : first}`;
}

function weightsLine(outcome: Extract<ImportOutcome, { ok: true }>): string | null {
  const w = outcome.weights;
  if (!w) return null;
  return w.kind === 'run' ? `Weights: ${w.tensors} tensors saved as the run ${vscode.workspace.asRelativePath(w.runDir)}.` : `Weights: not imported: ${w.reason}.`;
}

export async function importModelCommand(extensionPath: string, output: vscode.OutputChannel, source: vscode.Uri | undefined, options: ImportCommandOptions): Promise<vscode.Uri | undefined> {
  let file = source;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      title: 'CNN Studio: Import a Keras model (.keras, .h5, JSON) or TF.js model.json',
      canSelectMany: false,
      filters: { 'Keras model (.keras, .h5, JSON) / TF.js model.json': IMPORT_EXTENSIONS },
      ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    });
    file = picked?.[0];
  }
  if (!file) return undefined;
  // The save dialog asks before replacing a file itself. 'json' is listed too because VS Code's own (web,
  // remote) file dialog compares only the last extension with the filters and appends the first one when
  // none matches: with ['cnn.json'] alone, the proposed x.cnn.json came back as x.cnn.json.cnn.json.
  // A name ending in .json only is made a .cnn.json below.
  const target = options.out ?? (await vscode.window.showSaveDialog({ title: `Save the imported model (${basename(file.fsPath)}) as`, defaultUri: suggestedImportTarget(file), filters: { 'CNN Studio model': ['cnn.json', 'json'] }, saveLabel: 'Import' }));
  if (!target) return undefined;
  const out = isModelUri(target) ? target.fsPath : `${target.fsPath.replace(/\.json$/i, '')}.cnn.json`;
  const args = ['import', file.fsPath, '--out', out, '--force', '--json', ...(options.bridge ? ['--bridge'] : [])];
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Importing ${basename(file.fsPath)}…` }, () => runCliProcess(extensionPath, args));
  const outcome = parseImportOutcome(result.stdout);
  if (!outcome) throw new UserFacingError(`cnn-studio import failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ') || `exit code ${result.code}`}`);
  if (!outcome.ok) {
    output.appendLine(`Import of ${file.fsPath} stopped: ${outcome.message}`);
    if (!outcome.unsupported) throw new UserFacingError(outcome.message);
    const sourceFile = file;
    throw new UserFacingError(unsupportedLayersMessage(outcome.unsupported.layers, outcome.unsupported.totalLayers, `choose "${BRIDGE_BUTTON}"`), {
      title: BRIDGE_BUTTON,
      run: () => vscode.commands.executeCommand('cnnStudio.import', sourceFile, { ...options, out: vscode.Uri.file(out), bridge: true }),
    });
  }
  const relative = vscode.workspace.asRelativePath(out);
  output.appendLine(`Import of ${file.fsPath} into ${relative}:`);
  output.appendLine(formatImportSummary(outcome.summary));
  const weights = weightsLine(outcome);
  if (weights) output.appendLine(weights);
  output.appendLine('');
  const outUri = vscode.Uri.file(out);
  if (options.open === false) return outUri;
  await vscode.commands.executeCommand('vscode.openWith', outUri, DESIGNER_VIEW_TYPE);
  const showReport = 'Show Report';
  const text = notificationText(relative, outcome.summary);
  const shown = outcome.summary.problems.length > 0 ? vscode.window.showWarningMessage(text, showReport) : vscode.window.showInformationMessage(text, showReport);
  void shown.then((a) => (a === showReport ? output.show(true) : undefined));
  return outUri;
}
