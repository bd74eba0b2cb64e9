/**
 * The training commands: train, pause, resume, stop, and the run commands (open, compare, export CSV,
 * evaluate, predict). Each handler throws user-facing errors; `registerFailableCommand` shows them.
 * Which model is meant comes from the one resolver (model/modelResolver.ts).
 */
import * as vscode from 'vscode';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseModelText } from '../../core/loader';
import { formatWeightInitReport } from '../../engine/runs/initFromRun';
import { readRunRecord } from '../../engine/runs/runStore';
import { isBackendPreference, type BackendPreference } from '../../protocol/engine';
import { resolveOrPickModelUri, type ActiveDesigner } from '../model/modelResolver';
import { UserFacingError } from '../userFacingError';
import type { OutputLog } from '../outputLog';
import { TRAINING_COMMANDS } from './commandIds';
import type { DashboardPanel } from './dashboardPanel';
import { dashboardShowsModel } from './layerReveal';
import { compareRunFrom, metricsCsv, readRunFolder, skippedFilesLog } from './runFiles';
import { pickRun, pickRunToPredictWith, pickRuns, runDirFromArg, runLabel } from './pickRun';
import { predictionSummary } from './predictionSummary';
import { readPreviewImage } from './previewImage';
import type { TrainingDataChooser } from './trainingData';
import { chooseEvaluationData } from './evaluationData';
import type { TrainingProgress } from './trainingProgress';
import type { TrainingSession } from './trainingSession';

export interface TrainingCommandDeps {
  readonly session: TrainingSession;
  readonly panel: DashboardPanel;
  readonly progress: TrainingProgress;
  readonly log: OutputLog;
  readonly data: TrainingDataChooser;
  readonly designers: ActiveDesigner;
  /** Remembers the evaluation data chosen per model. */
  readonly workspaceState: vscode.Memento;
}

/** A whole-number setting inside [min, max], else undefined (= the engine's automatic choice). */
function threadSetting(key: string, max: number): number | undefined {
  const value = vscode.workspace.getConfiguration('cnnStudio').get<number>(key, 0);
  return Number.isInteger(value) && value >= 1 && value <= max ? value : undefined;
}

export class TrainingCommands {
  private compareSelection: string[] = [];
  /** The model file of the live/shown run, for revealing layers in its designer. */
  private modelUri: vscode.Uri | undefined;

  constructor(private readonly d: TrainingCommandDeps) {}

  /** The model of the run started last from here (the live run's, while one goes on). */
  get trainedModelUri(): vscode.Uri | undefined {
    return this.modelUri;
  }

  get shownModelUri(): vscode.Uri | undefined {
    return this.modelUri;
  }

  /* ---------------------------------------------------------------- train, pause, resume, stop -- */

  async train(arg?: unknown): Promise<void> {
    const modelUri = await resolveOrPickModelUri(arg, this.d.designers, 'Train which model?');
    if (!modelUri) return;
    await this.startTraining(modelUri, undefined);
  }

  /**
   * Fine-tuning: a new run of the model whose layers start from another run's weights where layer name
   * and shape match (typically a frozen, imported base); the rest, typically a new head, start fresh.
   * The engine's report of what was loaded goes to the output log and a notification.
   */
  async fineTuneFromRun(runArg?: unknown, modelArg?: unknown): Promise<void> {
    const modelUri = await resolveOrPickModelUri(modelArg, this.d.designers, 'Fine-tune which model?');
    if (!modelUri) return;
    const initFrom = runDirFromArg(runArg) ?? (await pickRun(`Fine-tune ${vscode.workspace.asRelativePath(modelUri)} from which run's weights? (matched by layer name and shape)`));
    if (!initFrom) return;
    await this.startTraining(modelUri, initFrom);
  }

  private async startTraining(modelUri: vscode.Uri, initFrom: string | undefined): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === modelUri.toString());
    const modelText = doc ? doc.getText() : readFileSync(modelUri.fsPath, 'utf8');
    const parsed = parseModelText(modelText);
    if (!parsed.model) {
      const first = parsed.diagnostics[0]?.message ?? 'it is not a valid model file';
      throw new UserFacingError(`Cannot train ${vscode.workspace.asRelativePath(modelUri)}: ${first} Fix it in the designer or the Problems panel, then train again.`);
    }
    const dataDir = await this.d.data.dataDirFor(modelUri, parsed.model.dataset?.path);
    if (dataDir === null) return;
    const folder = vscode.workspace.getWorkspaceFolder(modelUri);
    const runsRoot = folder ? folder.uri.fsPath : dirname(modelUri.fsPath);
    const backendSetting = vscode.workspace.getConfiguration('cnnStudio').get<string>('backend', 'auto');
    const backend: BackendPreference = isBackendPreference(backendSetting) ? backendSetting : 'auto';
    // 0 (or anything that is not a whole number 1–16) = the engine's default, half the CPUs (see defaultWasmThreads).
    const threads = threadSetting('wasmThreads', 16);
    // 0 (or anything that is not a whole number 1–64) = automatic: the physical cores, fewer under load.
    const nativeThreads = threadSetting('nativeThreads', 64);
    this.modelUri = modelUri;
    this.d.panel.show(true);
    this.d.session.captureFeatureMaps = this.d.panel.isOpen;
    this.d.progress.start(`Training ${parsed.model.name}`, () => void this.d.session.stop().catch(() => undefined));
    try {
      const overrides = { backend, ...(threads !== undefined ? { threads } : {}), ...(nativeThreads !== undefined ? { nativeThreads } : {}) };
      const h = await this.d.session.start({ modelPath: modelUri.fsPath, modelText, dataDir, runsRoot, overrides, ...(initFrom ? { initFrom } : {}) });
      this.d.log.line(`Training ${h.info.modelName} → ${h.info.runDir} (${h.info.backend})`);
      for (const line of skippedFilesLog(h.info.runDir)) this.d.log.line(line);
      if (initFrom) this.showWeightInitReport(h.info.runDir);
    } catch (err) {
      this.d.progress.end();
      const e = err as { code?: string; message?: string };
      if (e.code === 'dataset') {
        throw new UserFacingError(`${e.message ?? 'The dataset could not be read.'}`, {
          title: 'Choose Data Folder…',
          run: async () => {
            if (await this.d.data.chooseAgain(modelUri)) await vscode.commands.executeCommand(TRAINING_COMMANDS.train, modelUri);
          },
        });
      }
      throw err;
    }
  }

  /** What a fine-tuning run took from the other run (kept in its run.json): output log and a notification. */
  private showWeightInitReport(runDir: string): void {
    const report = readRunRecord(runDir).initializedFrom;
    if (!report) return;
    for (const line of formatWeightInitReport(report).split('\n')) this.d.log.line(line);
    const fresh = report.fresh.length ? `; starting fresh: ${report.fresh.map((f) => f.layer).join(', ')}` : '';
    const message = `Fine-tuning from ${runLabel(readRunRecord(report.runDir))}: loaded the weights of ${report.loaded.length} layer${report.loaded.length === 1 ? '' : 's'}${fresh}.`;
    void vscode.window.showInformationMessage(message, 'Show Report').then((choice) => {
      if (choice) this.d.log.show();
    });
  }

  async pause(): Promise<void> {
    this.requireLive('pause');
    await this.d.session.pause();
  }

  async resume(): Promise<void> {
    this.requireLive('resume');
    await this.d.session.resume();
  }

  async stop(): Promise<void> {
    this.requireLive('stop');
    await this.d.session.stop();
  }

  private requireLive(what: string): void {
    if (!this.d.session.live) throw new UserFacingError(`There is no training to ${what}. Start one with CNN Studio: Train Model.`);
  }

  /* ------------------------------------------------------------------------- runs and dashboard -- */

  openDashboard(): void {
    this.d.panel.show(false);
    this.d.session.captureFeatureMaps = true;
  }

  async openRun(arg?: unknown): Promise<void> {
    const runDir = runDirFromArg(arg) ?? (await pickRun('Open a training run in the dashboard'));
    if (!runDir) return;
    this.d.panel.show(false);
    this.d.session.openRun(runDir);
    await this.d.session.captureNow().catch((err: unknown) => this.d.log.error('feature maps of the opened run', err));
  }

  async compareRuns(arg?: unknown): Promise<void> {
    let dirs = Array.isArray(arg) ? arg.map(runDirFromArg).filter((x): x is string => x !== undefined) : [];
    if (dirs.length < 2) {
      const shown = this.d.session.shown?.info.runDir;
      const picked = await pickRuns('Compare runs: pick two or more', this.compareSelection.length ? this.compareSelection : shown ? [shown] : []);
      if (!picked) return;
      dirs = picked;
    }
    if (dirs.length < 2) throw new UserFacingError('Pick at least two runs to compare (tick them in the list).');
    this.compareSelection = dirs;
    const runs = dirs.map((d) => compareRunFrom(d));
    this.d.panel.show(false);
    this.d.session.compare(runs);
  }

  async exportCsv(arg?: unknown): Promise<void> {
    const runDir = await this.runDirOrShown(arg, 'Export which run’s metrics?');
    if (!runDir) return;
    const shown = this.d.session.shown;
    const epochs = shown && shown.info.runDir === runDir ? shown.epochs : readRunFolder(runDir).epochs;
    if (epochs.length === 0) throw new UserFacingError('This run has no finished epoch yet, so there are no metrics to export. Wait for the first epoch.');
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(join(runDir, 'metrics.csv')), filters: { CSV: ['csv'] } });
    if (!target) return;
    writeFileSync(target.fsPath, metricsCsv(epochs));
    void vscode.window.showInformationMessage(`Wrote ${epochs.length} epochs to ${vscode.workspace.asRelativePath(target)}.`);
  }

  /** `testArg` (a path or Uri) evaluates on that test set without asking; else the user chooses the data. */
  async evaluate(arg?: unknown, testArg?: unknown): Promise<void> {
    const runDir = await this.runDirOrShown(arg, 'Evaluate which run?');
    if (!runDir) return;
    const data = await chooseEvaluationData(runDir, this.d.workspaceState, testArg);
    if (!data) return;
    this.d.panel.show(true);
    const title = data.testPath ? `Evaluating the run on ${vscode.workspace.asRelativePath(data.testPath)}…` : 'Evaluating the run on its validation split…';
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => this.d.session.evaluate(runDir, readPreviewImage, data.testPath));
    this.d.log.line(`Evaluated ${runDir}: accuracy ${(report.accuracy * 100).toFixed(1)}% on ${report.numSamples} samples (${report.dataLabel ?? report.split})`);
  }

  /**
   * Asks which run when none is given and several can predict (latest first), predicts with a cancellable
   * progress notification, then answers where the user is looking: a notification with the top classes
   * whose "Show" opens the dashboard scrolled to the prediction.
   */
  async predict(arg?: unknown, imageArg?: unknown): Promise<void> {
    const runDir = runDirFromArg(arg) ?? (await pickRunToPredictWith('Predict with which run?'));
    if (!runDir) return;
    let imagePath = imageArg instanceof vscode.Uri ? imageArg.fsPath : typeof imageArg === 'string' ? imageArg : undefined;
    if (!imagePath) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Predict', filters: { Images: ['png', 'jpg', 'jpeg', 'bmp', 'gif', 'webp'] } });
      imagePath = picked?.[0]?.fsPath;
    }
    if (!imagePath) return;
    const image = imagePath;
    const title = `Predicting ${basename(image)} with ${vscode.workspace.asRelativePath(runDir)}…`;
    const prediction = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) =>
      // Cancel answers at once; the engine's late answer is then dropped by the session.
      Promise.race([
        this.d.session.predict(runDir, image, readPreviewImage, () => token.isCancellationRequested),
        new Promise<null>((resolve) => token.onCancellationRequested(() => resolve(null))),
      ]),
    );
    if (!prediction) return;
    const summary = predictionSummary(image, prediction.top);
    this.d.log.line(`Predicted ${image} with ${runDir}: ${summary}`);
    void vscode.window.showInformationMessage(summary, 'Show').then((choice) => {
      if (choice === 'Show') this.showPrediction();
    });
  }

  /** Opens (or brings forward) the dashboard on the prediction's run, scrolled to the prediction. */
  showPrediction(): void {
    this.d.panel.show(false);
    this.d.session.revealPrediction();
  }

  /**
   * Narrows the dashboard to one layer's feature maps, but only when a dashboard for `modelUri` is
   * already open (a selection in the designer must never open one). Returns whether it did.
   */
  revealLayerIfDashboardOpen(modelUri: vscode.Uri, layerId: string): boolean {
    if (!dashboardShowsModel({ open: this.d.panel.isOpen, modelUri: this.modelUri?.toString() }, modelUri.toString())) return false;
    this.d.panel.post({ type: 'revealLayer', layerId });
    return true;
  }

  showLayer(layerId: unknown): void {
    if (typeof layerId !== 'string' || !layerId) return;
    this.d.panel.show(true);
    this.d.panel.post({ type: 'revealLayer', layerId });
  }

  private async runDirOrShown(arg: unknown, title: string): Promise<string | undefined> {
    return runDirFromArg(arg) ?? this.d.session.shown?.info.runDir ?? (await pickRun(title));
  }
}
