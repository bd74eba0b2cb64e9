/**
 * The "training inside the editor" feature: `registerTrainingFeatures(context, services)` is called once
 * from the composition root (src/extension/main.ts). It registers the training commands, the dashboard
 * panel (and its restore after a reload), the status bar item, and returns a handle for tests.
 */
import * as vscode from 'vscode';
import { registerFailableCommand } from '../failableCommand';
import type { OutputLog } from '../outputLog';
import { TRAINING_COMMANDS } from './commandIds';
import { EngineHost } from './engineHost';
import { DASHBOARD_VIEW_TYPE, DashboardPanel, type DashboardProbe } from './dashboardPanel';
import { TrainingStatusBar } from './statusBar';
import { TrainingCommands } from './trainingCommands';
import { routeDashboardMessages } from './dashboardRouter';
import { showRunFeedback } from './runFeedback';
import { TrainingDataChooser } from './trainingData';
import type { ActiveDesigner } from '../model/modelResolver';
import type { TrainingEngine } from './trainingEngine';
import { TrainingProgress } from './trainingProgress';
import { TrainingSession, type TrainingState } from './trainingSession';
import type { RunHistory } from './runHistory';
import { sidebarStatusLine } from './runStatusText';

export { TRAINING_COMMANDS } from './commandIds';
export type { TrainingEngine } from './trainingEngine';

export interface TrainingServices {
  readonly log: OutputLog;
  /** The engine to train with; default: the engine process (dist/engine.js), forked on first use. */
  readonly engine?: TrainingEngine;
  /** The open designers (Train with no argument trains the model in front of the user). */
  readonly designers: ActiveDesigner;
  /** Selects a layer in the model's open designer(s) when it is picked in the dashboard. */
  readonly revealLayerInDesigner?: (modelUri: vscode.Uri, layerId: string) => void;
}

/** The training state for the side bar (matches the sidebar's `TrainingStatusSource`). */
export interface TrainingStatus {
  /** `modelUri`: the model the side bar shows (another model's run is named as such). */
  current(modelUri?: vscode.Uri): { readonly state: TrainingState; readonly status: string };
  readonly onDidChange: vscode.Event<void>;
  readonly commands: { readonly train: string; readonly pause: string; readonly resume: string; readonly stop: string };
}

/** What the composition root, the side bar and the tests use. */
export interface TrainingFeatures {
  readonly session: TrainingSession;
  readonly dashboard: DashboardProbe;
  /** Hand this to the side bar so its Train / Pause / Stop buttons follow the run. */
  readonly status: TrainingStatus;
  /** The status bar item's text right now. */
  statusText(): string;
  /** Shows one layer's feature maps in the dashboard if one for `modelUri` is already open; never opens one. */
  revealLayerIfDashboardOpen(modelUri: vscode.Uri, layerId: string): boolean;
}

export function registerTrainingFeatures(context: vscode.ExtensionContext, services: TrainingServices): TrainingFeatures {
  const engineHost = services.engine ? null : new EngineHost(context.extensionUri.fsPath);
  const engine: TrainingEngine = services.engine ?? engineHost!;
  const session = new TrainingSession(async () => engine);
  const panel = new DashboardPanel(context.extensionUri, services.log);
  const statusBar = new TrainingStatusBar();
  const progress = new TrainingProgress();
  const data = new TrainingDataChooser((params) => session.describeDataset(params), context.extensionUri.fsPath, services.designers);
  const c = new TrainingCommands({
    session,
    panel,
    progress,
    log: services.log,
    data,
    workspaceState: context.workspaceState,
    designers: services.designers,
  });
  routeDashboardMessages({ session, panel, log: services.log, shownModelUri: () => c.shownModelUri, revealLayerInDesigner: services.revealLayerInDesigner });
  const stopFeedback = showRunFeedback(session, panel, statusBar, progress, services.log);
  // Every training command runs or reads the engine's work on the folder's files: trusted folders only.
  const command = (id: string, handler: (...args: never[]) => unknown) => registerFailableCommand(id, handler, services.log, { requiresTrust: 'Training' });
  const T = TRAINING_COMMANDS;
  context.subscriptions.push(
    panel,
    statusBar,
    { dispose: () => void engineHost?.dispose() },
    { dispose: stopFeedback },
    { dispose: () => progress.end() },
    { dispose: () => session.dispose() },
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (restored: vscode.WebviewPanel) => panel.adopt(restored),
    }),
    command(T.train, (arg: unknown) => c.train(arg)),
    command(T.pause, () => c.pause()),
    command(T.resume, () => c.resume()),
    command(T.stop, () => c.stop()),
    command(T.openDashboard, () => c.openDashboard()),
    command(T.openRun, (arg: unknown) => c.openRun(arg)),
    // From a tree with several runs selected, VS Code passes (clicked item, all selected items).
    command(T.compareRuns, (arg: unknown, selected: unknown) => c.compareRuns(Array.isArray(selected) && selected.length > 1 ? selected : arg)),
    command(T.exportMetricsCsv, (arg: unknown) => c.exportCsv(arg)),
    command(T.evaluateRun, (arg: unknown, test: unknown) => c.evaluate(arg, test)),
    command(T.fineTuneFromRun, (run: unknown, model: unknown) => c.fineTuneFromRun(run, model)),
    command(T.predictImage, (arg: unknown, image: unknown) => c.predict(arg, image)),
    command(T.showLayerFeatureMaps, (layerId: unknown) => c.showLayer(layerId)),
    command(T.makeSampleDataset, () => data.makeSample()),
  );
  const changed = new vscode.EventEmitter<void>();
  let lastRun: RunHistory | null = null;
  context.subscriptions.push(
    changed,
    { dispose: session.listen({ runChanged: (h) => ((lastRun = h), changed.fire()) }) },
  );
  const status: TrainingStatus = {
    current: (modelUri) => {
      const live = session.live;
      const h = live ?? lastRun;
      const run = h ? { h, live: live !== null, modelKey: c.trainedModelUri?.toString() } : null;
      return { state: session.state, status: sidebarStatusLine(modelUri?.toString(), run) };
    },
    onDidChange: changed.event,
    commands: { train: T.train, pause: T.pause, resume: T.resume, stop: T.stop },
  };
  return {
    session,
    dashboard: panel,
    status,
    statusText: () => statusBar.text,
    revealLayerIfDashboardOpen: (modelUri, layerId) => c.revealLayerIfDashboardOpen(modelUri, layerId),
  };
}
