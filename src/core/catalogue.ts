/**
 * The layer catalogue: every layer type CNN Studio can build and train, as data — the one table of
 * layer facts, read through `getLayerSpec` (as Netron's `keras-metadata.json`: one entry per layer).
 *
 * Per layer: its palette category and inspector fields, its id prefix and short name, whether its output
 * is shown as feature maps, its Keras class name (and the other names Keras files use for it), the Keras
 * config it writes; per param: its Keras name, Keras default and older spellings. The designer, schema,
 * importer and both Keras exporters read these facts here; only the code that truly differs per layer
 * (the shape rule in layerShapes.ts, the tfjs builder, the PyTorch code) switches on the type. Only
 * layers that tfjs-layers can train are listed (SpatialDropout2D is built as a Dropout with a
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

/** A JSON value as Keras writes it in a layer config. */
export type KerasJsonValue = null | boolean | number | string | readonly KerasJsonValue[] | { readonly [key: string]: KerasJsonValue };

/** How Keras spells a param: the config key / constructor keyword, its Keras default, older spellings. */
export interface KerasParamSpec {
  /** The snake_case config key and constructor keyword (`kernel_size`). */
  name: string;
  /**
   * Keras' own default (which may differ from the palette's, e.g. Conv2D's activation). The Python export
   * leaves out an argument equal to it; the importer uses it when a file leaves the key out. Absent when
   * Keras requires the argument (or it is always written): the importer then falls back to the palette's.
   */
  default?: ParamValue;
  /** Written positionally in the Python constructor (filters, kernel size, units, rate…). */
  positional?: boolean;
  /** Other keys the importer also reads, first match wins: Keras 1 names (`nb_filter`), Keras 3 renames. */
  aliases?: readonly string[];
  /** For an enum whose Keras value is not the name: our value → Keras' (PReLU's `spatial` → `[1, 2]`). */
  values?: Readonly<Record<string, KerasJsonValue>>;
}

interface ParamSpecBase {
  /** One sentence a user reads in the inspector. */
  help: string;
  keras: KerasParamSpec;
}

export interface IntParamSpec extends ParamSpecBase {
  kind: 'int';
  default: number;
  min?: number;
  max?: number;
}

export interface FloatParamSpec extends ParamSpecBase {
  kind: 'float';
  /** `null` only with `nullable`: "no value" (ReLU without a cap). */
  default: number | null;
  nullable?: boolean;
  min?: number;
  max?: number;
  /** When true the bound itself is not allowed (e.g. a dropout rate < 1). */
  exclusiveMax?: boolean;
  exclusiveMin?: boolean;
  /**
   * A range [−value, value] that Keras also takes as a (lower, upper) pair: the importer reads a pair
   * [−a, a] (or a negative number) as a and refuses any other pair by name.
   */
  kerasRange?: boolean;
}

export interface BoolParamSpec extends ParamSpecBase {
  kind: 'bool';
  default: boolean;
}

export interface EnumParamSpec extends ParamSpecBase {
  kind: 'enum';
  default: string;
  values: readonly string[];
  /** The importer refuses a Keras value outside `values` by name (instead of taking the default). */
  strict?: boolean;
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

/**
 * One entry of a layer's Keras config, in the order Keras' `get_config()` writes it: a string is the
 * Keras name of one of the layer's params (its value comes from the node); a `[key, value]` pair is a
 * key Keras writes that CNN Studio does not vary (data format, initializers, regularizers…).
 */
export type KerasConfigEntry = string | readonly [key: string, value: KerasJsonValue];

export interface LayerSpec {
  type: string;
  /** The class name in Keras (`tf.keras.layers.X`) and tfjs-layers' `className`. */
  kerasName: string;
  /** Other class names Keras files use for this layer (Keras 1 `Convolution2D`, aliases like `MaxPool2D`). */
  kerasAliases?: readonly string[];
  /** The layer's Keras config after `name`, `trainable` and `dtype` (not used for Input, whose config differs). */
  kerasConfig: readonly KerasConfigEntry[];
  /**
   * The constructor's argument order where it differs from `kerasConfig`'s (MaxPooling2D takes
   * `pool_size, strides, padding` but writes `pool_size, padding, strides`).
   */
  kerasSignature?: readonly string[];
  /** Readable node ids are `<idPrefix>1`, `<idPrefix>2`… (`conv1`). */
  idPrefix: string;
  /** The name on a node's first line when the type is too long for it (`BatchNorm`). */
  shortName?: string;
  /** Its output is shown as feature maps (the engine captures them; selecting the node jumps to them). */
  featureMaps: boolean;
  /**
   * Training passes no gradient back through it (the random image transforms sample with GatherNd, for
   * which tfjs has no gradient), so it must come before every trainable layer, as Keras' image tutorials
   * place it (augmentationPlacement.ts).
   */
  blocksGradient?: boolean;
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

/** Keras' names for our activation names where they differ (`hardSigmoid` → `hard_sigmoid`). */
const KERAS_ACTIVATION_NAMES: ReadonlyMap<string, string> = new Map([['hardSigmoid', 'hard_sigmoid']]);

/** Keras' name for one of our activation names. */
export function kerasActivationName(name: string): string {
  return KERAS_ACTIVATION_NAMES.get(name) ?? name;
}

const activation = (dflt: ActivationName): EnumParamSpec => ({
  kind: 'enum',
  default: dflt,
  values: ACTIVATIONS,
  help: 'Applied to the output.',
  keras: { name: 'activation', default: 'linear' },
});
const padding: EnumParamSpec = {
  kind: 'enum',
  default: 'valid',
  values: PADDINGS,
  help: "'valid' shrinks the output by the kernel size; 'same' keeps height and width (divided by the stride).",
  keras: { name: 'padding', default: 'valid', aliases: ['border_mode'] },
};
const useBias: BoolParamSpec = { kind: 'bool', default: true, help: 'Add a learned bias to each output channel.', keras: { name: 'use_bias', default: true, aliases: ['bias'] } };
const kernelSize: PairParamSpec = { kind: 'pair', default: [3, 3], min: 1, help: 'Height and width of the convolution window.', keras: { name: 'kernel_size', positional: true } };
const strides: PairParamSpec = { kind: 'pair', default: [1, 1], min: 1, help: 'Step of the window in height and width.', keras: { name: 'strides', default: [1, 1], aliases: ['subsample'] } };
const dilationRate: PairParamSpec = {
  kind: 'pair',
  default: [1, 1],
  min: 1,
  help: 'Spacing between kernel taps; > 1 widens the receptive field (strides must then be 1).',
  keras: { name: 'dilation_rate', default: [1, 1], aliases: ['atrous_rate'] },
};
const filters = (dflt: number): IntParamSpec => ({
  kind: 'int',
  default: dflt,
  min: 1,
  max: 8192,
  help: 'Number of output channels (feature maps).',
  keras: { name: 'filters', positional: true, aliases: ['nb_filter'] },
});
const depthMultiplier: IntParamSpec = { kind: 'int', default: 1, min: 1, max: 64, help: 'Output channels per input channel of the depthwise step.', keras: { name: 'depth_multiplier', default: 1 } };
const poolSize: PairParamSpec = { kind: 'pair', default: [2, 2], min: 1, help: 'Height and width of the pooling window.', keras: { name: 'pool_size', default: [2, 2], positional: true } };
const poolStrides: PairParamSpec = {
  kind: 'pair',
  default: null,
  nullable: true,
  min: 1,
  help: 'Step of the pooling window; empty means the same as the pool size.',
  keras: { name: 'strides', default: null },
};
/** The Keras fill modes of the random image transforms (RandomRotation, RandomZoom, RandomTranslation), as TF's ImageProjectiveTransform. */
export const FILL_MODES = ['reflect', 'wrap', 'constant', 'nearest'] as const;
const fillMode: EnumParamSpec = { kind: 'enum', default: 'reflect', values: FILL_MODES, strict: true, keras: { name: 'fill_mode', default: 'reflect' }, help:
  "How pixels from outside the image are filled: 'reflect' mirrors the edge (d c b a | a b c d), 'wrap' repeats the image, 'constant' uses the fill value, 'nearest' repeats the edge pixel." };
const transformInterpolation: EnumParamSpec = { kind: 'enum', default: 'bilinear', values: ['bilinear', 'nearest'], strict: true, help: 'How pixels between the grid points are computed.', keras: { name: 'interpolation', default: 'bilinear' } };
const fillValue: FloatParamSpec = { kind: 'float', default: 0, help: "The value outside the image with fill mode 'constant'.", keras: { name: 'fill_value', default: 0 } };
const transformFill = { fillMode, interpolation: transformInterpolation, fillValue };
/** RandomZoom's and RandomTranslation's Keras config and constructor order. */
const heightWidthTransformKeras = {
  kerasConfig: ['height_factor', 'width_factor', 'fill_mode', 'fill_value', 'interpolation', ['seed', null]],
  kerasSignature: ['height_factor', 'width_factor', 'fill_mode', 'interpolation', 'fill_value'],
} as const;
/** A random transform's range: draws in [−factor, factor]. */
const transformFactor = (kerasName: string, help: string): FloatParamSpec => ({ kind: 'float', default: 0.1, min: 0, max: 1, kerasRange: true, help, keras: { name: kerasName, positional: true } });
const dropoutRate: FloatParamSpec = {
  kind: 'float',
  default: 0.5,
  min: 0,
  max: 1,
  exclusiveMax: true,
  help: 'Fraction of values set to zero during training (0 to just under 1).',
  keras: { name: 'rate', positional: true, aliases: ['p'] },
};

/** BatchNormalization's and LayerNormalization's shared options (same names and defaults in Keras). */
const normalizationParams = {
  epsilon: { kind: 'float', default: 0.001, min: 0, exclusiveMin: true, help: 'Added to the variance to avoid dividing by zero.', keras: { name: 'epsilon', default: 0.001 } },
  center: { kind: 'bool', default: true, help: 'Learn an offset (beta).', keras: { name: 'center', default: true } },
  scale: { kind: 'bool', default: true, help: 'Learn a scale (gamma).', keras: { name: 'scale', default: true } },
} as const satisfies Record<string, ParamSpec>;

// Keys of Keras configs that CNN Studio does not vary, written as Keras writes them.
const CHANNELS_LAST: KerasConfigEntry = ['data_format', 'channels_last'];
const initializer = (key: string, className: string, config: { readonly [key: string]: KerasJsonValue } = {}): KerasConfigEntry => [key, { class_name: className, config }];
const glorot = (key: string): KerasConfigEntry => initializer(key, 'GlorotUniform', { seed: null });
const zeros = (key: string): KerasConfigEntry => initializer(key, 'Zeros');
const ones = (key: string): KerasConfigEntry => initializer(key, 'Ones');
const nulls = (...keys: string[]): KerasConfigEntry[] => keys.map((k) => [k, null]);
const KERNEL_EXTRAS: readonly KerasConfigEntry[] = [glorot('kernel_initializer'), zeros('bias_initializer'), ...nulls('kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint')];
const POOLING_CONFIG: readonly KerasConfigEntry[] = ['pool_size', 'padding', 'strides', CHANNELS_LAST];
const GLOBAL_POOLING_CONFIG: readonly KerasConfigEntry[] = [CHANNELS_LAST, ['keepdims', false]];

const specs: LayerSpec[] = [
  {
    type: 'Input',
    kerasName: 'InputLayer',
    kerasConfig: [],
    idPrefix: 'input',
    featureMaps: false,
    category: 'input',
    description: 'The image (or tensor) the network receives, without the batch dimension.',
    params: {
      shape: { kind: 'shape', default: [28, 28, 1], minLength: 1, maxLength: 3, help: 'Input size as [height, width, channels].', keras: { name: 'shape' } },
    },
    minInputs: 0,
    maxInputs: 0,
    keyParams: ['shape'],
  },
  {
    type: 'Conv2D',
    kerasName: 'Conv2D',
    kerasAliases: ['Convolution2D'],
    kerasConfig: ['filters', 'kernel_size', 'strides', 'padding', CHANNELS_LAST, 'dilation_rate', ['groups', 1], 'activation', 'use_bias', ...KERNEL_EXTRAS],
    idPrefix: 'conv',
    featureMaps: true,
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
    kerasConfig: [
      'kernel_size', 'strides', 'padding', CHANNELS_LAST, ['dilation_rate', [1, 1]], 'depth_multiplier', 'activation', 'use_bias',
      glorot('depthwise_initializer'), zeros('bias_initializer'), ...nulls('depthwise_regularizer', 'bias_regularizer', 'activity_regularizer', 'depthwise_constraint', 'bias_constraint'),
    ],
    idPrefix: 'dwconv',
    shortName: 'DepthwiseConv',
    featureMaps: true,
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
    kerasAliases: ['SeparableConvolution2D'],
    kerasConfig: [
      'filters', 'kernel_size', 'strides', 'padding', CHANNELS_LAST, ['dilation_rate', [1, 1]], 'depth_multiplier', 'activation', 'use_bias',
      glorot('depthwise_initializer'), glorot('pointwise_initializer'), zeros('bias_initializer'),
      ...nulls('depthwise_regularizer', 'pointwise_regularizer', 'bias_regularizer', 'activity_regularizer', 'depthwise_constraint', 'pointwise_constraint', 'bias_constraint'),
    ],
    idPrefix: 'sepconv',
    shortName: 'SeparableConv',
    featureMaps: true,
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
    kerasAliases: ['Convolution2DTranspose', 'Deconvolution2D'],
    kerasConfig: ['filters', 'kernel_size', 'strides', 'padding', CHANNELS_LAST, ['dilation_rate', [1, 1]], ['output_padding', null], 'activation', 'use_bias', ...KERNEL_EXTRAS],
    idPrefix: 'deconv',
    shortName: 'ConvTranspose',
    featureMaps: true,
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
    kerasAliases: ['MaxPool2D'],
    kerasConfig: POOLING_CONFIG,
    kerasSignature: ['pool_size', 'strides', 'padding'],
    idPrefix: 'pool',
    featureMaps: true,
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
    kerasAliases: ['AvgPool2D'],
    kerasConfig: POOLING_CONFIG,
    kerasSignature: ['pool_size', 'strides', 'padding'],
    idPrefix: 'avgpool',
    shortName: 'AvgPooling2D',
    featureMaps: true,
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
    kerasAliases: ['GlobalAvgPool2D'],
    kerasConfig: GLOBAL_POOLING_CONFIG,
    idPrefix: 'gap',
    shortName: 'GlobalAvgPool2D',
    featureMaps: false,
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
    kerasAliases: ['GlobalMaxPool2D'],
    kerasConfig: GLOBAL_POOLING_CONFIG,
    idPrefix: 'gmp',
    shortName: 'GlobalMaxPool2D',
    featureMaps: false,
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
    kerasConfig: [CHANNELS_LAST],
    idPrefix: 'flatten',
    featureMaps: false,
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
    kerasConfig: ['units', 'activation', 'use_bias', ...KERNEL_EXTRAS],
    idPrefix: 'dense',
    featureMaps: false,
    category: 'core',
    description: 'Fully connected layer.',
    params: {
      units: { kind: 'int', default: 128, min: 1, max: 65536, help: 'Number of outputs (neurons).', keras: { name: 'units', positional: true, aliases: ['output_dim'] } },
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
    kerasConfig: ['rate', ['noise_shape', null], ['seed', null]],
    idPrefix: 'dropout',
    featureMaps: false,
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
    kerasConfig: ['rate', ['noise_shape', null], ['seed', null], CHANNELS_LAST],
    idPrefix: 'sdropout',
    shortName: 'SpatialDropout',
    featureMaps: false,
    category: 'regularization',
    description: 'Drops whole feature maps during training.',
    params: { rate: dropoutRate },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['rate'],
  },
  {
    type: 'GaussianNoise',
    kerasName: 'GaussianNoise',
    kerasConfig: ['stddev'],
    idPrefix: 'noise',
    featureMaps: false,
    category: 'regularization',
    description: 'Adds zero-mean Gaussian noise during training (nothing at inference).',
    params: { stddev: { kind: 'float', default: 0.1, min: 0, help: 'Standard deviation of the noise.', keras: { name: 'stddev', positional: true } } },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['stddev'],
  },
  {
    type: 'GaussianDropout',
    kerasName: 'GaussianDropout',
    kerasConfig: ['rate'],
    idPrefix: 'gdropout',
    featureMaps: false,
    category: 'regularization',
    description: 'Multiplies by Gaussian noise with mean 1 during training (nothing at inference).',
    params: { rate: { ...dropoutRate, help: 'Drop probability: the noise has standard deviation sqrt(rate / (1 − rate)).' } },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['rate'],
  },
  {
    type: 'RandomFlip',
    kerasName: 'RandomFlip',
    kerasConfig: ['mode', ['seed', null]],
    idPrefix: 'flip',
    featureMaps: false,
    category: 'regularization',
    description: 'Augmentation: flips each training image at random (nothing at inference).',
    params: {
      mode: {
        kind: 'enum',
        default: 'horizontal',
        values: ['horizontal', 'vertical', 'horizontal_and_vertical'],
        help: 'Which flips: left-right, up-down or both (each with probability 1/2).',
        keras: { name: 'mode', default: 'horizontal_and_vertical' },
      },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['mode'],
  },
  {
    type: 'RandomContrast',
    kerasName: 'RandomContrast',
    kerasConfig: ['factor', ['seed', null]],
    idPrefix: 'contrast',
    featureMaps: false,
    category: 'regularization',
    description: 'Augmentation: scales each training image\'s contrast by a random factor (nothing at inference).',
    params: {
      factor: {
        kind: 'float',
        default: 0.2,
        min: 0,
        max: 1,
        exclusiveMax: true,
        help: 'The contrast factor is drawn from [1 − factor, 1 + factor] per image and channel mean.',
        keras: { name: 'factor', positional: true },
      },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['factor'],
  },
  {
    type: 'RandomRotation',
    kerasName: 'RandomRotation',
    kerasConfig: ['factor', 'fill_mode', 'fill_value', 'interpolation', ['seed', null]],
    kerasSignature: ['factor', 'fill_mode', 'interpolation', 'fill_value'],
    idPrefix: 'rotate',
    // The full name and the id run into the problem badge on a node.
    shortName: 'RandRotation',
    blocksGradient: true,
    featureMaps: false,
    category: 'regularization',
    description: 'Augmentation: rotates each training image by a random angle (nothing at inference).',
    params: {
      factor: transformFactor('factor', 'The angle is drawn from [−factor, +factor] × 360° per image (0.1: up to ±36°); positive turns counter-clockwise.'),
      ...transformFill,
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['factor'],
  },
  {
    type: 'RandomZoom',
    kerasName: 'RandomZoom',
    ...heightWidthTransformKeras,
    idPrefix: 'zoom',
    blocksGradient: true,
    featureMaps: false,
    category: 'regularization',
    description: 'Augmentation: zooms each training image in or out by a random amount (nothing at inference).',
    params: {
      heightFactor: transformFactor('height_factor', 'The vertical zoom is drawn from [−factor, +factor] per image: positive zooms out, negative zooms in (0.1: ±10 %).'),
      widthFactor: {
        kind: 'float',
        default: null,
        nullable: true,
        min: 0,
        max: 1,
        kerasRange: true,
        help: 'The horizontal zoom range likewise; empty: the vertical zoom is used, keeping the aspect ratio.',
        keras: { name: 'width_factor', default: null },
      },
      ...transformFill,
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['heightFactor', 'widthFactor'],
  },
  {
    type: 'RandomTranslation',
    kerasName: 'RandomTranslation',
    ...heightWidthTransformKeras,
    idPrefix: 'shift',
    blocksGradient: true,
    shortName: 'RandTranslate',
    featureMaps: false,
    category: 'regularization',
    description: 'Augmentation: shifts each training image by a random offset (nothing at inference).',
    params: {
      heightFactor: transformFactor('height_factor', 'The vertical shift is drawn from [−factor, +factor] × the height per image (0.1: up to ±10 % of the rows).'),
      widthFactor: transformFactor('width_factor', 'The horizontal shift is drawn from [−factor, +factor] × the width per image.'),
      ...transformFill,
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['heightFactor', 'widthFactor'],
  },
  {
    type: 'BatchNormalization',
    kerasName: 'BatchNormalization',
    kerasConfig: [
      ['axis', -1], 'momentum', 'epsilon', 'center', 'scale',
      zeros('beta_initializer'), ones('gamma_initializer'), zeros('moving_mean_initializer'), ones('moving_variance_initializer'),
      ...nulls('beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint'),
    ],
    idPrefix: 'bn',
    shortName: 'BatchNorm',
    featureMaps: false,
    category: 'normalization',
    description: 'Normalises each channel over the batch; speeds up and stabilises training.',
    params: {
      momentum: { kind: 'float', default: 0.99, min: 0, max: 1, help: 'Momentum of the moving mean and variance.', keras: { name: 'momentum', default: 0.99 } },
      ...normalizationParams,
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: [],
  },
  {
    type: 'LayerNormalization',
    kerasName: 'LayerNormalization',
    kerasConfig: [['axis', -1], 'epsilon', 'center', 'scale', zeros('beta_initializer'), ones('gamma_initializer'), ...nulls('beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint')],
    idPrefix: 'ln',
    shortName: 'LayerNorm',
    featureMaps: false,
    category: 'normalization',
    description: 'Normalises each sample over its channels (the last axis); no batch statistics.',
    params: {
      ...normalizationParams,
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: [],
  },
  {
    type: 'Activation',
    kerasName: 'Activation',
    kerasConfig: ['activation'],
    idPrefix: 'act',
    featureMaps: false,
    category: 'activation',
    description: 'Applies an activation function.',
    params: { activation: { ...activation('relu'), help: 'The function applied to every value.', keras: { name: 'activation', positional: true } } },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['activation'],
  },
  {
    type: 'LeakyReLU',
    kerasName: 'LeakyReLU',
    kerasConfig: ['alpha'],
    idPrefix: 'lrelu',
    featureMaps: false,
    category: 'activation',
    description: 'ReLU that lets a small slope through for negative values.',
    // No Keras default: Keras 2 defaults alpha to 0.3, Keras 3 (as `negative_slope`) to 0.2, so it is always written.
    params: { alpha: { kind: 'float', default: 0.3, min: 0, help: 'Slope for negative inputs.', keras: { name: 'alpha', aliases: ['negative_slope'] } } },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['alpha'],
  },
  {
    type: 'ReLU',
    kerasName: 'ReLU',
    // The engine's own tfjs class for a ReLU with a slope or threshold (tfjs' ReLU only caps).
    kerasAliases: ['CnnStudioReLU'],
    kerasConfig: ['max_value', 'negative_slope', 'threshold'],
    idPrefix: 'relu',
    featureMaps: false,
    category: 'activation',
    description: 'ReLU with an optional cap (6 for MobileNet\'s relu6), a slope below the threshold and a threshold.',
    params: {
      maxValue: { kind: 'float', default: null, nullable: true, min: 0, help: 'Outputs are capped at this value (empty = no cap; 6 is relu6).', keras: { name: 'max_value', default: null } },
      negativeSlope: { kind: 'float', default: 0, min: 0, help: 'Slope for inputs below the threshold (0 = plain ReLU).', keras: { name: 'negative_slope', default: 0 } },
      threshold: { kind: 'float', default: 0, help: 'Inputs below this are scaled by the negative slope.', keras: { name: 'threshold', default: 0 } },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['maxValue'],
  },
  {
    type: 'PReLU',
    kerasName: 'PReLU',
    kerasConfig: [initializer('alpha_initializer', 'Zeros'), ...nulls('alpha_regularizer', 'alpha_constraint'), 'shared_axes'],
    idPrefix: 'prelu',
    featureMaps: false,
    category: 'activation',
    description: 'Leaky ReLU whose negative slope is learned.',
    params: {
      sharedAxes: {
        kind: 'enum',
        default: 'none',
        values: ['none', 'spatial'],
        help: "'none' learns a slope per value; 'spatial' one per channel, shared over height and width (Keras shared_axes=[1, 2]).",
        keras: { name: 'shared_axes', default: 'none', values: { none: null, spatial: [1, 2] } },
      },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['sharedAxes'],
  },
  {
    type: 'ELU',
    kerasName: 'ELU',
    // The engine's own tfjs class for an alpha other than 1 (tfjs' ELU refuses it).
    kerasAliases: ['CnnStudioELU'],
    kerasConfig: ['alpha'],
    idPrefix: 'elu',
    featureMaps: false,
    category: 'activation',
    description: 'Exponential linear unit with a chosen alpha.',
    params: { alpha: { kind: 'float', default: 1, min: 0, help: 'Scale of the negative part (saturates at -alpha).', keras: { name: 'alpha', default: 1 } } },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['alpha'],
  },
  {
    type: 'Softmax',
    kerasName: 'Softmax',
    // The engine's own tfjs class for an axis other than the last (tfjs' softmax refuses it).
    kerasAliases: ['CnnStudioSoftmax'],
    kerasConfig: ['axis'],
    idPrefix: 'softmax',
    featureMaps: false,
    category: 'activation',
    description: 'Softmax over one axis (the last by default): values become probabilities that sum to 1.',
    params: {
      axis: { kind: 'int', default: -1, min: -3, max: 3, help: 'Axis counted as in Keras with 0 = the batch: -1 (the last) by default.', keras: { name: 'axis', default: -1 } },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: [],
  },
  {
    type: 'ZeroPadding2D',
    kerasName: 'ZeroPadding2D',
    kerasConfig: ['padding', CHANNELS_LAST],
    idPrefix: 'pad',
    featureMaps: false,
    category: 'reshape',
    description: 'Adds rows and columns of zeros around each feature map.',
    params: { padding: { kind: 'pair2', default: [[1, 1], [1, 1]], min: 0, help: 'Zeros added as [[top, bottom], [left, right]].', keras: { name: 'padding' } } },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['padding'],
  },
  {
    type: 'Cropping2D',
    kerasName: 'Cropping2D',
    kerasConfig: ['cropping', CHANNELS_LAST],
    idPrefix: 'crop',
    featureMaps: false,
    category: 'reshape',
    description: 'Removes rows and columns at the borders.',
    params: { cropping: { kind: 'pair2', default: [[0, 0], [0, 0]], min: 0, help: 'Rows/columns removed as [[top, bottom], [left, right]].', keras: { name: 'cropping' } } },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['cropping'],
  },
  {
    type: 'UpSampling2D',
    kerasName: 'UpSampling2D',
    kerasConfig: ['size', CHANNELS_LAST, 'interpolation'],
    idPrefix: 'up',
    featureMaps: false,
    category: 'reshape',
    description: 'Repeats rows and columns to enlarge feature maps.',
    params: {
      size: { kind: 'pair', default: [2, 2], min: 1, help: 'Upsampling factors for height and width.', keras: { name: 'size', default: [2, 2] } },
      interpolation: { kind: 'enum', default: 'nearest', values: ['nearest', 'bilinear'], help: 'How new pixels are filled in.', keras: { name: 'interpolation', default: 'nearest' } },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['size'],
  },
  {
    type: 'Reshape',
    kerasName: 'Reshape',
    kerasConfig: ['target_shape'],
    idPrefix: 'reshape',
    featureMaps: false,
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
        keras: { name: 'target_shape', positional: true, aliases: ['dims'] },
      },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['targetShape'],
  },
  {
    type: 'Permute',
    kerasName: 'Permute',
    kerasConfig: ['dims'],
    idPrefix: 'permute',
    featureMaps: false,
    category: 'reshape',
    description: 'Reorders the axes, e.g. [2, 1, 3] swaps height and width.',
    params: {
      dims: {
        kind: 'shape',
        default: [2, 1, 3],
        minLength: 1,
        maxLength: 3,
        help: 'The new order of the axes, counted from 1 (the batch is not listed): a permutation of 1…rank.',
        keras: { name: 'dims', positional: true },
      },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['dims'],
  },
  {
    type: 'Resizing',
    kerasName: 'Resizing',
    kerasConfig: ['height', 'width', 'interpolation', 'crop_to_aspect_ratio'],
    idPrefix: 'resize',
    featureMaps: false,
    category: 'reshape',
    description: 'Resizes images to a fixed height and width.',
    params: {
      height: { kind: 'int', default: 224, min: 1, max: 8192, help: 'Output height in pixels.', keras: { name: 'height', positional: true } },
      width: { kind: 'int', default: 224, min: 1, max: 8192, help: 'Output width in pixels.', keras: { name: 'width', positional: true } },
      interpolation: { kind: 'enum', default: 'bilinear', values: ['bilinear', 'nearest'], help: 'How new pixels are computed.', keras: { name: 'interpolation', default: 'bilinear' } },
      cropToAspectRatio: {
        kind: 'bool',
        default: false,
        help: 'Crop the centre to the output aspect ratio first, instead of stretching.',
        keras: { name: 'crop_to_aspect_ratio', default: false },
      },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['height', 'width'],
  },
  {
    type: 'Rescaling',
    kerasName: 'Rescaling',
    kerasConfig: ['scale', 'offset'],
    idPrefix: 'rescale',
    featureMaps: false,
    category: 'reshape',
    description: 'Multiplies by a scale and adds an offset, e.g. 1/255 to map pixels to 0–1.',
    params: {
      scale: { kind: 'float', default: 1 / 255, help: 'Every value is multiplied by this.', keras: { name: 'scale', positional: true } },
      offset: { kind: 'float', default: 0, help: 'Then this is added.', keras: { name: 'offset', default: 0 } },
    },
    minInputs: 1,
    maxInputs: 1,
    keyParams: ['scale'],
  },
  {
    type: 'Add',
    kerasName: 'Add',
    kerasConfig: [],
    idPrefix: 'add',
    featureMaps: false,
    category: 'merge',
    description: 'Adds two or more tensors of the same shape (residual connections).',
    params: {},
    minInputs: 2,
    maxInputs: Number.POSITIVE_INFINITY,
    keyParams: [],
  },
  {
    type: 'Multiply',
    kerasName: 'Multiply',
    kerasConfig: [],
    idPrefix: 'mul',
    featureMaps: false,
    category: 'merge',
    description: 'Multiplies tensors element-wise (squeeze-and-excitation gates); shapes broadcast.',
    params: {},
    minInputs: 2,
    maxInputs: Number.POSITIVE_INFINITY,
    keyParams: [],
  },
  {
    type: 'Average',
    kerasName: 'Average',
    kerasConfig: [],
    idPrefix: 'avg',
    featureMaps: false,
    category: 'merge',
    description: 'Averages tensors of the same shape element-wise.',
    params: {},
    minInputs: 2,
    maxInputs: Number.POSITIVE_INFINITY,
    keyParams: [],
  },
  {
    type: 'Maximum',
    kerasName: 'Maximum',
    kerasConfig: [],
    idPrefix: 'max',
    featureMaps: false,
    category: 'merge',
    description: 'Takes the element-wise maximum of tensors of the same shape.',
    params: {},
    minInputs: 2,
    maxInputs: Number.POSITIVE_INFINITY,
    keyParams: [],
  },
  {
    type: 'Subtract',
    kerasName: 'Subtract',
    kerasConfig: [],
    idPrefix: 'sub',
    featureMaps: false,
    category: 'merge',
    description: 'Subtracts the second input from the first, element-wise.',
    params: {},
    minInputs: 2,
    maxInputs: 2,
    keyParams: [],
  },
  {
    type: 'Concatenate',
    kerasName: 'Concatenate',
    kerasConfig: ['axis'],
    idPrefix: 'concat',
    featureMaps: false,
    category: 'merge',
    description: 'Joins tensors along an axis (channels by default).',
    params: {
      axis: {
        kind: 'int',
        default: -1,
        min: -3,
        max: 3,
        help: 'Axis to join along, counted as in Keras with 0 = the batch: -1 (or 3) joins channels, 1 height, 2 width.',
        keras: { name: 'axis', default: -1, aliases: ['concat_axis'] },
      },
    },
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
export const FEATURE_MAP_LAYER_TYPES: ReadonlySet<string> = new Set(specs.filter((s) => s.featureMaps).map((s) => s.type));

// A Map, not an object literal: a file's class name `constructor` or `__proto__` must find nothing.
const BY_KERAS_CLASS: ReadonlyMap<string, LayerSpec> = new Map(specs.flatMap((s) => [s.kerasName, ...(s.kerasAliases ?? [])].map((name) => [name, s] as const)));

/** The layer a Keras class name (`Conv2D`, `Convolution2D`, `MaxPool2D`…) is imported as, if any. */
export function layerSpecForKerasClass(className: string): LayerSpec | undefined {
  return BY_KERAS_CLASS.get(className);
}

export function getLayerSpec(type: string): LayerSpec | undefined {
  return LAYER_CATALOGUE.get(type);
}

/** The value of `name` for a node: the stored value when present, else the catalogue default. */
export function paramOrDefault(spec: LayerSpec, params: Readonly<Record<string, ParamValue>>, name: string): ParamValue {
  if (Object.prototype.hasOwnProperty.call(params, name)) return params[name] ?? null;
  const p = spec.params[name];
  return p ? (p.default as ParamValue) : null;
}
