/**
 * CNN Studio's extension host entry: the composition root. It creates each part once, hands parts
 * the others they need, registers commands and views, and returns the API other extensions' code (and
 * our extension-host tests) use. Each part lives in its own file; nothing else happens here.
 */
import * as vscode from 'vscode';
import type { DesignerCommandInfo } from '../protocol/designer';
import { addLayer } from './commands/addLayer';
import { newModelFromTemplate } from './commands/newModelFromTemplate';
import { openAsText, openDesigner } from './commands/openEditors';
import { showSummary } from './commands/showSummary';
import { deleteTreeEntry, revealInExplorer } from './commands/treeCommands';
import { useFolderAsDataset } from './commands/useFolderAsDataset';
import { validateModel } from './commands/validateModel';
import { ModelDiagnostics } from './diagnostics/modelDiagnostics';
import { ModelQuickFixProvider, SHOW_IN_DESIGNER_COMMAND } from './diagnostics/quickFixProvider';
import { DesignerEditorProvider } from './editor/designerEditorProvider';
import type { DesignerSessionProbe } from './editor/designerSession';
import { TextSelectionSync } from './editor/textSelectionSync';
import { registerFailableCommand } from './failableCommand';
import { registerExportImportCommands } from './exportImport';
import { MODEL_FILE_GLOB } from './model/modelFiles';
import { OutputLog } from './outputLog';
import { openModelNamedByLauncher } from './openModelAtStart';
import { registerTrainingFeatures, TRAINING_COMMANDS, type TrainingFeatures } from './training';
import { featureMapLayerFromSelection } from './training/layerReveal';
import { ActiveModelTracker } from './sidebar/activeModel';
import { SIDEBAR_VIEW_ID, SidebarViewProvider } from './sidebar/sidebarViewProvider';
import { MODELS_VIEW_ID, ModelsTreeProvider } from './tree/modelsTreeProvider';
import type { SidebarStateMessage } from '../protocol/sidebar';

/** What `activate` returns: `vscode.extensions.getExtension('cnn-studio.cnn-studio').exports`. */
export interface CnnStudioApi {
  /** Adds a button to every designer's toolbar (training, export…); dispose to remove it. */
  registerDesignerCommand(info: DesignerCommandInfo): vscode.Disposable;
  /** For extension-host tests: the open designers and the messages they exchange with their webviews. */
  readonly testing: {
    /** The training session, dashboard panel and status (src/extension/training). */
    readonly training: TrainingFeatures;
    /** The side bar's last state, and its message handler (as if the view had posted). */
    sidebarState(): SidebarStateMessage | undefined;
    sidebarReceive(raw: unknown): Promise<void>;
    designersOf(uri: vscode.Uri): readonly DesignerSessionProbe[];
    waitForDesigner(uri: vscode.Uri, timeoutMs?: number): Promise<DesignerSessionProbe>;
    /** What the Models tree lists now: each model file with its runs' ids. */
    modelsTree(): Promise<{ readonly model: vscode.Uri; readonly runs: readonly string[] }[]>;
    /** The Problems entries CNN Studio has for a document right now (recomputed). */
    problemsOf(uri: vscode.Uri): Promise<readonly vscode.Diagnostic[]>;
  };
}

export function activate(context: vscode.ExtensionContext): CnnStudioApi {
  const log = new OutputLog();
  const toolbarCommands: DesignerCommandInfo[] = [];
  const designers = new DesignerEditorProvider(context.extensionUri, log, () => toolbarCommands);
  const diagnostics = new ModelDiagnostics(log);
  const tree = new ModelsTreeProvider();
  const activeModel = new ActiveModelTracker();
  const sidebar = new SidebarViewProvider(context.extensionUri, activeModel, designers, log);

  const command = (id: string, handler: (...args: never[]) => unknown) => registerFailableCommand(id, handler, log);
  context.subscriptions.push(
    log,
    designers,
    diagnostics,
    tree,
    activeModel,
    sidebar,
    DesignerEditorProvider.register(designers),
    vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, sidebar),
    vscode.languages.registerCodeActionsProvider({ pattern: MODEL_FILE_GLOB }, new ModelQuickFixProvider(diagnostics), ModelQuickFixProvider.metadata),
    vscode.window.createTreeView(MODELS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    command('cnnStudio.newModelFromTemplate', (arg: unknown) => newModelFromTemplate(arg)),
    command('cnnStudio.showSummary', (arg: unknown) => showSummary(arg, designers, log)),
    command('cnnStudio.validateModel', (arg: unknown) => validateModel(arg, designers, diagnostics)),
    command('cnnStudio.openDesigner', (arg: unknown) => openDesigner(arg, designers)),
    command('cnnStudio.openAsText', (arg: unknown) => openAsText(arg, designers)),
    command('cnnStudio.addLayer', (arg: unknown) => addLayer(arg, designers)),
    command('cnnStudio.useFolderAsDataset', (folder: unknown, model: unknown) => useFolderAsDataset(folder, model, designers, sidebar.dataset.describer)),
    new TextSelectionSync(designers),
    command(SHOW_IN_DESIGNER_COMMAND, (uri: unknown, nodeId: unknown) => {
      if (uri instanceof vscode.Uri && typeof nodeId === 'string') return designers.revealNode(uri, nodeId);
    }),
    command('cnnStudio.models.refresh', () => tree.refresh()),
    command('cnnStudio.models.revealInExplorer', (item: unknown) => revealInExplorer(item)),
    command('cnnStudio.models.delete', (item: unknown, confirm?: unknown) => deleteTreeEntry(item, tree, confirm !== false)),
  );

  const registerDesignerCommand = (info: DesignerCommandInfo): vscode.Disposable => {
    toolbarCommands.push(info);
    return new vscode.Disposable(() => {
      const at = toolbarCommands.indexOf(info);
      if (at >= 0) toolbarCommands.splice(at, 1);
    });
  };

  // Features built in their own folders register themselves here.
  registerExportImportCommands(context, designers);
  const training = registerTrainingFeatures(context, {
    log,
    designers,
    revealLayerInDesigner: (uri, layerId) => void designers.revealNode(uri, layerId).catch((err: unknown) => log.error('reveal layer', err)),
  });
  context.subscriptions.push(
    // A single conv/pool layer selected in the designer narrows an already open dashboard to its maps.
    designers.onDidChangeSelection((sel) => {
      const layerId = featureMapLayerFromSelection(sel.nodes);
      if (layerId) training.revealLayerIfDashboardOpen(sel.uri, layerId);
    }),
    sidebar.setTrainingSource(training.status),
    sidebar.setDatasetDescriber((params) => training.session.describeDataset(params)),
    // The explorer passes the image first; the training command takes (run, image) and asks for the run.
    command('cnnStudio.predictImageFile', (image: unknown) => vscode.commands.executeCommand(TRAINING_COMMANDS.predictImage, undefined, image)),
  );
  // The designer's toolbar offers Train only where training is allowed (trusted folders).
  const trainButton: DesignerCommandInfo = { id: TRAINING_COMMANDS.train, title: 'Train', icon: 'play' };
  if (vscode.workspace.isTrusted) context.subscriptions.push(registerDesignerCommand(trainButton));
  else context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => context.subscriptions.push(registerDesignerCommand(trainButton))));
  openModelNamedByLauncher(log);

  return {
    registerDesignerCommand,
    testing: {
      training,
      sidebarState: () => sidebar.lastState,
      sidebarReceive: (raw) => sidebar.receive(raw),
      designersOf: (uri) => designers.sessionsFor(uri),
      waitForDesigner: (uri, timeoutMs) => designers.waitForSession(uri, timeoutMs),
      modelsTree: async () =>
        (await tree.getChildren()).flatMap((item) => (item.kind === 'model' ? [{ model: item.uri, runs: item.runs.map((r) => r.record.runId) }] : [])),
      problemsOf: async (uri) => diagnostics.refresh(await vscode.workspace.openTextDocument(uri)),
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
