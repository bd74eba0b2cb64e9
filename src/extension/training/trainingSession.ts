/**
 * The training session controller (no vscode): starts runs on the engine, keeps the history of the run
 * being shown (pattern: the host keeps the history, views hydrate then get deltas), captures feature maps
 * of one sample at every epoch while a dashboard is open, and forwards deltas to whoever listens (the
 * dashboard panel, the status bar, the progress notification, the sidebar).
 */
import { existsSync } from 'node:fs';
import type { ActivationsTarget, DatasetDescription, DescribeDatasetParams, EngineClientEvent, EvaluationReport, ImagePrediction, RunStatus, RunWarning, SampleRef, StartTrainingParams } from '../../protocol/engine';
import type {
  CompareRun,
  HostToDashboard,
  PredictionMessage,
  PreviewImage,
  RunsForCompareMessage,
  SampleThumbnail,
} from '../../protocol/dashboard';
import { describeBackend, emptyRunInfo, RunHistory, snapshotFromActivations } from './runHistory';
import { readRunRecord } from '../../engine/runs/runStore';
import { historyFromRunFolder, readRunFolder } from './runFiles';
import type { TrainingEngine } from './trainingEngine';

/** Channels per layer sent to the dashboard: enough to see what a layer does, small enough to stream. */
const MAX_CHANNELS = 32;

export interface SessionListener {
  /** A message for the dashboard (a delta for the shown run, or a fresh `hydrate`). */
  dashboard?(message: HostToDashboard): void;
  /** A live run changed (metrics, status, ended): the status bar and progress read it. */
  runChanged?(history: RunHistory): void;
  /** The engine warns about the live run (e.g. the loss is not improving): for the output channel. */
  trainingWarning?(warning: RunWarning, history: RunHistory): void;
}

export type TrainingState = 'idle' | 'running' | 'paused';

export class TrainingSession {
  /** The run in the engine right now (running or paused), if any. */
  live: RunHistory | null = null;
  /** The run the dashboard shows: the live one, or one opened from disk. */
  shown: RunHistory | null = null;
  /** Feature maps are captured only while someone looks (they cost the training a forward pass each). */
  captureFeatureMaps = false;
  /**
   * Live captures pause training (a forward and a Grad-CAM backward pass), so they are spaced to cost at
   * most this share of the training time (1%): every epoch when epochs are long, every few epochs when they
   * take a second. The final maps are read from the checkpoint after the run, at no cost to training.
   */
  featureMapBudget = 0.01;
  private lastCaptureEnd = 0;
  private lastCaptureMs = 0;
  /** The sample whose maps are captured each epoch (the series the dashboard's epoch slider scrubs). */
  private tracked: SampleRef = { datasetIndex: 0 };
  /** A sample picked in the evaluation: captured once, shown apart from the series until the page closes it. */
  private picked: SampleRef | null = null;
  /** The conv layer the user chose for Grad-CAM in the shown run; the last conv layer when undefined. */
  private gradCamLayer: string | undefined = undefined;
  private captureDone: Promise<void> | null = null;
  /** The last prediction and the run folder it came from (run ids are timestamps: two models can share one). */
  private prediction: { readonly runDir: string; readonly message: PredictionMessage } | null = null;
  private comparison: RunsForCompareMessage | null = null;
  private readonly listeners = new Set<SessionListener>();
  private unsubscribe: (() => void) | null = null;
  private engine: TrainingEngine | null = null;

  constructor(private readonly getEngine: () => Promise<TrainingEngine>) {}

  get state(): TrainingState {
    const s = this.live?.status;
    return s === 'running' ? 'running' : s === 'paused' ? 'paused' : 'idle';
  }

  listen(l: SessionListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private async connect(): Promise<TrainingEngine> {
    if (this.engine) return this.engine;
    const engine = await this.getEngine();
    this.unsubscribe?.();
    this.unsubscribe = engine.onEvent((e) => this.onEngineEvent(e));
    this.engine = engine;
    return engine;
  }

  /** What a model's dataset holds, for the side bar (the engine caches it). */
  async describeDataset(params: DescribeDatasetParams): Promise<DatasetDescription> {
    return (await this.connect()).call('describeDataset', params);
  }

  /** Forgets the engine (it exited); the next call starts or reconnects to a new one. */
  engineGone(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.engine = null;
  }

  async start(params: StartTrainingParams): Promise<RunHistory> {
    if (this.live) throw Object.assign(new Error(`A run of '${this.live.info.modelName}' is already ${this.live.status}. Stop it first (CNN Studio: Stop Training).`), { userFacing: true });
    const engine = await this.connect();
    const started = await engine.call('startTraining', params);
    // `runStarted` usually arrives before the reply and has built the history; if not, build it now.
    const current = this.live as RunHistory | null;
    if (!current || current.runId !== started.runId) {
      this.adoptLive(
        new RunHistory(
          emptyRunInfo({
            runId: started.runId,
            runDir: started.runDir,
            modelName: started.runDir.split(/[\\/]/).slice(-2, -1)[0] ?? 'model',
            backend: describeBackend(started.backend),
            classNames: started.dataset.classNames,
          }),
        ),
      );
    }
    return this.live!;
  }

  async pause(): Promise<RunStatus> {
    return (await (await this.connect()).call('pause', {})).status;
  }

  async resume(): Promise<RunStatus> {
    return (await (await this.connect()).call('resume', {})).status;
  }

  async stop(): Promise<RunStatus> {
    return (await (await this.connect()).call('stop', {})).status;
  }

  /** Shows a run from disk (or the live one, when it is that run). */
  openRun(runDir: string): RunHistory {
    if (this.live && this.live.info.runDir === runDir) {
      this.show(this.live);
      return this.live;
    }
    const h = historyFromRunFolder(runDir);
    this.tracked = { datasetIndex: 0 };
    this.show(h);
    return h;
  }

  /** Sends the shown run's full state to the dashboard (it just became visible or asked with `ready`). */
  hydrate(): void {
    const message: HostToDashboard = this.shown
      ? this.shown.hydrate()
      : { type: 'hydrate', run: null, batches: [], epochs: [], featureMaps: [], evaluation: null, thumbnails: [] };
    this.toDashboard(message);
    if (this.prediction && this.prediction.runDir === this.shown?.info.runDir) this.toDashboard(this.prediction.message);
    if (this.comparison) this.toDashboard(this.comparison);
  }

  /** Overlays these runs in the dashboard (kept, so a reopened dashboard shows them again). */
  compare(runs: readonly CompareRun[]): void {
    this.comparison = { type: 'runsForCompare', runs };
    this.toDashboard(this.comparison);
  }

  /** `testPath`: a held-out test set; absent: the run's validation split. */
  async evaluate(runDir: string, readThumbnail: (path: string) => SampleThumbnail['image'] | null, testPath?: string): Promise<EvaluationReport> {
    const report = await (await this.connect()).call('evaluate', { runDir, ...(testPath ? { testPath } : {}) });
    const thumbnails: SampleThumbnail[] = [];
    for (const m of report.misclassified.slice(0, 48)) {
      const image = m.path ? readThumbnail(m.path) : null;
      if (image) thumbnails.push({ index: m.index, image });
    }
    const target = this.shown && this.shown.info.runDir === runDir ? this.shown : this.openRun(runDir);
    this.toDashboard(target.setEvaluation(report, thumbnails));
    return report;
  }

  /**
   * Top classes of an image. Kept for the dashboard (shown at once when it shows that run, else when the
   * user asks with `revealPrediction`). `cancelled` is asked when the engine answers: a cancelled
   * prediction is dropped (null), so an old answer never replaces what the user sees.
   */
  async predict(runDir: string, imagePath: string, readImage: (path: string) => PreviewImage | null, cancelled: () => boolean = () => false): Promise<ImagePrediction | null> {
    const [prediction] = await (await this.connect()).call('predict', { runDir, imagePaths: [imagePath], topK: 5 });
    if (!prediction) throw new Error('The engine returned no prediction.');
    if (prediction.top.length === 0) throw Object.assign(new Error(`Cannot read ${imagePath}: ${prediction.error ?? 'the engine could not decode it'}. Pick a PNG, JPEG or WebP image.`), { userFacing: true });
    if (cancelled()) return null;
    const runId = this.shown?.info.runDir === runDir ? this.shown.runId : readRunRecord(runDir).runId;
    this.prediction = { runDir, message: { type: 'prediction', runId, imagePath, top: prediction.top, image: readImage(imagePath) } };
    if (this.shown?.info.runDir === runDir) this.toDashboard(this.prediction.message);
    return prediction;
  }

  /** Shows the last prediction's run in the dashboard and asks the page to scroll to the prediction. */
  revealPrediction(): void {
    const p = this.prediction;
    if (!p) return;
    if (this.shown?.info.runDir !== p.runDir) this.openRun(p.runDir);
    this.toDashboard({ ...p.message, reveal: true });
  }

  /** Resolves when no feature-map capture is in flight (scripts and tests wait for the last epoch's maps). */
  async whenIdle(): Promise<void> {
    while (this.captureDone) await this.captureDone;
  }

  /**
   * Feature maps of a sample picked in the evaluation, from the shown run's latest state (live model or
   * its last checkpoint). They are shown apart: the training sample's maps over the epochs stay, and
   * later epochs keep capturing that sample.
   */
  async pickSample(sample: SampleRef): Promise<void> {
    this.picked = sample;
    // A capture of the series may be in flight: the pick comes after it, not instead of it.
    await this.whenIdle();
    await this.captureNow();
  }

  /** The page went back to the training sample's series. */
  closePickedSample(): void {
    this.picked = null;
    if (this.shown) this.shown.picked = null;
  }

  /** Grad-CAM at another conv layer: recaptures the sample on display, and later captures keep the choice. */
  async chooseGradCamLayer(layerId: string): Promise<void> {
    this.gradCamLayer = layerId;
    await this.whenIdle();
    await this.captureNow();
  }

  /** Captures the sample on display (the picked one, else the series' sample) at the shown run's latest epoch. */
  async captureNow(): Promise<void> {
    const h = this.shown;
    if (!h) return;
    const isLive = this.live === h && (h.status === 'running' || h.status === 'paused');
    if (!isLive && !existsSync(`${h.info.runDir}/last`)) return;
    const target: ActivationsTarget = isLive ? { kind: 'live' } : { kind: 'run', runDir: h.info.runDir, checkpoint: 'last' };
    const epoch = h.epochs[h.epochs.length - 1]?.epoch ?? 0;
    await this.capture(h, target, epoch, this.picked);
  }

  private captureAffordable(): boolean {
    const sinceLast = Date.now() - this.lastCaptureEnd;
    return this.lastCaptureMs === 0 || this.lastCaptureMs <= sinceLast * this.featureMapBudget;
  }

  /** `picked`: capture that sample for the picked view; null: the next snapshot of the series. */
  private capture(h: RunHistory, target: ActivationsTarget, epoch: number, picked: SampleRef | null = null): Promise<void> {
    if (this.captureDone) return this.captureDone;
    const started = Date.now();
    this.captureDone = this.doCapture(h, target, epoch, picked).finally(() => {
      this.captureDone = null;
      this.lastCaptureEnd = Date.now();
      if (target.kind === 'live') this.lastCaptureMs = this.lastCaptureEnd - started;
    });
    return this.captureDone;
  }

  private async doCapture(h: RunHistory, target: ActivationsTarget, epoch: number, picked: SampleRef | null): Promise<void> {
    const engine = await this.connect();
    const sample = picked ?? this.tracked;
    const request = { sample, maxChannels: MAX_CHANNELS, ...(this.gradCamLayer !== undefined ? { gradCamLayer: this.gradCamLayer } : {}) };
    let a;
    try {
      a = await engine.call('activations', { target, ...request });
    } catch (err) {
      // The run ended between the epoch and this request: read the checkpoint it left instead.
      if (target.kind !== 'live' || !existsSync(`${h.info.runDir}/last`)) throw err;
      a = await engine.call('activations', { target: { kind: 'run', runDir: h.info.runDir, checkpoint: 'last' }, ...request });
    }
    const snapshot = snapshotFromActivations(epoch, 'datasetIndex' in sample ? sample.datasetIndex : null, a);
    // Closed while it was being captured: the page has gone back to the series.
    if (picked && picked !== this.picked) return;
    const message = picked ? h.setPicked(snapshot) : h.addFeatureMaps(snapshot);
    if (h === this.shown) this.toDashboard(message);
  }

  private adoptLive(h: RunHistory): void {
    this.live = h;
    this.lastCaptureMs = 0;
    this.tracked = { datasetIndex: 0 };
    this.show(h);
    this.emitChanged(h);
  }

  private show(h: RunHistory): void {
    // Another run may be another model: its conv layers are not the chosen one's.
    if (h !== this.shown) {
      this.gradCamLayer = undefined;
      // A picked sample belongs to the evaluation of the run it was picked in, and is left with it.
      this.picked = null;
      if (this.shown) this.shown.picked = null;
    }
    this.shown = h;
    this.hydrate();
  }

  private onEngineEvent(e: EngineClientEvent): void {
    if (e.type === 'runStarted') {
      let settings: Readonly<Record<string, string>> = {};
      try {
        settings = readRunFolder(e.runDir).settings;
      } catch {
        // config.json not written yet: the comparison table fills in when the run is reopened
      }
      const h = new RunHistory(
        emptyRunInfo({
          runId: e.runId,
          runDir: e.runDir,
          modelName: e.modelName,
          backend: describeBackend(e.backend),
          epochsPlanned: e.epochs,
          batchSize: e.batchSize,
          classNames: e.dataset.classNames,
          settings,
        }),
        e.history,
      );
      this.adoptLive(h);
      return;
    }
    if (e.type === 'engineCrashed') this.engineGone();
    const h = this.live;
    if (!h) return;
    if (e.type === 'log' && e.warning) for (const l of [...this.listeners]) l.trainingWarning?.(e.warning, h);
    const messages = h.apply(e);
    if (h === this.shown) for (const m of messages) this.toDashboard(m);
    if (e.type === 'epochMetrics' && this.captureFeatureMaps && h.status === 'running' && this.captureAffordable()) {
      void this.capture(h, { kind: 'live' }, e.metrics.epoch).catch(() => undefined);
    }
    const ended = e.type === 'runFinished' || e.type === 'runInterrupted' || (e.type === 'engineCrashed' && h.status === 'interrupted');
    if (ended) {
      this.live = null;
      // The last epoch's maps from the saved checkpoint, if the live capture missed it.
      if (this.captureFeatureMaps && h === this.shown && e.type === 'runFinished') void this.captureNow().catch(() => undefined);
    }
    if (messages.length > 0 || ended) this.emitChanged(h);
  }

  private emitChanged(h: RunHistory): void {
    for (const l of [...this.listeners]) l.runChanged?.(h);
  }

  private toDashboard(m: HostToDashboard): void {
    for (const l of [...this.listeners]) l.dashboard?.(m);
  }

  dispose(): void {
    this.unsubscribe?.();
    this.listeners.clear();
  }
}
