/**
 * The layer catalogue: every layer type CNN Studio can build and train, as data.
 *
 * The designer's palette, colours and inspector fields, the schema, shape inference, the tfjs model
 * builder and the code generators all read this table, so a new layer type starts here. Only layers
 * that tfjs-layers can train are listed (SpatialDropout2D is built as a Dropout with a
 * `[batch, 1, 1, channels]` noise shape, which is what Keras' SpatialDropout2D is).
 */
import type { ParamValue } from './format';

export type LayerCategory =
  | 'input'
  | 'convolution'
  | 'pooling'
  | 'core'
  | 'normalization'
  | 'regularization'
  | 'activation'
  | 'reshape'
  | 'merge';

interface ParamSpecBase {
  /** One sentence a user reads in the inspector. */
  help: string;
}

export interface IntParamSpec extends ParamSpecBase {
  kind: 'int';
  default: number;
  min?: number;
  max?: number;
}

export interface FloatParamSpec extends ParamSpecBase {
  kind: 'float';
  default: number;
  min?: number;
  max?: number;
  /** When true the bound itself is not allowed (e.g. a dropout rate < 1). */
  exclusiveMax?: boolean;
  exclusiveMin?: boolean;
}

export interface BoolParamSpec extends ParamSpecBase {
  kind: 'bool';
  default: boolean;
}

export interface EnumParamSpec extends ParamSpecBase {
  kind: 'enum';
  default: string;
  values: readonly string[];
}

/** `[height, width]`; with `nullable`, `null` means "derive it" (e.g. pooling strides = pool size). */
export interface PairParamSpec extends ParamSpecBase {
  kind: 'pair';
  default: readonly [number, number] | null;
  min: number;
  nullable?: boolean;
}

/** `[[top, bottom], [left, right]]`, for ZeroPadding2D and Cropping2D. */
export interface Pair2ParamSpec extends ParamSpecBase {
  kind: 'pair2';
  default: readonly [readonly [number, number], readonly [number, number]];
  min: number;
}

/** A list of positive sizes, e.g. Input's `[height, width, channels]` or Reshape's target shape. */
export interface ShapeParamSpec extends ParamSpecBase {
  kind: 'shape';
  default: readonly number[];
  minLength: number;
  maxLength: number;
  /** Reshape allows one `-1` entry. */
  allowInfer?: boolean;
}

export type ParamSpec =
  | IntParamSpec
  | FloatParamSpec
  | BoolParamSpec
  | EnumParamSpec
  | PairParamSpec
  | Pair2ParamSpec
  | ShapeParamSpec;

export interface LayerSpec {
  type: string;
  /** The class name in Keras (`tf.keras.layers.X`) and tfjs-layers' `className`. */
  kerasName: string;
  category: LayerCategory;
  /** One line for the palette's tooltip. */
  description: string;
  params: Readonly<Record<string, ParamSpec>>;
  /** How many inputs the layer takes: Input 0, most 1, merges 2 or more (`maxInputs` Infinity). */
  minInputs: number;
  maxInputs: number;
  /** Params shown on the node in the graph, in this order. */
  keyParams: readonly string[];
}

export const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'sigmoid',
  'tanh',
  'softmax',
  'elu',
  'selu',
  'swish',
  'mish',
  'gelu',
  'softplus',
  'softsign',
  'hardSigmoid',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

const PADDINGS = ['valid', 'same'] as const;

const activation = (dflt: ActivationName, help = 'Applied to the output.'): EnumParamSpec => ({
  kind: 'enum',
  default: dflt,
  values: ACTIVATIONS,
  help,
});
const padding: EnumParamSpec = {
  kind: 'enum',
  default: 'valid',
  values: PADDINGS,
  help: "'valid' shrinks the output by the kernel size; 'same' keeps height and width (divided by the stride).",
};
const useBias: BoolParamSpec = { kind: 'bool', default: true, help: 'Add a learned bias to each output channel.' };
const kernelSize: PairParamSpec = { kind: 'pair', default: [3, 3], min: 1, help: 'Height and width of the convolution window.' };
const strides: PairParamSpec = { kind: 'pair', default: [1, 1], min: 1, help: 'Step of the window in height and width.' };
const dilationRate: PairParamSpec = {
  kind: 'pair',
  default: [1, 1],
  min: 1,
  help: 'Spacing between kernel taps; > 1 widens the receptive field (strides must then be 1).',
};
const filters = (dflt: number): IntParamSpec => ({ kind: 'int', default: dflt, min: 1, max: 8192, help: 'Number of output channels (feature maps).' });
const depthMultiplier: IntParamSpec = { kind: 'int', default: 1, min: 1, max: 64, help: 'Output channels per input channel of the depthwise step.' };
const poolSize: PairParamSpec = { kind: 'pair', default: [2, 2], min: 1, help: 'Height and width of the pooling window.' };
const poolStrides: PairParamSpec = {
  kind: 'pair',
  default: null,
  nullable: true,
  min: 1,
  help: 'Step of the pooling window; empty means the same as the pool size.',
};
const dropoutRate: FloatParamSpec = {
  kind: 'float',
  default: 0.5,
  min: 0,
  max: 1,
  exclusiveMax: true,
  help: 'Fraction of values set to zero during training (0 to just under 1).',
};

const specs: LayerSpec[] = [
  {
    type: 'Input',
    kerasName: 'InputLayer',
    category: 'input',
    description: 'The image (or tensor) the network receives, without the batch dimension.',
    params: {
      shape: { kind: 'shape', default: [28, 28, 1], minLength: 1, maxLength: 3, help: 'Input size as [height, width, channels].' },
    },
    minInputs: 0,
    maxInputs: 0,
    keyParams: ['shape'],
  },
  {
    type: 'Conv2D',
    kerasName: 'Conv2D',
    category: 'convolution',
    description: '2-D convolution: learns filters that slide over the image.',
    params: { filters: filters(32), kernelSize, strides, padding, activation: activation('relu'), useBias, dilationRate },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['filters', 'kernelSize', 'strides', 'activation'],
  },
  {
    type: 'DepthwiseConv2D',
    kerasName: 'DepthwiseConv2D',
    category: 'convolution',
    description: 'Convolves each input channel with its own filter(s); cheap spatial filtering.',
    params: { kernelSize, strides, padding, depthMultiplier, activation: activation('linear'), useBias },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['kernelSize', 'strides', 'depthMultiplier', 'activation'],
  },
  {
    type: 'SeparableConv2D',
    kerasName: 'SeparableConv2D',
    category: 'convolution',
    description: 'A depthwise convolution followed by a 1×1 pointwise convolution.',
    params: { filters: filters(32), kernelSize, strides, padding, depthMultiplier, activation: activation('relu'), useBias },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['filters', 'kernelSize', 'strides', 'activation'],
  },
  {
    type: 'Conv2DTranspose',
    kerasName: 'Conv2DTranspose',
    category: 'convolution',
    description: 'Transposed convolution: learns to upsample.',
    params: { filters: filters(32), kernelSize, strides, padding, activation: activation('relu'), useBias },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['filters', 'kernelSize', 'strides', 'activation'],
  },
  {
    type: 'MaxPooling2D',
    kerasName: 'MaxPooling2D',
    category: 'pooling',
    description: 'Keeps the largest value in each window; halves height and width by default.',
    params: { poolSize, strides: poolStrides, padding },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['poolSize', 'strides'],
  },
  {
    type: 'AveragePooling2D',
    kerasName: 'AveragePooling2D',
    category: 'pooling',
    description: 'Averages each window; halves height and width by default.',
    params: { poolSize, strides: poolStrides, padding },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['poolSize', 'strides'],
  },
  {
    type: 'GlobalAveragePooling2D',
    kerasName: 'GlobalAveragePooling2D',
    category: 'pooling',
    description: 'Averages each feature map to one number: [h, w, c] → [c].',
    params: {},
    minInputs: 1,
    maxInputs: 1,
    keyParams: [],
  },
  {
    type: 'GlobalMaxPooling2D',
    kerasName: 'GlobalMaxPooling2D',
    category: 'pooling',
    description: 'Takes the maximum of each feature map: [h, w, c] → [c].',
    params: {},
    minInputs: 1,
    maxInputs: 1,
    keyParams: [],
  },
  {
    type: 'Flatten',
    kerasName: 'Flatten',
    category: 'reshape',
    description: 'Unrolls feature maps into one vector, for Dense layers.',
    params: {},
    minInputs: 1,
    maxInputs: 1,
    keyParams: [],
  },
  {
    type: 'Dense',
    kerasName: 'Dense',
    category: 'core',
    description: 'Fully connected layer.',
    params: {
      units: { kind: 'int', default: 128, min: 1, max: 65536, help: 'Number of outputs (neurons).' },
      activation: activation('relu'),
      useBias,
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['units', 'activation'],
  },
  {
    type: 'Dropout',
    kerasName: 'Dropout',
    category: 'regularization',
    description: 'Randomly zeroes values during training to reduce overfitting.',
    params: { rate: dropoutRate },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['rate'],
  },
  {
    type: 'SpatialDropout2D',
    kerasName: 'SpatialDropout2D',
    category: 'regularization',
    description: 'Drops whole feature maps during training.',
    params: { rate: dropoutRate },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['rate'],
  },
  {
    type: 'BatchNormalization',
    kerasName: 'BatchNormalization',
    category: 'normalization',
    description: 'Normalises each channel over the batch; speeds up and stabilises training.',
    params: {
      momentum: { kind: 'float', default: 0.99, min: 0, max: 1, help: 'Momentum of the moving mean and variance.' },
      epsilon: { kind: 'float', default: 0.001, min: 0, exclusiveMin: true, help: 'Added to the variance to avoid dividing by zero.' },
      center: { kind: 'bool', default: true, help: 'Learn an offset (beta).' },
      scale: { kind: 'bool', default: true, help: 'Learn a scale (gamma).' },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: [],
  },
  {
    type: 'Activation',
    kerasName: 'Activation',
    category: 'activation',
    description: 'Applies an activation function.',
    params: { activation: activation('relu', 'The function applied to every value.') },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['activation'],
  },
  {
    type: 'LeakyReLU',
    kerasName: 'LeakyReLU',
    category: 'activation',
    description: 'ReLU that lets a small slope through for negative values.',
    params: { alpha: { kind: 'float', default: 0.3, min: 0, help: 'Slope for negative inputs.' } },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['alpha'],
  },
  {
    type: 'ZeroPadding2D',
    kerasName: 'ZeroPadding2D',
    category: 'reshape',
    description: 'Adds rows and columns of zeros around each feature map.',
    params: { padding: { kind: 'pair2', default: [[1, 1], [1, 1]], min: 0, help: 'Zeros added as [[top, bottom], [left, right]].' } },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['padding'],
  },
  {
    type: 'Cropping2D',
    kerasName: 'Cropping2D',
    category: 'reshape',
    description: 'Removes rows and columns at the borders.',
    params: { cropping: { kind: 'pair2', default: [[0, 0], [0, 0]], min: 0, help: 'Rows/columns removed as [[top, bottom], [left, right]].' } },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['cropping'],
  },
  {
    type: 'UpSampling2D',
    kerasName: 'UpSampling2D',
    category: 'reshape',
    description: 'Repeats rows and columns to enlarge feature maps.',
    params: {
      size: { kind: 'pair', default: [2, 2], min: 1, help: 'Upsampling factors for height and width.' },
      interpolation: { kind: 'enum', default: 'nearest', values: ['nearest', 'bilinear'], help: 'How new pixels are filled in.' },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['size'],
  },
  {
    type: 'Reshape',
    kerasName: 'Reshape',
    category: 'reshape',
    description: 'Changes the shape without changing the values.',
    params: {
      targetShape: {
        kind: 'shape',
        default: [-1],
        minLength: 1,
        maxLength: 3,
        allowInfer: true,
        help: 'New shape without the batch dimension; one entry may be -1 (inferred).',
      },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['targetShape'],
  },
  {
    type: 'Rescaling',
    kerasName: 'Rescaling',
    category: 'reshape',
    description: 'Multiplies by a scale and adds an offset, e.g. 1/255 to map pixels to 0–1.',
    params: {
      scale: { kind: 'float', default: 1 / 255, help: 'Every value is multiplied by this.' },
      offset: { kind: 'float', default: 0, help: 'Then this is added.' },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['scale'],
  },
  {
    type: 'Add',
    kerasName: 'Add',
    category: 'merge',
    description: 'Adds two or more tensors of the same shape (residual connections).',
    params: {},
    minInputs: 2,
    maxInputs: Number.POSITIVE_INFINITY,
    keyParams: [],
  },
  {
    type: 'Concatenate',
    kerasName: 'Concatenate',
    category: 'merge',
    description: 'Joins tensors along an axis (channels by default).',
    params: { axis: { kind: 'int', default: -1, min: -3, max: 3, help: 'Axis to join along, counted as in Keras with 0 = the batch: -1 (or 3) joins channels, 1 height, 2 width.' } },
    minInputs: 2,
    maxInputs: Number.POSITIVE_INFINITY,
    keyParams: ['axis'],
  },
];

export const LAYER_CATALOGUE: ReadonlyMap<string, LayerSpec> = new Map(specs.map((s) => [s.type, s]));
export const LAYER_TYPES: readonly string[] = specs.map((s) => s.type);

export const CATEGORY_ORDER: readonly LayerCategory[] = [
  'input',
  'convolution',
  'pooling',
  'core',
  'normalization',
  'regularization',
  'activation',
  'reshape',
  'merge',
];

/**
 * Layer types whose outputs are shown as feature maps (the engine captures them; the dashboard draws
 * them; selecting one in the designer jumps to its maps).
 */
export const FEATURE_MAP_LAYER_TYPES: ReadonlySet<string> = new Set([
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'Conv2DTranspose',
  'MaxPooling2D',
  'AveragePooling2D',
]);

export function getLayerSpec(type: string): LayerSpec | undefined {
  return LAYER_CATALOGUE.get(type);
}

/** The value of `name` for a node: the stored value when present, else the catalogue default. */
export function paramOrDefault(spec: LayerSpec, params: Readonly<Record<string, ParamValue>>, name: string): ParamValue {
  if (Object.prototype.hasOwnProperty.call(params, name)) return params[name] ?? null;
  const p = spec.params[name];
  return p ? (p.default as ParamValue) : null;
}
