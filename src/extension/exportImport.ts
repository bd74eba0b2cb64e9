/**
 * "CNN Studio: Export…" and "CNN Studio: Import…".
 *
 * Export works on the active model (designer or text editor), a model file from the explorer, or a run
 * from the CNN Studio tree (a run folder URI). Code formats are generated here (pure core code, with the
 * document's current text, so unsaved edits are included); TF.js and ONNX need a run's weights and tfjs,
 * so they are done by the CLI in a child process. The import is importModel.ts.
 *
 * Both take an optional options object as second argument (format/target, out) so tests and other
 * commands can run them without prompts; they return the written file's URI.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { codegenOptionsFor, defaultExportPath, type ExportFormat, exportText, needsWeights } from '../engine/export/exportFormats';
import type { ModelFile } from '../core/format';
import { parseModelText } from '../core/loader';
import { activeModelUri, modelUriOfArg, type ActiveDesigner } from './model/modelResolver';
import { type ImportCommandOptions, importModelCommand } from './importModel';
import { runCliCommand } from './training/cliProcess';
import { TRAINING_COMMANDS } from './training/commandIds';
import { isUserFacing, UserFacingError } from './userFacingError';

interface FormatPick extends vscode.QuickPickItem {
  format: ExportFormat;
}

const FORMAT_PICKS: readonly FormatPick[] = [
  { format: 'keras', label: 'Keras script (.py)', detail: 'A runnable TensorFlow/Keras training script; uses several GPUs or workers through tf.distribute.' },
  { format: 'pytorch', label: 'PyTorch script (.py)', detail: 'The same network as an nn.Module with a training loop; runs under torchrun with DistributedDataParallel.' },
  { format: 'notebook', label: 'Jupyter notebook (.ipynb)', detail: 'The Keras code in cells (data, model, compile, fit, evaluate) with explanations.' },
  { format: 'keras-json', label: 'Keras JSON (.json)', detail: 'The architecture as model.to_json() writes it; load with tf.keras.models.model_from_json.' },
  { format: 'tfjs', label: 'TF.js model (model.json + weights.bin)', detail: "A trained run's weights for tf.loadLayersModel in the browser or Node." },
  { format: 'onnx', label: 'ONNX model (.onnx)', detail: "A trained run's network and weights (opset 13, NHWC input) for ONNX Runtime, MATLAB, Sony NNC and other ONNX tools." },
];

const SAVE_FILTERS: Record<ExportFormat, Record<string, string[]>> = {
  keras: { Python: ['py'] },
  pytorch: { Python: ['py'] },
  notebook: { Notebook: ['ipynb'] },
  'keras-json': { JSON: ['json'] },
  tfjs: { JSON: ['json'] },
  onnx: { ONNX: ['onnx'] },
};

/** Optional second argument, for callers that know what they want (tests, other commands): no prompts. */
export interface ExportCommandOptions {
  format?: ExportFormat;
  target?: vscode.Uri;
  /** Open the exported file afterwards (default true). */
  open?: boolean;
}

function optionsArg<T extends object>(v: unknown): T {
  // Tree menus pass the selection (an array) as the second argument: only a plain object is options.
  return v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof vscode.Uri) ? (v as T) : ({} as T);
}

/** What the export command was invoked on. */
type ExportSource = { kind: 'model'; uri: vscode.Uri } | { kind: 'run'; uri: vscode.Uri };

function isRunFolder(path: string): boolean {
  return existsSync(join(path, 'model.cnn.json')) && existsSync(join(path, 'run.json')) && statSync(path).isDirectory();
}

function uriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (arg && typeof arg === 'object') {
    for (const key of ['uri', 'resourceUri'] as const) {
      const v = (arg as Record<string, unknown>)[key];
      if (v instanceof vscode.Uri) return v;
    }
  }
  return undefined;
}

/** The argument (a URI or a tree item), else the active designer or text editor's model. */
function exportSource(arg: unknown, designers: ActiveDesigner): ExportSource {
  const given = uriOf(arg);
  if (given) {
    if (given.scheme === 'file' && isRunFolder(given.fsPath)) return { kind: 'run', uri: given };
  }
  const model = modelUriOfArg(arg) ?? activeModelUri(designers);
  if (model) return { kind: 'model', uri: model };
  throw new UserFacingError('Open a CNN Studio model (*.cnn.json) or pick a run in the CNN Studio view, then run "CNN Studio: Export…" again.');
}

async function readModel(source: ExportSource): Promise<ModelFile> {
  const uri = source.kind === 'run' ? vscode.Uri.joinPath(source.uri, 'model.cnn.json') : source.uri;
  const doc = await vscode.workspace.openTextDocument(uri);
  const { model, diagnostics } = parseModelText(doc.getText());
  if (!model) throw new UserFacingError(`${vscode.workspace.asRelativePath(uri)} cannot be exported: ${diagnostics[0]?.message ?? 'it is not a valid model file'}`);
  return model;
}

async function exportCommand(extensionPath: string, designers: ActiveDesigner, arg: unknown, options: ExportCommandOptions): Promise<vscode.Uri | undefined> {
  const source = exportSource(arg, designers);
  const picks = FORMAT_PICKS.map((p) =>
    needsWeights(p.format) && source.kind === 'model' ? { ...p, description: 'needs trained weights: pick a run in the CNN Studio view' } : p,
  );
  const picked = options.format
    ? FORMAT_PICKS.find((p) => p.format === options.format)
    : await vscode.window.showQuickPick(picks, { title: 'CNN Studio: Export', placeHolder: 'Export as…', matchOnDetail: true });
  if (!picked) {
    if (options.format) throw new UserFacingError(`Unknown export format '${String(options.format)}'. Use one of: ${FORMAT_PICKS.map((p) => p.format).join(', ')}.`);
    return undefined;
  }
  const open = options.open !== false;
  if (needsWeights(picked.format) && source.kind === 'model') {
    throw new UserFacingError(`${picked.format === 'onnx' ? 'An ONNX' : 'A TF.js'} model needs trained weights: train the model first, or run Export on a run folder in the CNN Studio view.`, {
      title: 'Train Model',
      run: () => vscode.commands.executeCommand(TRAINING_COMMANDS.train, source.uri),
    });
  }
  const model = await readModel(source);
  const baseFolder = source.kind === 'run' ? source.uri.fsPath : dirname(source.uri.fsPath);
  const suggestion = picked.format === 'tfjs' ? join(defaultExportPath('tfjs', model.name), 'model.json') : defaultExportPath(picked.format, model.name);
  const defaultFolder = source.kind === 'run' ? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? baseFolder : baseFolder;
  const target = options.target ?? await vscode.window.showSaveDialog({
    title: `Export ${model.name} as ${picked.label}`,
    defaultUri: vscode.Uri.file(join(defaultFolder, suggestion)),
    filters: SAVE_FILTERS[picked.format],
  });
  if (!target) return undefined;

  if (picked.format === 'onnx') {
    const out = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Exporting the ONNX model…' }, () =>
      runCliCommand(extensionPath, ['export', source.uri.fsPath, '--to', 'onnx', '--out', target.fsPath]),
    );
    // A binary file: nothing to open in an editor, so the message says where it went and what it takes.
    if (open) void vscode.window.showInformationMessage(out.trim().split('\n').join(' '));
    return target;
  }
  if (picked.format === 'tfjs') {
    const outDir = dirname(target.fsPath);
    const out = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Exporting the TF.js model…' }, () =>
      runCliCommand(extensionPath, ['export', source.uri.fsPath, '--to', 'tfjs', '--out', outDir]),
    );
    const modelJson = vscode.Uri.file(join(outDir, 'model.json'));
    if (open) {
      await vscode.window.showTextDocument(modelJson, { preview: false });
      void vscode.window.showInformationMessage(out.trim().split('\n')[0] ?? `Exported to ${outDir}`);
    }
    return modelJson;
  }
  // The model's dataset path is relative to the model file (for a run: to the run's folder, the best we know here).
  const text = exportText(picked.format, model, codegenOptionsFor(model, baseFolder, target.fsPath));
  mkdirSync(dirname(target.fsPath), { recursive: true });
  writeFileSync(target.fsPath, text);
  if (!open) return target;
  if (picked.format === 'notebook') await vscode.commands.executeCommand('vscode.open', target);
  else await vscode.window.showTextDocument(target, { preview: false });
  return target;
}

/** A command whose errors become messages (user-facing ones as they are). */
function command(id: string, run: (arg: unknown, options: unknown) => Promise<unknown>, output: vscode.OutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (arg: unknown, options: unknown) => {
    try {
      return await run(arg, options);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      output.appendLine(`${id}: ${err instanceof Error && err.stack && !isUserFacing(err) ? err.stack : message}`);
      const action = err instanceof UserFacingError ? err.action : undefined;
      void vscode.window.showErrorMessage(isUserFacing(err) ? message : `CNN Studio: ${id} failed unexpectedly: ${message}`, ...(action ? [action.title] : [])).then((a) => {
        if (action && a === action.title) return action.run();
        return undefined;
      });
      return undefined;
    }
  });
}

export function registerExportImportCommands(context: vscode.ExtensionContext, designers: ActiveDesigner): void {
  const output = vscode.window.createOutputChannel('CNN Studio: Import/Export');
  const extensionPath = context.extensionUri.fsPath;
  context.subscriptions.push(
    output,
    command('cnnStudio.export', (arg, options) => exportCommand(extensionPath, designers, arg, optionsArg<ExportCommandOptions>(options)), output),
    command('cnnStudio.import', (arg, options) => importModelCommand(extensionPath, output, uriOf(arg), optionsArg<ImportCommandOptions>(options)), output),
  );
}
