/**
 * The model as Keras JSON, the format of `model.to_json()` in tf.keras 2 (also what TF.js' `model.json`
 * holds as `modelTopology`): `Sequential` when the graph is a chain, `Functional` otherwise, layer names
 * = node ids, snake_case configs with Keras' initializer defaults. Load it with
 * `tf.keras.models.model_from_json(text)` or tfjs' `tf.models.modelFromJSON({ modelTopology })`.
 */
import type { LossName, ModelFile, ModelNode, OptimizerName } from '../format';
import { CodegenError, boolParam, isChain, numberParam, pair2Param, pairParam, resolvedParams, shapeParam, stringParam, topologicalOrder } from './graph';
import { kerasActivationName } from './kerasLayers';
import { safeModelName } from './options';
import { analyzeModel } from '../shapeInference';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface KerasJsonOptions {
  /**
   * `keras` (default) writes SpatialDropout2D as itself; `tfjs` writes it as a Dropout with a
   * `[batch, 1, 1, channels]` noise shape, since TF.js has no SpatialDropout2D class.
   */
  flavour?: 'keras' | 'tfjs';
}

const init = (className: string, config: JsonObject = {}): JsonObject => ({ class_name: className, config });
const GLOROT = (): JsonObject => init('GlorotUniform', { seed: null });
const ZEROS = (): JsonObject => init('Zeros');
const ONES = (): JsonObject => init('Ones');
const NO_REGULARIZERS = { kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null };

/** The Keras class name and config of one node. */
export function kerasLayerConfig(node: ModelNode, options: KerasJsonOptions = {}, outputShape?: readonly number[] | null): { className: string; config: JsonObject } {
  const p = resolvedParams(node);
  const base: JsonObject = { name: node.id, trainable: true, dtype: 'float32' };
  const act = (): string => kerasActivationName(stringParam(p, 'activation'));
  switch (node.type) {
    case 'Input':
      return { className: 'InputLayer', config: { batch_input_shape: [null, ...shapeParam(p, 'shape')], dtype: 'float32', sparse: false, ragged: false, name: node.id } };
    case 'Conv2D':
      return {
        className: 'Conv2D',
        config: {
          ...base, filters: numberParam(p, 'filters'), kernel_size: pairParam(p, 'kernelSize'), strides: pairParam(p, 'strides'), padding: stringParam(p, 'padding'),
          data_format: 'channels_last', dilation_rate: pairParam(p, 'dilationRate'), groups: 1, activation: act(), use_bias: boolParam(p, 'useBias'),
          kernel_initializer: GLOROT(), bias_initializer: ZEROS(), ...NO_REGULARIZERS,
        },
      };
    case 'DepthwiseConv2D':
      return {
        className: 'DepthwiseConv2D',
        config: {
          ...base, kernel_size: pairParam(p, 'kernelSize'), strides: pairParam(p, 'strides'), padding: stringParam(p, 'padding'), data_format: 'channels_last',
          dilation_rate: [1, 1], depth_multiplier: numberParam(p, 'depthMultiplier'), activation: act(), use_bias: boolParam(p, 'useBias'),
          depthwise_initializer: GLOROT(), bias_initializer: ZEROS(), depthwise_regularizer: null, bias_regularizer: null, activity_regularizer: null, depthwise_constraint: null, bias_constraint: null,
        },
      };
    case 'SeparableConv2D':
      return {
        className: 'SeparableConv2D',
        config: {
          ...base, filters: numberParam(p, 'filters'), kernel_size: pairParam(p, 'kernelSize'), strides: pairParam(p, 'strides'), padding: stringParam(p, 'padding'),
          data_format: 'channels_last', dilation_rate: [1, 1], depth_multiplier: numberParam(p, 'depthMultiplier'), activation: act(), use_bias: boolParam(p, 'useBias'),
          depthwise_initializer: GLOROT(), pointwise_initializer: GLOROT(), bias_initializer: ZEROS(),
          depthwise_regularizer: null, pointwise_regularizer: null, bias_regularizer: null, activity_regularizer: null, depthwise_constraint: null, pointwise_constraint: null, bias_constraint: null,
        },
      };
    case 'Conv2DTranspose':
      return {
        className: 'Conv2DTranspose',
        config: {
          ...base, filters: numberParam(p, 'filters'), kernel_size: pairParam(p, 'kernelSize'), strides: pairParam(p, 'strides'), padding: stringParam(p, 'padding'),
          data_format: 'channels_last', dilation_rate: [1, 1], output_padding: null, activation: act(), use_bias: boolParam(p, 'useBias'),
          kernel_initializer: GLOROT(), bias_initializer: ZEROS(), ...NO_REGULARIZERS,
        },
      };
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const pool = pairParam(p, 'poolSize');
      const strides = p['strides'] === null || p['strides'] === undefined ? pool : pairParam(p, 'strides');
      return { className: node.type, config: { ...base, pool_size: pool, padding: stringParam(p, 'padding'), strides, data_format: 'channels_last' } };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return { className: node.type, config: { ...base, data_format: 'channels_last', keepdims: false } };
    case 'Flatten':
      return { className: 'Flatten', config: { ...base, data_format: 'channels_last' } };
    case 'Dense':
      return {
        className: 'Dense',
        config: { ...base, units: numberParam(p, 'units'), activation: act(), use_bias: boolParam(p, 'useBias'), kernel_initializer: GLOROT(), bias_initializer: ZEROS(), ...NO_REGULARIZERS },
      };
    case 'Dropout':
      return { className: 'Dropout', config: { ...base, rate: numberParam(p, 'rate'), noise_shape: null, seed: null } };
    case 'SpatialDropout2D':
      if (options.flavour === 'tfjs') {
        // TF.js has no SpatialDropout2D: a Dropout whose mask is shared over height and width is the same layer.
        return { className: 'Dropout', config: { ...base, rate: numberParam(p, 'rate'), noise_shape: [null, 1, 1, null], seed: null } };
      }
      return { className: 'SpatialDropout2D', config: { ...base, rate: numberParam(p, 'rate'), noise_shape: null, seed: null, data_format: 'channels_last' } };
    case 'BatchNormalization':
      return {
        className: 'BatchNormalization',
        config: {
          ...base, axis: -1, momentum: numberParam(p, 'momentum'), epsilon: numberParam(p, 'epsilon'), center: boolParam(p, 'center'), scale: boolParam(p, 'scale'),
          beta_initializer: ZEROS(), gamma_initializer: ONES(), moving_mean_initializer: ZEROS(), moving_variance_initializer: ONES(),
          beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
        },
      };
    case 'Activation':
      return { className: 'Activation', config: { ...base, activation: act() } };
    case 'LeakyReLU':
      return { className: 'LeakyReLU', config: { ...base, alpha: numberParam(p, 'alpha') } };
    case 'ZeroPadding2D':
      return { className: 'ZeroPadding2D', config: { ...base, padding: pair2Param(p, 'padding'), data_format: 'channels_last' } };
    case 'Cropping2D':
      return { className: 'Cropping2D', config: { ...base, cropping: pair2Param(p, 'cropping'), data_format: 'channels_last' } };
    case 'UpSampling2D':
      return { className: 'UpSampling2D', config: { ...base, size: pairParam(p, 'size'), data_format: 'channels_last', interpolation: stringParam(p, 'interpolation') } };
    case 'Reshape':
      // TF.js cannot build a layer after a Reshape whose -1 it leaves unknown: write the inferred size.
      return { className: 'Reshape', config: { ...base, target_shape: options.flavour === 'tfjs' && outputShape ? [...outputShape] : shapeParam(p, 'targetShape') } };
    case 'Rescaling':
      return { className: 'Rescaling', config: { ...base, scale: numberParam(p, 'scale'), offset: numberParam(p, 'offset') } };
    case 'Add':
      return { className: 'Add', config: { ...base } };
    case 'Concatenate':
      return { className: 'Concatenate', config: { ...base, axis: numberParam(p, 'axis') } };
    default:
      throw new CodegenError(`Layer '${node.id}' (${node.type}) has no Keras equivalent in the exporter yet.`);
  }
}

/** The `model.to_json()` object for a model file. */
export function toKerasJson(model: ModelFile, options: KerasJsonOptions = {}): JsonObject {
  const order = topologicalOrder(model);
  const name = safeModelName(model.name);
  const analysis = options.flavour === 'tfjs' ? analyzeModel(model) : null;
  const layerConfig = (n: ModelNode): { className: string; config: JsonObject } => kerasLayerConfig(n, options, analysis?.nodes.get(n.id)?.outputShape);
  if (isChain(model)) {
    const layers = order.map((n) => {
      const { className, config } = layerConfig(n);
      return { class_name: className, config } as JsonObject;
    });
    return { class_name: 'Sequential', config: { name, layers }, keras_version: '2.15.0', backend: 'tensorflow' };
  }
  const consumers = new Set(model.nodes.flatMap((n) => n.inputs));
  const layers = order.map((n) => {
    const { className, config } = layerConfig(n);
    const inbound: JsonValue = n.inputs.length === 0 ? [] : [n.inputs.map((i) => [i, 0, 0, {}])];
    return { class_name: className, config, name: n.id, inbound_nodes: inbound } as JsonObject;
  });
  const inputLayers = order.filter((n) => n.type === 'Input').map((n) => [n.id, 0, 0]);
  const outputLayers = order.filter((n) => n.type !== 'Input' && !consumers.has(n.id)).map((n) => [n.id, 0, 0]);
  return {
    class_name: 'Functional',
    config: { name, layers, input_layers: inputLayers, output_layers: outputLayers },
    keras_version: '2.15.0',
    backend: 'tensorflow',
  };
}

const KERAS_OPTIMIZER_CLASSES: Record<OptimizerName, string> = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad', adamax: 'Adamax', adadelta: 'Adadelta' };
const LOSS_SNAKE: Record<LossName, string> = {
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  categoricalCrossentropy: 'categorical_crossentropy',
  binaryCrossentropy: 'binary_crossentropy',
  meanSquaredError: 'mean_squared_error',
};

/**
 * The compile settings as Keras' `training_config` (TF.js model.json's `trainingConfig`): loss, metrics and
 * optimizer with its learning rate. TF.js names RMSprop `RMSProp`.
 */
export function kerasTrainingConfig(model: ModelFile, options: KerasJsonOptions = {}): JsonObject {
  const c = model.compile;
  const className = options.flavour === 'tfjs' && c.optimizer === 'rmsprop' ? 'RMSProp' : KERAS_OPTIMIZER_CLASSES[c.optimizer];
  return {
    loss: LOSS_SNAKE[c.loss],
    metrics: [...c.metrics],
    optimizer_config: { class_name: className, config: { learning_rate: c.learningRate, ...optimizerDefaults(c.optimizer, options.flavour ?? 'keras') } },
  };
}

/**
 * The optimizer's other settings, spelled out: tfjs' `fromConfig` passes each one positionally (a missing
 * beta1 breaks Adam), and writing them documents that both sides use the same (Keras = tfjs) defaults.
 */
function optimizerDefaults(name: OptimizerName, flavour: 'keras' | 'tfjs'): JsonObject {
  const tfjs = flavour === 'tfjs';
  switch (name) {
    case 'adam':
      return tfjs ? { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } : { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 };
    case 'adamax':
      return tfjs ? { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay: 0 } : { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 };
    case 'rmsprop':
      return tfjs ? { decay: 0.9, momentum: 0, epsilon: 1e-7, centered: false } : { rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false };
    case 'adagrad':
      return { initial_accumulator_value: 0.1, ...(tfjs ? {} : { epsilon: 1e-7 }) };
    case 'adadelta':
      return { rho: 0.95, epsilon: 1e-7 };
    case 'sgd':
      return tfjs ? {} : { momentum: 0, nesterov: false };
  }
}

export function generateKerasJsonText(model: ModelFile, options: KerasJsonOptions = {}): string {
  return JSON.stringify(toKerasJson(model, options), null, 2) + '\n';
}
