/**
 * The history of one run as the dashboard needs it, grown from engine events (pure: no vscode), so the
 * dashboard can be hydrated at any time and late views miss nothing. `apply` turns an engine event into
 * the delta messages to forward; `hydrate` is the full snapshot.
 */
import { describeGpuAdapter, type ActivationsResult, type EngineBackendInfo, type EngineClientEvent, type EpochMetrics, type EvaluationReport, type RunStatus } from '../../protocol/engine';
import type {
  BatchPoint,
  HostToDashboard,
  DashboardRunInfo,
  FeatureMapSnapshot,
  HydrateMessage,
  RunSettings,
  SampleThumbnail,
} from '../../protocol/dashboard';

/** Caps memory on very long runs: beyond this, every other stored batch point is dropped (the curve keeps its shape). */
const MAX_BATCH_POINTS = 20000;

export function describeBackend(b: EngineBackendInfo): string {
  if (b.adapter) return `${b.name} on ${describeGpuAdapter(b.adapter)}`;
  const extras = [b.simd ? 'simd' : '', b.kernels ?? '', b.threads > 1 ? `${b.threads} threads` : ''].filter(Boolean).join(', ');
  return extras ? `${b.name} (${extras})` : b.name;
}

export class RunHistory {
  info: DashboardRunInfo;
  readonly batches: BatchPoint[] = [];
  readonly epochs: EpochMetrics[] = [];
  featureMaps: FeatureMapSnapshot[] = [];
  /** The maps of a sample picked in the evaluation, apart from the series above; null when none is shown. */
  picked: FeatureMapSnapshot | null = null;
  evaluation: EvaluationReport | null = null;
  thumbnails: SampleThumbnail[] = [];
  activity: string | null = null;

  constructor(info: DashboardRunInfo, epochs: readonly EpochMetrics[] = []) {
    this.info = info;
    this.epochs.push(...epochs);
  }

  get runId(): string {
    return this.info.runId;
  }

  get status(): RunStatus {
    return this.info.status;
  }

  get lastBatch(): BatchPoint | undefined {
    return this.batches[this.batches.length - 1];
  }

  /** A snapshot: copies of the lists, so later growth of the history cannot leak into a message not yet sent. */
  hydrate(): HydrateMessage {
    return {
      type: 'hydrate',
      run: this.info,
      batches: [...this.batches],
      epochs: [...this.epochs],
      featureMaps: [...this.featureMaps],
      pickedFeatureMaps: this.picked,
      evaluation: this.evaluation,
      thumbnails: [...this.thumbnails],
    };
  }

  /** Records an engine event about this run; returns the messages a visible dashboard should get. */
  apply(e: EngineClientEvent): HostToDashboard[] {
    if ('runId' in e && e.runId !== null && e.runId !== this.runId) return [];
    const runId = this.runId;
    switch (e.type) {
      case 'batchMetrics': {
        const point: BatchPoint = {
          step: (e.epoch - 1) * e.batchesPerEpoch + e.batch,
          epoch: e.epoch,
          batch: e.batch,
          loss: e.loss,
          accuracy: e.accuracy,
          learningRate: e.learningRate,
          samplesPerSec: e.samplesPerSec,
        };
        this.batches.push(point);
        if (this.batches.length > MAX_BATCH_POINTS) thin(this.batches);
        if (this.info.batchesPerEpoch !== e.batchesPerEpoch) this.info = { ...this.info, batchesPerEpoch: e.batchesPerEpoch };
        this.activity = null;
        return [{ type: 'batchMetrics', runId, points: [point], batchesPerEpoch: e.batchesPerEpoch }];
      }
      case 'epochMetrics': {
        const at = this.epochs.findIndex((x) => x.epoch === e.metrics.epoch);
        if (at >= 0) this.epochs[at] = e.metrics;
        else this.epochs.push(e.metrics);
        // The epoch's checkpoints are written by now: "Saving checkpoints of epoch n" is over.
        const saved = this.activity !== null;
        this.activity = null;
        return saved ? [{ type: 'epochMetrics', runId, epochs: [e.metrics] }, this.statusMessage()] : [{ type: 'epochMetrics', runId, epochs: [e.metrics] }];
      }
      case 'progress':
        this.activity = e.phase === 'training' ? null : e.message;
        return [this.statusMessage()];
      case 'runState':
        this.activity = null;
        this.setStatus(e.status);
        return [this.statusMessage()];
      case 'runFinished':
        this.activity = null;
        this.setStatus(e.status, e.message);
        return [this.statusMessage()];
      case 'runInterrupted':
        this.activity = null;
        this.setStatus('interrupted', e.message);
        return [this.statusMessage()];
      case 'engineCrashed':
        if (this.status !== 'running' && this.status !== 'paused') return [];
        this.activity = null;
        this.setStatus('interrupted', e.message);
        return [this.statusMessage()];
      case 'error':
        return e.runId === null ? [] : [{ type: 'error', message: e.message }];
      case 'log':
      case 'runStarted':
        return [];
    }
  }

  setStatus(status: RunStatus, message?: string): void {
    this.info = { ...this.info, status, message: message ?? (status === 'running' || status === 'paused' ? undefined : this.info.message) };
  }

  statusMessage(): HostToDashboard {
    return { type: 'runStatus', runId: this.runId, status: this.status, message: this.info.message, activity: this.activity };
  }

  /** Keeps one snapshot per epoch; a different sample starts a new series. */
  addFeatureMaps(snapshot: FeatureMapSnapshot): HostToDashboard {
    const first = this.featureMaps[0];
    if (first && (first.sample.datasetIndex !== snapshot.sample.datasetIndex || first.sample.path !== snapshot.sample.path)) this.featureMaps = [];
    this.featureMaps = [...this.featureMaps.filter((s) => s.epoch !== snapshot.epoch), snapshot].sort((a, b) => a.epoch - b.epoch);
    return { type: 'featureMaps', runId: this.runId, snapshot };
  }

  /** Shows a picked sample's maps; the training sample's series stays as it is. */
  setPicked(snapshot: FeatureMapSnapshot): HostToDashboard {
    this.picked = snapshot;
    return { type: 'featureMaps', runId: this.runId, snapshot, picked: true };
  }

  setEvaluation(report: EvaluationReport, thumbnails: readonly SampleThumbnail[]): HostToDashboard {
    this.evaluation = report;
    this.thumbnails = [...thumbnails];
    return { type: 'evaluation', runId: this.runId, report, thumbnails };
  }
}

function thin(points: BatchPoint[]): void {
  let w = 0;
  for (let r = 0; r < points.length; r++) if (r % 2 === 0 || r === points.length - 1) points[w++] = points[r]!;
  points.length = w;
}

/** The engine's activations for one sample at one epoch, as the dashboard shows them. */
export function snapshotFromActivations(epoch: number, datasetIndex: number | null, a: ActivationsResult): FeatureMapSnapshot {
  return {
    epoch,
    sample: { datasetIndex, path: a.samplePath, trueClass: a.trueClass },
    input: { shape: a.input.shape, data: a.input.data },
    prediction: a.prediction,
    layers: a.featureMaps.map((f) => ({ layerId: f.layerId, type: f.layerType, shape: f.shape, totalChannels: f.totalChannels, tiles: f.data })),
    filters: a.filters ? { layerId: a.filters.layerId, shape: a.filters.shape, data: a.filters.data } : null,
    gradCam: a.gradCam ? { layerId: a.gradCam.layerId, layers: a.gradCam.layers, score: a.gradCam.score, className: a.gradCam.className, shape: a.gradCam.shape, data: a.gradCam.data } : null,
  };
}

export function emptyRunInfo(partial: Pick<DashboardRunInfo, 'runId' | 'runDir' | 'modelName'> & Partial<DashboardRunInfo>): DashboardRunInfo {
  return {
    status: 'running',
    backend: '',
    epochsPlanned: 0,
    batchesPerEpoch: 0,
    batchSize: 0,
    classNames: [],
    settings: {} as RunSettings,
    ...partial,
  };
}
