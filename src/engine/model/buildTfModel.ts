/**
 * Builds the tfjs-layers functional model of a model file. Layer names are the node ids, so weights,
 * activations and summaries line up with the designer. The model is analysed first: a model with an
 * error diagnostic is refused with the diagnostics' messages (they name the fixes).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { ActivationName } from '../../core/catalogue';
import { getLayerSpec } from '../../core/catalogue';
import type { Diagnostic } from '../../core/diagnostics';
import type { ModelFile, ModelNode } from '../../core/format';
import { checkParams } from '../../core/paramCheck';
import { analyzeModel } from '../../core/shapeInference';
import { UserFacingError } from '../../core/userFacingError';
import { customLayers } from './customLayers';
import { LayerParams as Params } from './layerParams';
import { type FillMode, randomTransformLayers, type TransformFill, type TransformInterpolation } from './randomTransformLayers';

type Tf = typeof tfjs;
type Layer = tfjs.layers.Layer;

/** Raised when the model cannot be built; its message lists what to fix. */
export class ModelBuildError extends UserFacingError {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(
      `The model cannot be built (${errors.length} error${errors.length === 1 ? '' : 's'}):\n` +
        errors.map((d) => `  - ${d.nodeId ? `node '${d.nodeId}': ` : ''}${d.message}`).join('\n'),
      'ModelBuildError',
    );
  }
}

/** The fill mode, interpolation and fill value of a random image transform's node. */
const transformFill = (p: Params): TransformFill => ({ fillMode: p.str<FillMode>('fillMode'), interpolation: p.str<TransformInterpolation>('interpolation'), fillValue: p.num('fillValue') });

/** The tfjs layer for one (non-Input) node. */
function createLayer(tf: Tf, node: ModelNode, p: Params, outputShape: readonly number[]): Layer {
  const name = node.id;
  const L = tf.layers;
  const padding = (): 'valid' | 'same' => p.str('padding');
  const activation = (): ActivationName => p.str('activation');
  switch (node.type) {
    case 'Conv2D':
      return L.conv2d({
        name,
        filters: p.num('filters'),
        kernelSize: p.pair('kernelSize'),
        strides: p.pair('strides'),
        padding: padding(),
        activation: activation(),
        useBias: p.bool('useBias'),
        dilationRate: p.pair('dilationRate'),
      });
    case 'DepthwiseConv2D':
      return L.depthwiseConv2d({
        name,
        kernelSize: p.pair('kernelSize'),
        strides: p.pair('strides'),
        padding: padding(),
        depthMultiplier: p.num('depthMultiplier'),
        activation: activation(),
        useBias: p.bool('useBias'),
      });
    case 'SeparableConv2D':
      return L.separableConv2d({
        name,
        filters: p.num('filters'),
        kernelSize: p.pair('kernelSize'),
        strides: p.pair('strides'),
        padding: padding(),
        depthMultiplier: p.num('depthMultiplier'),
        activation: activation(),
        useBias: p.bool('useBias'),
      });
    case 'Conv2DTranspose':
      return L.conv2dTranspose({
        name,
        filters: p.num('filters'),
        kernelSize: p.pair('kernelSize'),
        strides: p.pair('strides'),
        padding: padding(),
        activation: activation(),
        useBias: p.bool('useBias'),
      });
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      // null strides mean "the pool size", which is also tfjs' default when strides are absent.
      const args = { name, poolSize: p.pair('poolSize'), strides: p.pairOrUndefined('strides'), padding: padding() };
      return node.type === 'MaxPooling2D' ? L.maxPooling2d(args) : L.averagePooling2d(args);
    }
    case 'GlobalAveragePooling2D':
      return L.globalAveragePooling2d({ name });
    case 'GlobalMaxPooling2D':
      return L.globalMaxPooling2d({ name });
    case 'Flatten':
      return L.flatten({ name });
    case 'Dense':
      return L.dense({ name, units: p.num('units'), activation: activation(), useBias: p.bool('useBias') });
    case 'Dropout':
      return L.dropout({ name, rate: p.num('rate') });
    case 'SpatialDropout2D':
      // Keras' SpatialDropout2D is a dropout whose mask is shared over height and width: tfjs' Dropout
      // fills null noise-shape entries from the input's shape ([batch, 1, 1, channels]).
      return L.dropout({ name, rate: p.num('rate'), noiseShape: [null, 1, 1, null] as unknown as number[] });
    case 'BatchNormalization':
      return trainableWithoutCenterOrScale(
        tf,
        L.batchNormalization({
          name,
          momentum: p.num('momentum'),
          epsilon: p.num('epsilon'),
          center: p.bool('center'),
          scale: p.bool('scale'),
        }),
      );
    case 'Activation':
      return L.activation({ name, activation: activation() });
    case 'LeakyReLU':
      return L.leakyReLU({ name, alpha: p.num('alpha') });
    case 'ZeroPadding2D':
      return L.zeroPadding2d({ name, padding: p.pair2('padding') });
    case 'Cropping2D':
      return L.cropping2D({ name, cropping: p.pair2('cropping') });
    case 'UpSampling2D':
      return L.upSampling2d({ name, size: p.pair('size'), interpolation: p.str<'nearest' | 'bilinear'>('interpolation') });
    case 'Reshape':
      // tfjs leaves a -1 entry unknown (null) in the static shape, because it sees the unknown batch
      // size, and the next Conv2D or Dense then cannot build; the analysed shape has the -1 resolved.
      return L.reshape({ name, targetShape: [...outputShape] });
    case 'Rescaling':
      return L.rescaling({ name, scale: p.num('scale'), offset: p.num('offset') });
    case 'ReLU': {
      const maxValue = p.numOrNull('maxValue');
      const negativeSlope = p.num('negativeSlope');
      const threshold = p.num('threshold');
      // tfjs' own ReLU only caps; a slope or threshold needs Keras' full ReLU.
      if (negativeSlope === 0 && threshold === 0) return L.reLU(maxValue === null ? { name } : { name, maxValue });
      return customLayers(tf).relu({ name, maxValue, negativeSlope, threshold });
    }
    case 'PReLU':
      return L.prelu({ name, ...(p.str('sharedAxes') === 'spatial' ? { sharedAxes: [1, 2] } : {}) });
    case 'ELU':
      // tfjs' ELU refuses an alpha other than 1.
      return p.num('alpha') === 1 ? L.elu({ name }) : customLayers(tf).elu({ name, alpha: p.num('alpha') });
    case 'Softmax': {
      const axis = p.num('axis');
      // tfjs' softmax only works over the last axis.
      return axis === -1 || axis === outputShape.length ? L.softmax({ name, axis }) : customLayers(tf).softmax({ name, axis });
    }
    case 'LayerNormalization':
      return L.layerNormalization({ name, axis: -1, epsilon: p.num('epsilon'), center: p.bool('center'), scale: p.bool('scale') });
    case 'RandomFlip':
      return customLayers(tf).randomFlip({ name, mode: p.str<'horizontal' | 'vertical' | 'horizontal_and_vertical'>('mode') });
    case 'RandomContrast':
      return customLayers(tf).randomContrast({ name, factor: p.num('factor') });
    case 'RandomRotation':
      return randomTransformLayers(tf).randomRotation({ name, factor: p.num('factor'), ...transformFill(p) });
    case 'RandomZoom':
      return randomTransformLayers(tf).randomZoom({ name, heightFactor: p.num('heightFactor'), widthFactor: p.numOrNull('widthFactor'), ...transformFill(p) });
    case 'RandomTranslation':
      return randomTransformLayers(tf).randomTranslation({ name, heightFactor: p.num('heightFactor'), widthFactor: p.num('widthFactor'), ...transformFill(p) });
    case 'GaussianNoise':
      return L.gaussianNoise({ name, stddev: p.num('stddev') });
    case 'GaussianDropout':
      return L.gaussianDropout({ name, rate: p.num('rate') });
    case 'Permute':
      return L.permute({ name, dims: p.list('dims') });
    case 'Resizing':
      // The engine's own class: tfjs-layers' Resizing reports a wrong output shape.
      return customLayers(tf).resizing({ name, height: p.num('height'), width: p.num('width'), interpolation: p.str<'bilinear' | 'nearest'>('interpolation'), cropToAspectRatio: p.bool('cropToAspectRatio') });
    case 'Add':
      return L.add({ name });
    case 'Multiply':
      return L.multiply({ name });
    case 'Average':
      return L.average({ name });
    case 'Maximum':
      return L.maximum({ name });
    case 'Subtract':
      return customLayers(tf).subtract({ name });
    case 'Concatenate':
      return L.concatenate({ name, axis: p.num('axis') });
    default:
      throw new Error(`buildTfModel: layer type '${node.type}' is in the catalogue but not in the builder`);
  }
}

/** The parts of tfjs-layers' BatchNormalization that its training path reads. */
interface BatchNormInternals {
  gamma: { read(): tfjs.Tensor } | null;
  beta: { read(): tfjs.Tensor } | null;
}

/**
 * tfjs-layers 4.22's BatchNormalization reads `gamma` and `beta` unconditionally in training mode
 * (normalization.ts: `normalizeBatchInTraining(input, this.gamma.read(), this.beta.read(), …)`), so a
 * layer with `center: false` or `scale: false` fails its first training step with "Cannot read
 * properties of undefined (reading 'read')". After the layer is built, a missing beta reads as zeros and
 * a missing gamma as ones: the same arithmetic as leaving them out, with no weight added to the layer
 * (its weights, saved files and parameter count stay Keras').
 */
function trainableWithoutCenterOrScale(tf: Tf, layer: Layer): Layer {
  const build = layer.build.bind(layer);
  layer.build = (inputShape) => {
    build(inputShape);
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
    const channels = shape[shape.length - 1]!;
    // private fields of the tfjs class (no public way to reach them)
    const internals = layer as unknown as BatchNormInternals;
    if (internals.beta == null) internals.beta = { read: () => tf.zeros([channels]) };
    if (internals.gamma == null) internals.gamma = { read: () => tf.ones([channels]) };
  };
  return layer;
}

/**
 * Freezes a layer as Keras' `layer.trainable = False` does. tfjs-layers drops its weights from
 * `trainableWeights` (so the optimizer never sees them), but its BatchNormalization still uses the
 * batch's statistics and updates its moving mean and variance whenever `training` is true (4.22's
 * `call` reads only `kwargs.training`). Keras 2.1+ runs a frozen BatchNormalization in inference mode,
 * which fine-tuning relies on (a small new dataset must not overwrite the base's statistics), so the
 * frozen layer's `call` is given `training: false` whatever the model is called with.
 */
function freeze(layer: Layer): void {
  layer.trainable = false;
  if (layer.getClassName() !== 'BatchNormalization') return;
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
}

export function buildTfModel(tf: Tf, model: ModelFile): LayersModel {
  const analysis = analyzeModel(model);
  if (analysis.diagnostics.some((d) => d.severity === 'error')) throw new ModelBuildError(analysis.diagnostics);
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  // Registers the engine's own layer classes before anything saves or loads a model that uses them.
  customLayers(tf);
  const tensors = new Map<string, SymbolicTensor>();
  for (const id of analysis.order) {
    const node = byId.get(id)!;
    const spec = getLayerSpec(node.type)!;
    const params = new Params(checkParams(node, spec).params);
    if (node.type === 'Input') {
      tensors.set(id, tf.input({ shape: params.list('shape'), name: id }));
      continue;
    }
    const inputs = node.inputs.map((i) => tensors.get(i)!);
    const layer = createLayer(tf, node, params, analysis.nodes.get(id)!.outputShape!);
    if (node.trainable === false) freeze(layer);
    const out = layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as SymbolicTensor;
    tensors.set(id, out);
  }
  return tf.model({
    name: model.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'model',
    inputs: analysis.inputIds.map((id) => tensors.get(id)!),
    outputs: analysis.outputIds.map((id) => tensors.get(id)!),
  });
}
