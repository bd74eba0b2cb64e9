/**
 * What the dashboard shows, rebuilt from `hydrate` and grown by deltas. Messages for another run than the
 * shown one are dropped here (a late delta of the previous run must not leak into the new run's charts).
 */
import type { EpochMetrics, EvaluationReport, RunStatus } from '../../src/protocol/engine';
import type {
  BatchPoint,
  CompareRun,
  HostToDashboard,
  DashboardRunInfo,
  FeatureMapSnapshot,
  PredictionMessage,
  SampleThumbnail,
} from '../../src/protocol/dashboard';

export type Section = 'header' | 'charts' | 'featureMaps' | 'evaluation' | 'compare' | 'prediction';

export class DashboardState {
  run: DashboardRunInfo | null = null;
  status: RunStatus | null = null;
  activity: string | null = null;
  message: string | null = null;
  batches: BatchPoint[] = [];
  epochs: EpochMetrics[] = [];
  /** Keyed by epoch, for the scrub slider; a new sample replaces the whole series. */
  featureMaps: FeatureMapSnapshot[] = [];
  /** A sample picked in the evaluation, shown in place of the series until the user goes back. */
  picked: FeatureMapSnapshot | null = null;
  evaluation: EvaluationReport | null = null;
  thumbnails = new Map<number, SampleThumbnail>();
  prediction: PredictionMessage | null = null;
  /** The next draw scrolls the prediction into view (the user pressed "Show" on its notification). */
  revealPrediction = false;
  compare: readonly CompareRun[] = [];
  /** A layer the designer asked to show. */
  revealedLayer: string | null = null;
  error: string | null = null;
  /** Messages dropped because they were about another run (shown in tests, useful when debugging). */
  dropped = 0;

  /** Applies one message; returns the sections to redraw (empty when the message was stale). */
  apply(m: HostToDashboard): Set<Section> {
    const changed = new Set<Section>();
    if ('runId' in m && (this.run === null || m.runId !== this.run.runId)) {
      this.dropped++;
      return changed;
    }
    switch (m.type) {
      case 'hydrate':
        this.run = m.run;
        this.status = m.run?.status ?? null;
        this.message = m.run?.message ?? null;
        this.activity = null;
        this.batches = [...m.batches];
        this.epochs = [...m.epochs];
        this.featureMaps = [];
        for (const s of m.featureMaps) this.addSnapshot(s);
        this.picked = m.pickedFeatureMaps ?? null;
        this.evaluation = m.evaluation;
        this.thumbnails = new Map(m.thumbnails.map((t) => [t.index, t]));
        this.prediction = null;
        this.error = null;
        for (const s of ['header', 'charts', 'featureMaps', 'evaluation', 'prediction'] as const) changed.add(s);
        break;
      case 'batchMetrics':
        for (const p of m.points) this.batches.push(p);
        if (this.run && m.batchesPerEpoch !== this.run.batchesPerEpoch) {
          this.run = { ...this.run, batchesPerEpoch: m.batchesPerEpoch };
        }
        changed.add('charts').add('header');
        break;
      case 'epochMetrics':
        for (const e of m.epochs) {
          // A continued run resends epochs it already has; keep one entry per epoch.
          const at = this.epochs.findIndex((x) => x.epoch === e.epoch);
          if (at >= 0) this.epochs[at] = e;
          else this.epochs.push(e);
        }
        this.epochs.sort((a, b) => a.epoch - b.epoch);
        changed.add('charts').add('header');
        break;
      case 'runStatus':
        this.status = m.status;
        this.message = m.message ?? null;
        this.activity = m.activity ?? null;
        if (this.run) this.run = { ...this.run, status: m.status };
        changed.add('header');
        // The evaluation's empty state says whether training must end first.
        changed.add('evaluation');
        break;
      case 'featureMaps':
        if (m.picked) this.picked = m.snapshot;
        else this.addSnapshot(m.snapshot);
        changed.add('featureMaps');
        break;
      case 'evaluation':
        this.evaluation = m.report;
        this.thumbnails = new Map(m.thumbnails.map((t) => [t.index, t]));
        changed.add('evaluation');
        break;
      case 'prediction':
        this.prediction = m;
        this.revealPrediction = m.reveal === true;
        changed.add('prediction');
        break;
      case 'runsForCompare':
        this.compare = m.runs;
        changed.add('compare');
        break;
      case 'revealLayer':
        this.revealedLayer = m.layerId;
        changed.add('featureMaps');
        break;
      case 'error':
        this.error = m.message;
        changed.add('header');
        break;
    }
    return changed;
  }

  private addSnapshot(s: FeatureMapSnapshot): void {
    const first = this.featureMaps[0];
    if (first && !sameSample(first, s)) this.featureMaps = [];
    const at = this.featureMaps.findIndex((x) => x.epoch === s.epoch);
    if (at >= 0) this.featureMaps[at] = s;
    else this.featureMaps.push(s);
    this.featureMaps.sort((a, b) => a.epoch - b.epoch);
  }
}

function sameSample(a: FeatureMapSnapshot, b: FeatureMapSnapshot): boolean {
  return a.sample.datasetIndex === b.sample.datasetIndex && a.sample.path === b.sample.path;
}
