/**
 * The training engine's API, declared once (pattern: vscode-js-profile-visualizer's heapsnapshot rpc).
 *
 * `EngineApi` lists every request the extension host (or a test, or the CLI) can make of the engine
 * process; request/response types are derived from it. `EngineEvent` is everything the engine pushes
 * unasked (metrics, progress, logs, run lifecycle). Both travel through the generic helper in `rpc.ts`.
 *
 * Types only (plus constants): imported by the engine, the extension host and the webviews, so nothing
 * here may depend on tfjs, Node or the DOM.
 */

import type { AugmentationSettings, DatasetKind, DatasetReference, EarlyStoppingSettings, LearningRateSchedule, LossName, OptimizerName } from '../core/format';

/* ------------------------------------------------------------------------------------------------ */
/* Shared data                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

/** An image's `[height, width, channels]`. */
export type ImageShape = readonly [height: number, width: number, channels: number];

/** Which GPU adapter runs the webgpu backend (what the dashboard, status bar and run.json show). */
export interface GpuAdapterDescription {
  /** e.g. "nvidia", "apple", "mesa". */
  readonly vendor: string;
  /** e.g. "ampere", "metal-3", "software". */
  readonly architecture: string;
  /** The driver's description, e.g. "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)"; may be empty. */
  readonly description: string;
  /** Emulated on the CPU (llvmpipe/lavapipe, SwiftShader, WARP): slower than wasm. */
  readonly software: boolean;
}

/** One line naming an adapter, e.g. "mesa software (llvmpipe: Mesa 25.0.7)"; shared by engine and UI. */
export function describeGpuAdapter(a: GpuAdapterDescription): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  return a.description ? `${name} (${a.description})` : name;
}

/** The backends the engine can run on, in the order `auto` tries them. */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What a user may ask for (`cnnStudio.backend`, `--backend`): a backend, or `auto` for the fastest that starts. */
export const BACKEND_PREFERENCES = ['auto', ...BACKEND_NAMES] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
export const isBackendName = (v: unknown): v is BackendName => (BACKEND_NAMES as readonly unknown[]).includes(v);
export const isBackendPreference = (v: unknown): v is BackendPreference => (BACKEND_PREFERENCES as readonly unknown[]).includes(v);

/** What the engine actually runs on. */
export interface EngineBackendInfo {
  readonly name: BackendName;
  readonly tfjsVersion: string;
  readonly threads: number;
  readonly simd: boolean;
  /** native: the library and kernel set doing the heavy ops, e.g. "OpenBLAS SkylakeX". */
  readonly kernels?: string;
  /** Set when the preferred backend was not available, saying why and what was used instead. */
  readonly fallbackReason?: string;
  /** webgpu only: the GPU adapter (what the dashboard and status bar name). */
  readonly adapter?: GpuAdapterDescription;
  /** Something to tell the user about the backend that runs (e.g. a slow software GPU adapter). */
  readonly warning?: string;
}

/** Settings the user can override per run (CLI flags, the "Train" dialog); absent = take the model file's. */
export interface TrainingOverrides {
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly validationSplit?: number;
  readonly seed?: number;
  readonly backend?: BackendPreference;
  /**
   * wasm only: XNNPACK compute threads (whole number ≥ 1). Absent = the engine's default (half the CPUs,
   * 1 to 4). Only the first backend start of an engine process can set it; `backend.threads` says what runs.
   */
  readonly threads?: number;
  /**
   * native only: a limit on the OpenBLAS threads (whole number ≥ 1). Absent = the physical cores, fewer
   * while other processes keep them busy. Takes effect at each run's start.
   */
  readonly nativeThreads?: number;
  /** Emit `batchMetrics` at most this often (ms); default 250. 0 = every batch. */
  readonly batchEventIntervalMs?: number;
}

export type RunStatus = 'running' | 'paused' | 'finished' | 'stopped' | 'interrupted' | 'failed';

/** Metrics of one finished epoch; also one line of `metrics.jsonl`. `val*` are null without validation data. */
export interface EpochMetrics {
  /** 1-based. */
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  readonly learningRate: number;
  readonly samplesPerSec: number;
  /** Wall time of this epoch incl. validation. */
  readonly seconds: number;
  /** Estimated seconds left for the remaining epochs. */
  readonly etaSeconds: number;
}

export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
  /** True when a whole folder could not be read (its images are not counted). */
  readonly folder?: true;
}

export interface DatasetSummary {
  readonly kind: DatasetKind;
  /** The training data's folder or file, absolute. */
  readonly path: string;
  readonly classNames: readonly string[];
  /** Training samples per class (after the split). */
  readonly trainCounts: readonly number[];
  readonly validationCounts: readonly number[];
  readonly numTrain: number;
  readonly numValidation: number;
  /** `[height, width, channels]` of every sample. */
  readonly imageShape: readonly [number, number, number];
  readonly warnings: readonly string[];
  /** Unreadable or corrupt files, skipped. */
  readonly skipped: readonly SkippedFile[];
  readonly loadSeconds: number;
}

/** A run's `config.json`: the model file's compile and training settings with the run's overrides applied, plus what was learned from the data. */
export interface ResolvedConfig {
  readonly modelName: string;
  /** The model file the run was started from (absolute). */
  readonly modelPath: string;
  /** The data that was trained on (absolute). */
  readonly dataPath: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly validationSplit: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly loss: LossName;
  readonly earlyStopping: EarlyStoppingSettings;
  readonly learningRateSchedule: LearningRateSchedule;
  readonly augmentation: AugmentationSettings;
  readonly backend: BackendPreference;
  readonly inputShape: ImageShape;
  readonly classNames: readonly string[];
  /** What each pixel byte is multiplied by before it reaches the model (1/255, or 1 when the model rescales itself). */
  readonly inputScale: number;
}

/** `run.json`: the run's status record. */
export interface RunRecord {
  readonly runId: string;
  readonly modelName: string;
  readonly status: RunStatus;
  /** The engine process that owns the run while it is running (used to detect a killed run). */
  readonly pid: number;
  readonly backend: EngineBackendInfo;
  readonly versions: { readonly cnnStudio: string; readonly tfjs: string; readonly node: string };
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt?: string;
  /** Seconds spent training (excluding pauses), summed over continuations. */
  readonly trainingSeconds: number;
  readonly epochsCompleted: number;
  readonly epochsPlanned: number;
  readonly bestEpoch: number | null;
  readonly bestValAccuracy: number | null;
  readonly bestValLoss: number | null;
  /** Why the run ended other than by finishing (stopped, NaN loss, early stopping, error). */
  readonly message?: string;
  /** When continued from another run: that run's folder. */
  readonly continuedFrom?: string;
  /** When started from another run's weights (`train --init-from`): which layers took them. */
  readonly initializedFrom?: WeightInitReport;
  /** Warnings given during training (e.g. a loss that does not improve), in the order given. */
  readonly warnings?: readonly RunWarning[];
}

/**
 * What a run started with `--init-from` took from the other run: the layers whose weights matched by
 * layer name and shape were loaded; the others start from fresh initial weights (typically a new head).
 */
export interface WeightInitReport {
  /** The run the weights came from. */
  readonly runDir: string;
  /** Its checkpoint that was read: its best epoch's weights when it has them. */
  readonly checkpoint: 'best' | 'last';
  /** Layers whose every weight was loaded. */
  readonly loaded: readonly string[];
  /** Layers with weights that start fresh, each with why (not in the run, or another shape). */
  readonly fresh: readonly { readonly layer: string; readonly reason: string }[];
}

/** A warning about a run's training, kept in run.json and sent as a `log` event with its code. */
export interface RunWarning {
  /** Stable identifier, e.g. 'loss-far-above-chance', 'loss-not-improving'. */
  readonly code: string;
  /** The epoch after which it was given. */
  readonly epoch: number;
  readonly message: string;
}

/** A run as listed by `listRuns` (the record plus where it lives). */
export interface RunSummary {
  readonly runDir: string;
  readonly record: RunRecord;
  readonly hasEvaluation: boolean;
}

export interface ClassReport {
  readonly className: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Samples of this class in the evaluated set. */
  readonly support: number;
}

export interface MisclassifiedSample {
  /** Index in the evaluated set (usable as `{ datasetIndex }` with split 'validation'). */
  readonly index: number;
  /** Source file, when the dataset has one file per sample. */
  readonly path: string | null;
  readonly trueClass: string;
  readonly predictedClass: string;
  readonly confidence: number;
}

/** `evaluation.json`. */
export interface EvaluationReport {
  readonly runDir: string;
  readonly checkpoint: CheckpointName;
  readonly dataPath: string;
  /** Which samples were evaluated: the run's validation split, all of a separate folder (`--data`), or a held-out test set (`--test`). */
  readonly split: 'validation' | 'all' | 'test';
  /**
   * The evaluated data in words, for headings: "Validation split (20%)", "Test set: data/fashion/t10k
   * (10,000 images)". Paths are relative to the model file's folder when inside it. Absent in older files.
   */
  readonly dataLabel?: string;
  readonly numSamples: number;
  readonly accuracy: number;
  readonly loss: number;
  readonly classNames: readonly string[];
  readonly perClass: readonly ClassReport[];
  /** `confusionMatrix[true][predicted]`. */
  readonly confusionMatrix: readonly (readonly number[])[];
  /** Worst first, at most 100. */
  readonly misclassified: readonly MisclassifiedSample[];
  readonly evaluatedAt: string;
}

export interface ClassProbability {
  readonly className: string;
  readonly probability: number;
}

export interface ImagePrediction {
  readonly imagePath: string;
  /** Best first, `topK` entries; empty when the image could not be read. */
  readonly top: readonly ClassProbability[];
  /** Why the image could not be read (the other images are still predicted). */
  readonly error?: string;
}

export type CheckpointName = 'best' | 'last';

/**
 * One layer's output for one sample: `shape` is `[h, w, c]`; `data` holds the channels one after the
 * other (channel k's tile is `data.subarray(k*h*w, (k+1)*h*w)`), each scaled to 0–255 on its own.
 */
export interface FeatureMapTiles {
  readonly layerId: string;
  readonly layerType: string;
  readonly shape: readonly [number, number, number];
  /** Channels actually included (the first `maxChannels`); `shape[2]` counts only these. */
  readonly totalChannels: number;
  readonly data: Uint8Array;
  /** Each channel's raw min/max before scaling, to tell a dead channel (all 0) from a weak one. */
  readonly ranges: Float32Array;
}

/**
 * The first conv layer's filters: `shape` is `[kh, kw, channels, count]` with channels 3 when the
 * layer sees RGB (shown in colour) and 1 otherwise (input channels averaged); filter f's tile is
 * `data.subarray(f*kh*kw*channels, (f+1)*kh*kw*channels)` in row-major HWC order, scaled to 0–255 per filter.
 */
export interface FilterTiles {
  readonly layerId: string;
  readonly shape: readonly [number, number, number, number];
  readonly data: Uint8Array;
}

/** Grad-CAM for one class at one conv layer (the last unless chosen), upsampled to the input's `[h, w]`, 0–255. */
export interface GradCamMap {
  readonly layerId: string;
  /** Every conv layer Grad-CAM can look at, in model order (what a layer chooser offers). */
  readonly layers: readonly string[];
  /** What was differentiated: the class logit (before softmax/sigmoid), or the output itself when it has no such activation. */
  readonly score: 'logit' | 'probability';
  readonly classIndex: number;
  readonly className: string;
  readonly shape: readonly [number, number];
  readonly data: Uint8Array;
}

export interface ActivationsResult {
  /** The sample as the model saw it: `[h, w, c]` uint8 (c = 1 or 3). */
  readonly input: { readonly shape: readonly [number, number, number]; readonly data: Uint8Array };
  readonly samplePath: string | null;
  /** The sample's label when it came from the dataset. */
  readonly trueClass: string | null;
  readonly prediction: readonly ClassProbability[];
  /** Every conv/pool layer, in model order. */
  readonly featureMaps: readonly FeatureMapTiles[];
  /** Null when the model has no Conv2D layer. */
  readonly filters: FilterTiles | null;
  /** Null when the model has no conv layer to attach it to. */
  readonly gradCam: GradCamMap | null;
}

/* ------------------------------------------------------------------------------------------------ */
/* Requests                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

export interface StartTrainingParams {
  /** The `.cnn.json` file; relative dataset paths are resolved against its folder. */
  readonly modelPath: string;
  /** The editor's current (possibly unsaved) text; read from `modelPath` when absent. */
  readonly modelText?: string;
  /** An image folder (or a data file/folder of the model's dataset kind) replacing the model's dataset path. */
  readonly dataDir?: string;
  readonly overrides?: TrainingOverrides;
  /** Runs go to `<runsRoot>/.cnn-studio/runs/<model-name>/<run-id>/`. */
  readonly runsRoot: string;
  /** Use exactly this folder instead (the CLI's `--out`). */
  readonly runDir?: string;
  /** Continue this run's folder from its last checkpoint (new epochs are appended to it). */
  readonly continueFrom?: string;
  /**
   * A new run whose layers start from this run's weights where layer name and shape match (fine-tuning);
   * the rest start fresh. Cannot be combined with `continueFrom`.
   */
  readonly initFrom?: string;
}

export interface TrainingStarted {
  readonly runId: string;
  readonly runDir: string;
  readonly backend: EngineBackendInfo;
  readonly dataset: DatasetSummary;
}

export interface RunControlParams {
  /** Defaults to the current run. */
  readonly runId?: string;
}

export interface RunControlResult {
  /** Null when `stop` cancelled a run that was still starting (loading data), before it had an id. */
  readonly runId: string | null;
  readonly status: RunStatus;
}

export interface EvaluateParams {
  readonly runDir: string;
  /** A separate labelled folder/file; default: the run's own validation split. */
  readonly dataDir?: string;
  /**
   * A held-out test set, never trained on: an image folder, MNIST IDX files (`t10k-images-idx3-ubyte` or
   * their folder), a CIFAR-10 `test_batch.bin` (or its folder) or a CSV file. Wins over `dataDir`.
   */
  readonly testPath?: string;
  readonly checkpoint?: CheckpointName;
}

/** What the side bar asks about a model's dataset (`describeDataset`); the answer is cached by the engine. */
export interface DescribeDatasetParams {
  /** The model file; a relative dataset path resolves against its folder. */
  readonly modelPath: string;
  /** The model's `dataset` section (from the editor, possibly unsaved). */
  readonly dataset: DatasetReference;
  /** The model's Input `[h, w, c]`, or null when it has none: what the data is compared with. */
  readonly inputShape: ImageShape | null;
  readonly validationSplit: number;
  /** Settings to preview on a few images (absent: no preview). */
  readonly augmentation?: AugmentationSettings;
  /** Thumbnails per class (default 4, at most 8). */
  readonly samplesPerClass?: number;
}

export interface DatasetClassDescription {
  readonly name: string;
  /** Images of this class (training and validation together). */
  readonly count: number;
  /** Small PNG thumbnails as `data:image/png;base64,…` URIs (the webview's CSP allows `data:` images only). */
  readonly samples: readonly string[];
}

/** One image and the same image under a few random draws of the augmentation settings. */
export interface AugmentationPreview {
  readonly className: string;
  readonly original: string;
  readonly augmented: readonly string[];
}

export interface DatasetDescription {
  readonly kind: DatasetKind;
  /** The training data's folder or file (absolute). */
  readonly path: string;
  readonly classes: readonly DatasetClassDescription[];
  /** The images as stored: the most common size and colour among those looked at. */
  readonly found: { readonly height: number; readonly width: number; readonly channels: number; readonly uniform: boolean };
  /** The model's input, echoed; null when the model has no Input layer. */
  readonly inputShape: ImageShape | null;
  /** True when the found size and colour equal the model's input (no resize or colour change in training). */
  readonly fitsInput: boolean;
  readonly numTrain: number;
  readonly numValidation: number;
  /** 'split': validation taken from the training data by `validationSplit`; 'separate': its own files (a val/ folder, t10k, test_batch). */
  readonly validationSource: 'split' | 'separate';
  readonly augmentationPreview: readonly AugmentationPreview[];
  readonly warnings: readonly string[];
}

export interface PredictParams {
  readonly runDir: string;
  readonly imagePaths: readonly string[];
  readonly topK?: number;
  readonly checkpoint?: CheckpointName;
}

export type ActivationsTarget =
  | { readonly kind: 'run'; readonly runDir: string; readonly checkpoint?: CheckpointName }
  /** The model being trained right now (read between two batches). */
  | { readonly kind: 'live' };

export type SampleRef =
  /** Index into the run's validation split (as in `MisclassifiedSample.index`). */
  | { readonly datasetIndex: number }
  | { readonly imagePath: string };

export interface ActivationsParams {
  readonly target: ActivationsTarget;
  readonly sample: SampleRef;
  /** Cap on channels per layer (default 64). */
  readonly maxChannels?: number;
  /** The conv layer for Grad-CAM (one of `GradCamMap.layers`); default the last conv layer. */
  readonly gradCamLayer?: string;
}

export interface ListRunsParams {
  readonly runsRoot: string;
}

export interface EngineStatus {
  readonly pid: number;
  readonly backend: EngineBackendInfo | null;
  readonly currentRun: { readonly runId: string; readonly runDir: string; readonly status: RunStatus } | null;
}

/** Every request the engine serves: method name → (params) => result. */
export interface EngineApi {
  startTraining(params: StartTrainingParams): TrainingStarted;
  pause(params: RunControlParams): RunControlResult;
  resume(params: RunControlParams): RunControlResult;
  stop(params: RunControlParams): RunControlResult;
  evaluate(params: EvaluateParams): EvaluationReport;
  predict(params: PredictParams): ImagePrediction[];
  activations(params: ActivationsParams): ActivationsResult;
  listRuns(params: ListRunsParams): RunSummary[];
  describeDataset(params: DescribeDatasetParams): DatasetDescription;
  status(params: Record<string, never>): EngineStatus;
  /** Stops any run cleanly (kept as 'stopped') and lets the process exit. */
  shutdown(params: Record<string, never>): { readonly ok: true };
}

export type EngineMethod = keyof EngineApi;
export type EngineParams<M extends EngineMethod> = Parameters<EngineApi[M]>[0];
export type EngineResult<M extends EngineMethod> = ReturnType<EngineApi[M]>;

/* ------------------------------------------------------------------------------------------------ */
/* Events (engine → host)                                                                            */
/* ------------------------------------------------------------------------------------------------ */

export interface BatchMetricsEvent {
  readonly type: 'batchMetrics';
  readonly runId: string;
  readonly epoch: number;
  /** 1-based batch within the epoch. */
  readonly batch: number;
  readonly batchesPerEpoch: number;
  /** Mean over this epoch's batches so far (as Keras' progress bar shows it), not the last batch alone. */
  readonly loss: number;
  readonly accuracy: number;
  readonly learningRate: number;
  /** Training samples per second so far in this epoch (pauses excluded). */
  readonly samplesPerSec: number;
}

export interface EpochMetricsEvent {
  readonly type: 'epochMetrics';
  readonly runId: string;
  readonly epochs: number;
  readonly metrics: EpochMetrics;
  /** True when this epoch is the best so far (a `best/` checkpoint was written). */
  readonly isBest: boolean;
}

export type ProgressPhase = 'loadingData' | 'building' | 'training' | 'validating' | 'saving' | 'evaluating';

export interface ProgressEvent {
  readonly type: 'progress';
  readonly runId: string | null;
  readonly phase: ProgressPhase;
  readonly message: string;
  /** 0..1 when known. */
  readonly fraction: number | null;
}

export interface LogEvent {
  readonly type: 'log';
  readonly runId: string | null;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  /** Set on a training warning that is also kept in run.json (RunWarning.code). */
  readonly warning?: RunWarning;
}

export interface RunStartedEvent {
  readonly type: 'runStarted';
  readonly runId: string;
  readonly runDir: string;
  readonly modelName: string;
  readonly backend: EngineBackendInfo;
  readonly dataset: DatasetSummary;
  readonly epochs: number;
  readonly batchSize: number;
  /** Epochs already done when continuing a run (0 for a new run). */
  readonly startEpoch: number;
  /** The earlier epochs' metrics when continuing, so charts can start filled. */
  readonly history: readonly EpochMetrics[];
  /** Set when the run started from another run's weights: what was loaded and what starts fresh. */
  readonly initializedFrom?: WeightInitReport;
}

export interface RunStateEvent {
  readonly type: 'runState';
  readonly runId: string;
  readonly status: RunStatus;
}

export interface RunFinishedEvent {
  readonly type: 'runFinished';
  readonly runId: string;
  readonly runDir: string;
  readonly status: 'finished' | 'stopped' | 'failed';
  readonly epochsCompleted: number;
  readonly bestEpoch: number | null;
  readonly bestValAccuracy: number | null;
  readonly seconds: number;
  /** Why it ended early (stopped by the user, early stopping, NaN loss, an error). */
  readonly message?: string;
}

/** The engine process died (or was told to exit) while a run was going; the run is kept as 'interrupted'. */
export interface RunInterruptedEvent {
  readonly type: 'runInterrupted';
  readonly runId: string;
  readonly runDir: string;
  readonly message: string;
}

export interface EngineErrorEvent {
  readonly type: 'error';
  readonly runId: string | null;
  readonly code: string;
  readonly message: string;
  readonly userFacing: boolean;
}

export type EngineEvent =
  | BatchMetricsEvent
  | EpochMetricsEvent
  | ProgressEvent
  | LogEvent
  | RunStartedEvent
  | RunStateEvent
  | RunFinishedEvent
  | RunInterruptedEvent
  | EngineErrorEvent;

/** Reported by the engine client (not the engine) when the engine process exits unexpectedly. */
export interface EngineCrashedEvent {
  readonly type: 'engineCrashed';
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The last lines the process wrote to stderr (an OOM or native crash shows up here). */
  readonly stderrTail: readonly string[];
  /** The run that was going, if any (also reported as `runInterrupted`). */
  readonly runId: string | null;
  readonly message: string;
}

export type EngineClientEvent = EngineEvent | EngineCrashedEvent;

/** Error codes carried by error replies and `error` events. */
export type EngineErrorCode =
  | 'busy'
  | 'no-run'
  | 'bad-model'
  | 'dataset'
  | 'shape-mismatch'
  | 'nan-loss'
  | 'run-not-found'
  | 'backend'
  | 'timeout'
  | 'cancelled'
  | 'disk'
  | 'memory'
  | 'disposed'
  | 'internal';
