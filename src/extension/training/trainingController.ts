/**
 * The training commands and the glue between the session, the dashboard panel, the status bar and the
 * progress notification. Every handler throws user-facing errors; `registerFailableCommand` shows them.
 */
import * as vscode from 'vscode';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseModelText } from '../../core/loader';
import { isBackendPreference, type BackendPreference } from '../../protocol/engine';
import type { DashboardWebviewMessage } from '../../protocol/dashboard';
import { UserFacingError } from '../userFacingError';
import type { OutputLog } from '../outputLog';
import { TRAINING_COMMANDS, TRAINING_CONTEXT } from './commandIds';
import type { DashboardPanel } from './dashboardPanel';
import { dashboardShowsModel } from './layerReveal';
import { compareRunFrom, metricsCsv, readRunFolder, skippedFilesLog } from './runFiles';
import { pickRun, pickRuns, runDirFromArg } from './pickRun';
import { readPreviewImage } from './previewImage';
import type { TrainingStatusBar } from './statusBar';
import type { TrainingProgress } from './trainingProgress';
import type { TrainingSession } from './trainingSession';
import { runCliCommand } from './cliProcess';

const MODEL_GLOB = '**/*.cnn.json';

export interface ControllerDeps {
  readonly extensionUri: vscode.Uri;
  readonly session: TrainingSession;
  readonly panel: DashboardPanel;
  readonly statusBar: TrainingStatusBar;
  readonly progress: TrainingProgress;
  readonly log: OutputLog;
  readonly workspaceState: vscode.Memento;
  /** The model shown in the active designer, if any. */
  readonly activeDesignerUri?: () => vscode.Uri | undefined;
  /** Selects a layer in the designer(s) of the model (the dashboard's layer picker). */
  readonly revealLayerInDesigner?: (modelUri: vscode.Uri, layerId: string) => void;
}

export class TrainingController {
  private compareSelection: string[] = [];
  /** The model file of the live/shown run, for revealing layers in its designer. */
  private modelUri: vscode.Uri | undefined;

  constructor(private readonly d: ControllerDeps) {
    d.session.listen({
      dashboard: (m) => d.panel.post(m),
      trainingWarning: (w, h) => {
        d.log.line(`[warning] ${h.info.modelName}, epoch ${w.epoch}: ${w.message}`);
        void vscode.window.showWarningMessage(`Training ${h.info.modelName}: ${w.message}`);
      },
      runChanged: (h) => {
        d.statusBar.update(h);
        d.progress.update(h);
        const state = h.status === 'running' ? 'running' : h.status === 'paused' ? 'paused' : 'idle';
        void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT.state, state);
        if (state === 'idle') {
          d.progress.end();
          if (h.status === 'failed') void vscode.window.showErrorMessage(`Training ${h.info.modelName} failed: ${h.info.message ?? 'see the CNN Studio log'}`);
          else if (h.status === 'interrupted') void vscode.window.showWarningMessage(`Training ${h.info.modelName} was interrupted: ${h.info.message ?? ''}`);
        }
      },
    });
    d.panel.onMessage = (m) => void this.onDashboardMessage(m);
    d.panel.onOpenChanged = (open) => {
      d.session.captureFeatureMaps = open;
    };
    void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT.state, 'idle');
  }

  /* ---------------------------------------------------------------- train, pause, resume, stop -- */

  async train(arg?: unknown): Promise<void> {
    const modelUri = await this.resolveModel(arg);
    if (!modelUri) return;
    const doc = vscode.workspace.textDocuments.find((t) => t.uri.toString() === modelUri.toString());
    const modelText = doc ? doc.getText() : readFileSync(modelUri.fsPath, 'utf8');
    const parsed = parseModelText(modelText);
    if (!parsed.model) {
      const first = parsed.diagnostics[0]?.message ?? 'it is not a valid model file';
      throw new UserFacingError(`Cannot train ${vscode.workspace.asRelativePath(modelUri)}: ${first} Fix it in the designer or the Problems panel, then train again.`);
    }
    const dataDir = await this.resolveDataDir(modelUri, parsed.model.dataset?.path);
    if (dataDir === null) return;
    const folder = vscode.workspace.getWorkspaceFolder(modelUri);
    const runsRoot = folder ? folder.uri.fsPath : dirname(modelUri.fsPath);
    const backendSetting = vscode.workspace.getConfiguration('cnnStudio').get<string>('backend', 'auto');
    const backend: BackendPreference = isBackendPreference(backendSetting) ? backendSetting : 'auto';
    // 0 (or anything that is not a whole number 1–16) = the engine's default, half the CPUs (see defaultWasmThreads).
    const threadsSetting = vscode.workspace.getConfiguration('cnnStudio').get<number>('wasmThreads', 0);
    const threads = Number.isInteger(threadsSetting) && threadsSetting >= 1 && threadsSetting <= 16 ? threadsSetting : undefined;
    // 0 (or anything that is not a whole number 1–64) = automatic: the physical cores, fewer under load.
    const nativeSetting = vscode.workspace.getConfiguration('cnnStudio').get<number>('nativeThreads', 0);
    const nativeThreads = Number.isInteger(nativeSetting) && nativeSetting >= 1 && nativeSetting <= 64 ? nativeSetting : undefined;
    this.modelUri = modelUri;
    this.d.panel.show(true);
    this.d.session.captureFeatureMaps = this.d.panel.isOpen;
    this.d.progress.start(`Training ${parsed.model.name}`, () => void this.d.session.stop().catch(() => undefined));
    try {
      const h = await this.d.session.start({ modelPath: modelUri.fsPath, modelText, dataDir, runsRoot, overrides: { backend, ...(threads !== undefined ? { threads } : {}), ...(nativeThreads !== undefined ? { nativeThreads } : {}) } });
      this.d.log.line(`Training ${h.info.modelName} → ${h.info.runDir} (${h.info.backend})`);
      for (const line of skippedFilesLog(h.info.runDir)) this.d.log.line(line);
    } catch (err) {
      this.d.progress.end();
      const e = err as { code?: string; message?: string };
      if (e.code === 'dataset') {
        throw new UserFacingError(`${e.message ?? 'The dataset could not be read.'}`, {
          title: 'Choose Data Folder…',
          run: async () => {
            await this.d.workspaceState.update(dataKey(modelUri), undefined);
            const picked = await this.chooseDataFolder(modelUri);
            if (picked) await vscode.commands.executeCommand(TRAINING_COMMANDS.train, modelUri);
          },
        });
      }
      throw err;
    }
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

  async evaluate(arg?: unknown): Promise<void> {
    const runDir = await this.runDirOrShown(arg, 'Evaluate which run?');
    if (!runDir) return;
    this.d.panel.show(true);
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Evaluating the run…' }, () =>
      this.d.session.evaluate(runDir, readPreviewImage),
    );
    this.d.log.line(`Evaluated ${runDir}: accuracy ${(report.accuracy * 100).toFixed(1)}% on ${report.numSamples} samples`);
  }

  async predict(arg?: unknown, imageArg?: unknown): Promise<void> {
    const runDir = await this.runDirOrShown(arg, 'Predict with which run?');
    if (!runDir) return;
    let imagePath = imageArg instanceof vscode.Uri ? imageArg.fsPath : typeof imageArg === 'string' ? imageArg : undefined;
    if (!imagePath) {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Predict', filters: { Images: ['png', 'jpg', 'jpeg', 'bmp', 'gif', 'webp'] } });
      imagePath = picked?.[0]?.fsPath;
    }
    if (!imagePath) return;
    this.d.panel.show(true);
    await this.d.session.predict(runDir, imagePath, readPreviewImage);
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

  /* ----------------------------------------------------------------------------- walkthrough -- */

  async makeSampleDataset(): Promise<string> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new UserFacingError('Open a folder first (File › Open Folder…): the sample dataset is written into the workspace.');
    const out = join(folder.uri.fsPath, 'data', 'shapes');
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Writing the sample dataset (circles, squares, triangles)…' }, () =>
      runCliCommand(this.d.extensionUri.fsPath, ['make-dataset', 'shapes', out, '--per-class', '150', '--size', '28', '--seed', '1']),
    );
    const open = 'Reveal in Explorer';
    // Not awaited: the command is done when the files are there, not when the note is dismissed.
    void vscode.window
      .showInformationMessage(`Wrote 450 labelled 28×28 images to ${vscode.workspace.asRelativePath(out)} (one folder per class). Train a model on it with CNN Studio: Train Model.`, open)
      .then((picked) => (picked === open ? vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(out)) : undefined));
    return out;
  }

  /* ------------------------------------------------------------------------------- messages -- */

  private async onDashboardMessage(m: DashboardWebviewMessage): Promise<void> {
    const run = (id: string, ...args: unknown[]) => vscode.commands.executeCommand(id, ...args);
    const runDir = this.d.session.shown?.info.runDir;
    switch (m.type) {
      case 'ready':
        this.d.session.hydrate();
        return;
      case 'pause':
        await run(TRAINING_COMMANDS.pause);
        return;
      case 'resume':
        await run(TRAINING_COMMANDS.resume);
        return;
      case 'stop':
        await run(TRAINING_COMMANDS.stop);
        return;
      case 'train':
        await run(TRAINING_COMMANDS.train, this.modelUri);
        return;
      case 'exportCsv':
        await run(TRAINING_COMMANDS.exportMetricsCsv, runDir);
        return;
      case 'evaluate':
        await run(TRAINING_COMMANDS.evaluateRun, runDir);
        return;
      case 'predict':
        await run(TRAINING_COMMANDS.predictImage, runDir);
        return;
      case 'compareRuns':
        await run(TRAINING_COMMANDS.compareRuns);
        return;
      case 'openFile':
        if (existsSync(m.path)) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(m.path), vscode.ViewColumn.Active);
        else void vscode.window.showWarningMessage(`${m.path} no longer exists (moved or deleted since the evaluation).`);
        return;
      case 'pickSample':
        await this.d.session.pickSample(m.sample).catch((err: unknown) => {
          this.d.log.error('feature maps for the picked sample', err);
          this.d.panel.post({ type: 'error', message: `Could not compute feature maps for that sample: ${err instanceof Error ? err.message : String(err)}` });
        });
        return;
      case 'chooseGradCamLayer':
        await this.d.session.chooseGradCamLayer(m.layerId).catch((err: unknown) => {
          this.d.log.error('Grad-CAM at the chosen layer', err);
          this.d.panel.post({ type: 'error', message: `Could not compute Grad-CAM at ${m.layerId}: ${err instanceof Error ? err.message : String(err)}` });
        });
        return;
      case 'selectLayer':
        if (this.modelUri) this.d.revealLayerInDesigner?.(this.modelUri, m.layerId);
        return;
    }
  }

  /* -------------------------------------------------------------------------------- helpers -- */

  private async runDirOrShown(arg: unknown, title: string): Promise<string | undefined> {
    return runDirFromArg(arg) ?? this.d.session.shown?.info.runDir ?? (await pickRun(title));
  }

  private async resolveModel(arg: unknown): Promise<vscode.Uri | undefined> {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'string' && arg.endsWith('.cnn.json')) return vscode.Uri.file(arg);
    const designer = this.d.activeDesignerUri?.();
    if (designer) return designer;
    const editor = vscode.window.activeTextEditor?.document.uri;
    if (editor && editor.path.endsWith('.cnn.json')) return editor;
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (tab instanceof vscode.TabInputCustom && tab.uri.path.endsWith('.cnn.json')) return tab.uri;
    const files = await vscode.workspace.findFiles(MODEL_GLOB, '**/{node_modules,.cnn-studio}/**', 50);
    if (files.length === 0) {
      throw new UserFacingError('There is no model (*.cnn.json) in this workspace. Create one with CNN Studio: New Model from Template.', {
        title: 'New Model from Template',
        run: () => vscode.commands.executeCommand('cnnStudio.newModelFromTemplate'),
      });
    }
    if (files.length === 1) return files[0];
    const picked = await vscode.window.showQuickPick(
      files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
      { title: 'Train which model?' },
    );
    return picked?.uri;
  }

  /**
   * The data to train on: the model's dataset when it exists; else a folder chosen before for this model;
   * else the sample dataset if it was made; else ask. `undefined` = the model's own; `null` = cancelled.
   */
  private async resolveDataDir(modelUri: vscode.Uri, datasetPath: string | undefined): Promise<string | undefined | null> {
    const base = dirname(modelUri.fsPath);
    if (datasetPath && existsSync(isAbsolute(datasetPath) ? datasetPath : join(base, datasetPath))) return undefined;
    const remembered = this.d.workspaceState.get<string>(dataKey(modelUri));
    if (remembered && existsSync(remembered)) return remembered;
    const folder = vscode.workspace.getWorkspaceFolder(modelUri)?.uri.fsPath ?? base;
    const sample = join(folder, 'data', 'shapes');
    const items: (vscode.QuickPickItem & { action: 'sample' | 'choose' | 'make' })[] = [];
    if (existsSync(sample)) items.push({ label: '$(database) Use the sample dataset', description: vscode.workspace.asRelativePath(sample), action: 'sample' });
    items.push({ label: '$(folder-opened) Choose a data folder…', description: 'one sub-folder of images per class', action: 'choose' });
    if (!existsSync(sample)) items.push({ label: '$(add) Make the sample dataset', description: 'circles, squares and triangles, 28×28, offline', action: 'make' });
    const what = datasetPath ? `The model's dataset '${datasetPath}' does not exist.` : 'The model names no dataset.';
    const picked = await vscode.window.showQuickPick(items, { title: `${what} What should it train on?` });
    if (!picked) return null;
    if (picked.action === 'make') {
      await this.makeSampleDataset();
      await this.d.workspaceState.update(dataKey(modelUri), sample);
      return sample;
    }
    if (picked.action === 'sample') {
      await this.d.workspaceState.update(dataKey(modelUri), sample);
      return sample;
    }
    return (await this.chooseDataFolder(modelUri)) ?? null;
  }

  private async chooseDataFolder(modelUri: vscode.Uri): Promise<string | undefined> {
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: 'Train on this folder', defaultUri: vscode.Uri.file(dirname(modelUri.fsPath)) });
    const dir = picked?.[0]?.fsPath;
    if (dir) await this.d.workspaceState.update(dataKey(modelUri), dir);
    return dir;
  }
}

function dataKey(modelUri: vscode.Uri): string {
  return `cnnStudio.dataDir:${modelUri.toString()}`;
}
