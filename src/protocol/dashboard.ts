/**
 * Messages between the extension host and the training dashboard webview.
 *
 * Pattern: the host keeps the run's history; when the dashboard becomes visible (or asks with `ready`) it gets
 * one `hydrate` snapshot, then only deltas (`batchMetrics`/`epochMetrics` arrive batched). Every message about a
 * run carries its `runId`; the webview drops messages for a run other than the one it shows (stale deltas
 * from a previous run), so no protocol version is needed.
 *
 * Types only plus the validator for webview → host messages (the webview is untrusted input for the host).
 * Nothing here may depend on vscode, Node or the DOM.
 */
import type {
  ClassProbability,
  EpochMetrics,
  EvaluationReport,
  FilterTiles,
  RunStatus,
  SampleRef,
} from './engine';
import { isBoundedString, isRecord, isString } from '../core/guards';
import { resultOf, type ParseResult } from './parseResult';

/* ------------------------------------------------------------------------------------------------ */
/* Shared data                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

/** One training batch as plotted: `step` counts batches from the start of the run (1-based). */
export interface BatchPoint {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly learningRate: number;
  readonly samplesPerSec: number;
}

/** The settings a run was trained with, flattened to display strings (`training.batchSize` → "32"). */
export type RunSettings = Readonly<Record<string, string>>;

export interface DashboardRunInfo {
  readonly runId: string;
  readonly runDir: string;
  readonly modelName: string;
  readonly status: RunStatus;
  /** What the run ran on, e.g. "wasm (simd, 2 threads)". */
  readonly backend: string;
  readonly epochsPlanned: number;
  /** 0 until the first batch is reported. */
  readonly batchesPerEpoch: number;
  readonly batchSize: number;
  readonly classNames: readonly string[];
  readonly settings: RunSettings;
  /** Why the run ended early or is interrupted. */
  readonly message?: string;
  /** False for a run read from disk that another process is still training: no Pause/Stop here. */
  readonly controllable?: boolean;
}

/** A uint8 image `[h, w, c]` (c = 1 or 3), row-major HWC. */
export interface ImageTile {
  readonly shape: readonly [number, number, number];
  readonly data: Uint8Array;
}

export interface FeatureMapLayer {
  readonly layerId: string;
  readonly type: string;
  /** `[h, w, c]`; channel k is `tiles.subarray(k*h*w, (k+1)*h*w)`, each scaled to 0–255 on its own. */
  readonly shape: readonly [number, number, number];
  /** Channels the layer really has (`shape[2]` may be capped). */
  readonly totalChannels: number;
  readonly tiles: Uint8Array;
}

export interface GradCamOverlay {
  readonly layerId: string;
  /** The conv layers Grad-CAM can look at (what the dashboard's chooser offers). */
  readonly layers: readonly string[];
  /** What was differentiated: the class logit, or the output itself when it has no softmax/sigmoid. */
  readonly score: 'logit' | 'probability';
  readonly className: string;
  readonly shape: readonly [number, number];
  readonly data: Uint8Array;
}

/** Which sample feature maps are shown for. */
export interface SampleInfo {
  /** Index in the run's validation split, when it came from there. */
  readonly datasetIndex: number | null;
  readonly path: string | null;
  readonly trueClass: string | null;
}

/** Feature maps of one sample at one epoch (the dashboard keeps one per epoch to scrub through). */
export interface FeatureMapSnapshot {
  readonly epoch: number;
  readonly sample: SampleInfo;
  readonly input: ImageTile;
  readonly prediction: readonly ClassProbability[];
  readonly layers: readonly FeatureMapLayer[];
  readonly filters: FilterTiles | null;
  readonly gradCam: GradCamOverlay | null;
}

/** An image file's bytes as they are on disk; the webview decodes it (CSP allows `blob:` images). */
export interface EncodedImage {
  readonly mime: string;
  readonly bytes: Uint8Array;
}

/** Pixels the engine produced, or a file's bytes the host read. */
export type PreviewImage = { readonly kind: 'pixels'; readonly tile: ImageTile } | ({ readonly kind: 'file' } & EncodedImage);

/** A thumbnail for the misclassified gallery, keyed by the sample's index in the evaluated set. */
export interface SampleThumbnail {
  readonly index: number;
  readonly image: PreviewImage;
}

export interface CompareRun {
  readonly runId: string;
  readonly runDir: string;
  /** Short name for legends, e.g. "mnist-small · 2026-11-25 19:40". */
  readonly label: string;
  readonly status: RunStatus;
  readonly settings: RunSettings;
  readonly epochs: readonly EpochMetrics[];
  /**
   * The run's best epoch (by its early-stopping monitor, validation loss unless set otherwise) and that
   * epoch's validation accuracy, as run.json records them: the figure the Models tree shows and the
   * best checkpoint's evaluation gives, not the highest accuracy of any epoch.
   */
  readonly bestEpoch: number | null;
  readonly bestValAccuracy: number | null;
}

/* ------------------------------------------------------------------------------------------------ */
/* Host → webview                                                                                    */
/* ------------------------------------------------------------------------------------------------ */

/** The whole state of the shown run; `run: null` means "no run yet" (empty state). */
export interface HydrateMessage {
  readonly type: 'hydrate';
  readonly run: DashboardRunInfo | null;
  readonly batches: readonly BatchPoint[];
  readonly epochs: readonly EpochMetrics[];
  readonly featureMaps: readonly FeatureMapSnapshot[];
  /** A sample picked in the evaluation, shown in place of (never instead of) `featureMaps`; absent = none. */
  readonly pickedFeatureMaps?: FeatureMapSnapshot | null;
  readonly evaluation: EvaluationReport | null;
  readonly thumbnails: readonly SampleThumbnail[];
}

export interface BatchMetricsMessage {
  readonly type: 'batchMetrics';
  readonly runId: string;
  /** Everything since the last message (the host batches them). */
  readonly points: readonly BatchPoint[];
  /** Batches per epoch, known once the first batch is in. */
  readonly batchesPerEpoch: number;
}

export interface EpochMetricsMessage {
  readonly type: 'epochMetrics';
  readonly runId: string;
  readonly epochs: readonly EpochMetrics[];
}

export interface RunStatusMessage {
  readonly type: 'runStatus';
  readonly runId: string;
  readonly status: RunStatus;
  readonly message?: string;
  /** What the engine is doing right now, e.g. "Loading 1,200 images…" (null when only training). */
  readonly activity?: string | null;
}

export interface FeatureMapsMessage {
  readonly type: 'featureMaps';
  readonly runId: string;
  readonly snapshot: FeatureMapSnapshot;
  /**
   * True: the maps of a sample the user picked (`pickSample`), kept apart from the epochs' series of the
   * training sample, which goes on unchanged; absent: the next snapshot of that series.
   */
  readonly picked?: boolean;
}

export interface EvaluationMessage {
  readonly type: 'evaluation';
  readonly runId: string;
  readonly report: EvaluationReport;
  readonly thumbnails: readonly SampleThumbnail[];
}

export interface PredictionMessage {
  readonly type: 'prediction';
  readonly runId: string;
  readonly imagePath: string;
  readonly top: readonly ClassProbability[];
  readonly image: PreviewImage | null;
  /** The user asked to see it ("Show" on the prediction's notification): the page scrolls it into view. */
  readonly reveal?: boolean;
}

export interface RunsForCompareMessage {
  readonly type: 'runsForCompare';
  readonly runs: readonly CompareRun[];
}

/** The designer selected a layer: show its feature maps. */
export interface RevealLayerMessage {
  readonly type: 'revealLayer';
  readonly layerId: string;
}

export interface ErrorMessage {
  readonly type: 'error';
  readonly message: string;
}

export type HostToDashboard =
  | HydrateMessage
  | BatchMetricsMessage
  | EpochMetricsMessage
  | RunStatusMessage
  | FeatureMapsMessage
  | EvaluationMessage
  | PredictionMessage
  | RunsForCompareMessage
  | RevealLayerMessage
  | ErrorMessage;

/* ------------------------------------------------------------------------------------------------ */
/* Webview → host                                                                                    */
/* ------------------------------------------------------------------------------------------------ */

export type DashboardToHost =
  /** The page is loaded and listening: answer with `hydrate`. */
  | { readonly type: 'ready' }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' }
  /** Show feature maps for this sample (e.g. a misclassified one). */
  | { readonly type: 'pickSample'; readonly sample: SampleRef }
  /** The user went back from the picked sample to the training sample's maps over the epochs. */
  | { readonly type: 'closePickedSample' }
  /** Compute Grad-CAM at this conv layer from now on (one of `GradCamOverlay.layers`). */
  | { readonly type: 'chooseGradCamLayer'; readonly layerId: string }
  /** The user picked a layer in the dashboard: the host may reveal it in the designer. */
  | { readonly type: 'selectLayer'; readonly layerId: string }
  | { readonly type: 'openFile'; readonly path: string }
  | { readonly type: 'exportCsv' }
  | { readonly type: 'evaluate' }
  | { readonly type: 'predict' }
  /** Ask the host to let the user pick runs to compare with. */
  | { readonly type: 'compareRuns' }
  | { readonly type: 'train' };

export type DashboardToHostType = DashboardToHost['type'];

const NO_PAYLOAD: ReadonlySet<string> = new Set<DashboardToHostType>([
  'ready',
  'pause',
  'resume',
  'stop',
  'exportCsv',
  'evaluate',
  'predict',
  'compareRuns',
  'train',
  'closePickedSample',
]);

/**
 * Checks a message from the dashboard webview before the host acts on it; the error names what is wrong.
 * Returns a fresh object with only the known fields, so nothing unexpected travels further.
 */
export function parseDashboardToHost(raw: unknown): ParseResult<DashboardToHost> {
  const value = raw;
  if (!isRecord(value)) return { ok: false, error: 'message is not an object' };
  const type = value['type'];
  if (typeof type !== 'string') return { ok: false, error: "message has no string 'type'" };
  if (NO_PAYLOAD.has(type)) return { ok: true, value: { type } as DashboardToHost };
  switch (type) {
    case 'pickSample': {
      const s = value['sample'];
      if (!isRecord(s)) return { ok: false, error: "pickSample needs 'sample'" };
      const idx = s['datasetIndex'];
      if (typeof idx === 'number' && Number.isInteger(idx) && idx >= 0) {
        return { ok: true, value: { type, sample: { datasetIndex: idx } } };
      }
      if (isBoundedString(s['imagePath'])) return { ok: true, value: { type, sample: { imagePath: s['imagePath'] } } };
      return { ok: false, error: "pickSample.sample needs a whole 'datasetIndex' ≥ 0 or an 'imagePath'" };
    }
    case 'selectLayer':
    case 'chooseGradCamLayer':
      return isBoundedString(value['layerId'])
        ? { ok: true, value: { type, layerId: value['layerId'] } }
        : { ok: false, error: `${type} needs a 'layerId' string` };
    case 'openFile':
      return isBoundedString(value['path'])
        ? { ok: true, value: { type, path: value['path'] } }
        : { ok: false, error: "openFile needs a 'path' string" };
    default:
      return { ok: false, error: `unknown message type '${type}'` };
  }
}

/**
 * The page's check of a message from the host: the envelope only (the host is trusted and builds the
 * data itself), so a probe or a message of another extension never reaches the views.
 */
export function parseHostToDashboard(raw: unknown): ParseResult<HostToDashboard> {
  return resultOf(hostToDashboardOrNull(raw), raw, 'host');
}

function hostToDashboardOrNull(raw: unknown): HostToDashboard | null {
  if (!isRecord(raw) || typeof raw.type !== 'string') return null;
  const has = (...arrays: string[]) => arrays.every((k) => Array.isArray(raw[k]));
  const runMessage = isString(raw.runId);
  switch (raw.type) {
    case 'hydrate':
      return (raw.run === null || isRecord(raw.run)) && has('batches', 'epochs', 'featureMaps', 'thumbnails') ? (raw as unknown as HostToDashboard) : null;
    case 'batchMetrics':
      return runMessage && has('points') && typeof raw.batchesPerEpoch === 'number' ? (raw as unknown as HostToDashboard) : null;
    case 'epochMetrics':
      return runMessage && has('epochs') ? (raw as unknown as HostToDashboard) : null;
    case 'runStatus':
      return runMessage && isString(raw.status) ? (raw as unknown as HostToDashboard) : null;
    case 'featureMaps':
      return runMessage && isRecord(raw.snapshot) ? (raw as unknown as HostToDashboard) : null;
    case 'evaluation':
      return runMessage && isRecord(raw.report) && has('thumbnails') ? (raw as unknown as HostToDashboard) : null;
    case 'prediction':
      return runMessage && isString(raw.imagePath) && has('top') ? (raw as unknown as HostToDashboard) : null;
    case 'runsForCompare':
      return has('runs') ? (raw as unknown as HostToDashboard) : null;
    case 'revealLayer':
      return isBoundedString(raw.layerId) ? (raw as unknown as HostToDashboard) : null;
    case 'error':
      return isString(raw.message) ? (raw as unknown as HostToDashboard) : null;
    default:
      return null;
  }
}
