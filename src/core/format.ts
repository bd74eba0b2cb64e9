/**
 * The on-disk model format (`*.cnn.json`), version 1.
 *
 * These are plain data types: what is in the file, nothing more. Runtime objects (analysis results,
 * tfjs models) are built from them elsewhere. Parameter names follow tfjs-layers' camelCase argument
 * names (`kernelSize`, `useBias`), so the engine can pass them through; code generators map them to
 * Keras' snake_case or PyTorch's names.
 */

export const MODEL_FORMAT_TAG = 'cnn-studio-model' as const;
export const CURRENT_FORMAT_VERSION = 1 as const;

/** A parameter value as stored in the file. Pairs are `[height, width]`; cropping/padding `[[top, bottom], [left, right]]`. */
export type ParamValue =
  | number
  | string
  | boolean
  | null
  | readonly number[]
  | readonly (readonly number[])[];

export type LayerParams = Record<string, ParamValue>;

export interface NodePosition {
  x: number;
  y: number;
}

export interface ModelNode {
  /** Stable id, unique in the file; also the Keras layer name unless `name` is given. */
  id: string;
  /** A layer type from the catalogue, e.g. `Conv2D`. */
  type: string;
  /** Only the params that differ from the catalogue's defaults need to be present. */
  params: LayerParams;
  /**
   * `false` freezes the layer (Keras' `layer.trainable = False`): training leaves its weights as they
   * are, and a frozen BatchNormalization normalises with its moving statistics (inference mode), as
   * Keras does. Absent means trainable; the loader keeps only `false`.
   */
  trainable?: false;
  /** Ids of the nodes feeding this one, in order (Input has none; Add/Concatenate have two or more). */
  inputs: string[];
  /** Where the user put the node in the designer; absent means "lay it out automatically". */
  position?: NodePosition;
}

// Each list is declared once and its union type is read from it, so the schema's enums, the importer
// and the types cannot drift apart (a name added to the list is in the type, and the reverse).
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad', 'adamax', 'adadelta'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const LOSSES = ['sparseCategoricalCrossentropy', 'categoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError'] as const;
export type LossName = (typeof LOSSES)[number];
export type MetricName = 'accuracy';

export interface CompileSettings {
  optimizer: OptimizerName;
  learningRate: number;
  loss: LossName;
  metrics: MetricName[];
}

export type EarlyStoppingMonitor = 'valLoss' | 'valAccuracy';

export interface EarlyStoppingSettings {
  enabled: boolean;
  monitor: EarlyStoppingMonitor;
  patience: number;
  restoreBestWeights: boolean;
}

export type LearningRateSchedule =
  | { kind: 'constant' }
  | { kind: 'step'; stepEpochs: number; factor: number }
  | { kind: 'cosine'; minLearningRate: number }
  | { kind: 'reduceOnPlateau'; factor: number; patience: number; minLearningRate: number };

export interface AugmentationSettings {
  horizontalFlip: boolean;
  /** Largest random shift as a fraction of the image size (0 = off). */
  translate: number;
  /** Largest random brightness change as a fraction of full scale (0 = off). */
  brightness: number;
}

export interface TrainingSettings {
  epochs: number;
  batchSize: number;
  /** Fraction of the training data held out for validation when the dataset has no separate validation set. */
  validationSplit: number;
  shuffle: boolean;
  seed: number;
  earlyStopping: EarlyStoppingSettings;
  learningRateSchedule: LearningRateSchedule;
  augmentation: AugmentationSettings;
}

export const DATASET_KINDS = ['imageFolder', 'mnistIdx', 'cifar10', 'csv'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];
export type ColorMode = 'grayscale' | 'rgb';

export interface DatasetReference {
  kind: DatasetKind;
  /** Relative to the model file's folder (absolute paths are allowed but not portable). */
  path: string;
  /** A separate validation set; when absent, `training.validationSplit` is used. */
  validationPath?: string;
  /** `[height, width]` images are resized to. */
  imageSize: [number, number];
  colorMode: ColorMode;
}

export interface ModelFileV1 {
  format: typeof MODEL_FORMAT_TAG;
  formatVersion: 1;
  name: string;
  description?: string;
  nodes: ModelNode[];
  compile: CompileSettings;
  training: TrainingSettings;
  dataset?: DatasetReference;
}

/** The current version of the format; every consumer works on this one (older files are migrated on load). */
export type ModelFile = ModelFileV1;

export const DEFAULT_COMPILE: CompileSettings = {
  optimizer: 'adam',
  learningRate: 0.001,
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
};

export const DEFAULT_TRAINING: TrainingSettings = {
  epochs: 10,
  batchSize: 64,
  validationSplit: 0.2,
  shuffle: true,
  seed: 42,
  earlyStopping: { enabled: false, monitor: 'valLoss', patience: 3, restoreBestWeights: true },
  learningRateSchedule: { kind: 'constant' },
  augmentation: { horizontalFlip: false, translate: 0, brightness: 0 },
};
