/**
 * The model as Keras JSON, the format of `model.to_json()` in tf.keras 2 (also what TF.js' `model.json`
 * holds as `modelTopology`): `Sequential` when the graph is a chain, `Functional` otherwise, layer names
 * = node ids, snake_case configs with Keras' initializer defaults. Load it with
 * `tf.keras.models.model_from_json(text)` or tfjs' `tf.models.modelFromJSON({ modelTopology })`.
 */
import type { LossName, ModelFile, ModelNode, OptimizerName } from '../format';
import { getLayerSpec } from '../catalogue';
import { CodegenError, isChain, resolvedParams, shapeParam, topologicalOrder } from './graph';
import { configParamNames, kerasParams } from './kerasParams';
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

/** The Keras class name and config of one node: the catalogue's Keras config, filled from the node's params. */
export function kerasLayerConfig(node: ModelNode, options: KerasJsonOptions = {}, outputShape?: readonly number[] | null): { className: string; config: JsonObject } {
  const spec = getLayerSpec(node.type);
  if (!spec) throw new CodegenError(`Layer '${node.id}' (${node.type}) has no Keras equivalent in the exporter yet.`);
  if (node.type === 'Input') {
    const shape = shapeParam(resolvedParams(node), 'shape');
    return { className: 'InputLayer', config: { batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false, ragged: false, name: node.id } };
  }
  const values = new Map(kerasParams(node, spec, configParamNames(spec.kerasConfig)).map((k) => [k.kerasName, k.value as JsonValue]));
  const isPooling = node.type === 'MaxPooling2D' || node.type === 'AveragePooling2D';
  // Keras writes a pooling layer's derived strides (= the pool size) rather than null.
  if (isPooling && values.get('strides') === null) values.set('strides', values.get('pool_size') ?? null);
  // TF.js cannot build a layer after a Reshape whose -1 it leaves unknown: write the inferred size.
  if (node.type === 'Reshape' && options.flavour === 'tfjs' && outputShape) values.set('target_shape', [...outputShape]);
  const base: JsonObject = { name: node.id, trainable: node.trainable !== false, dtype: 'float32' };
  if (node.type === 'SpatialDropout2D' && options.flavour === 'tfjs') {
    // TF.js has no SpatialDropout2D: a Dropout whose mask is shared over height and width is the same layer.
    return { className: 'Dropout', config: { ...base, rate: values.get('rate') ?? null, noise_shape: [null, 1, 1, null], seed: null } };
  }
  const config: JsonObject = { ...base };
  for (const entry of spec.kerasConfig) {
    if (typeof entry === 'string') config[entry] = values.get(entry) ?? null;
    else config[entry[0]] = structuredClone(entry[1]) as JsonValue;
  }
  return { className: options.flavour === 'tfjs' ? tfjsClassName(spec.kerasName, values, outputShape) : spec.kerasName, config };
}

/**
 * tfjs-layers' ELU refuses an alpha other than 1, its ReLU only caps and its softmax works over the last
 * axis only: the engine builds those with its
 * own classes (engine/model/customLayers.ts), and a TF.js file names them as the engine saves them.
 */
function tfjsClassName(kerasName: string, values: ReadonlyMap<string, JsonValue>, outputShape: readonly number[] | null | undefined): string {
  const axis = values.get('axis');
  if (kerasName === 'Softmax' && axis !== -1 && axis !== outputShape?.length) return 'CnnStudioSoftmax';
  if (kerasName === 'ELU' && values.get('alpha') !== 1) return 'CnnStudioELU';
  if (kerasName === 'ReLU' && (values.get('negative_slope') !== 0 || values.get('threshold') !== 0)) return 'CnnStudioReLU';
  return kerasName;
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
