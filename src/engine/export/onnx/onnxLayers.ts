/**
 * How each catalogue layer type becomes ONNX operators (opset 13): one entry per type, either a
 * converter or a refusal with the reason. A type missing from the table is refused by name too, so a
 * new catalogue layer cannot slip through an export unconverted (test/unit/export-onnx.test.ts lists
 * every catalogue type against this table).
 *
 * Layout (onnxLayout.ts): inside the graph every image tensor is NCHW, every other tensor keeps its
 * Keras layout. Where the order of values matters (Flatten, Reshape, Dense on feature maps) the
 * converter goes back to NHWC first, so the flattened vector is in Keras order and the Dense weights are
 * used unchanged; axes named in Keras terms (Concatenate, Softmax, Permute) are mapped.
 */
import type { ActivationName } from '../../../core/catalogue';
import type { ModelNode } from '../../../core/format';
import type { LayerParams } from '../../model/layerParams';
import { type OnnxGraph, transposeValues } from './onnxGraph';
import { channelAxis, graphAxis, graphOrder, graphPermutation, isImage, kerasOrder } from './onnxLayout';

/** A weight of a layer as tfjs holds it (tfjs' order and layout, e.g. a Conv2D kernel is [kh, kw, in, out]). */
export interface LayerWeight {
  shape: readonly number[];
  values: Float32Array;
}

export interface OnnxLayerInput {
  g: OnnxGraph;
  node: ModelNode;
  params: LayerParams;
  /** ONNX tensor names of the inputs, image tensors NCHW. */
  inputs: readonly string[];
  /** The inputs' shapes without the batch, in Keras (NHWC) order, as the shape analysis gives them. */
  inputShapes: readonly (readonly number[])[];
  outputShape: readonly number[];
  weights: readonly LayerWeight[];
}

/** Converts one layer; returns the name of its output tensor (NCHW when it is an image). */
export type OnnxLayerConverter = (layer: OnnxLayerInput) => string;

export type OnnxLayerRule = { convert: OnnxLayerConverter } | { refused: string };

/** tfjs' activations as ONNX operators (opset 13 has no Gelu or Mish: they are written out). */
export function activation(g: OnnxGraph, x: string, name: ActivationName, shape: readonly number[], base: string): string {
  const b = `${base}/${name}`;
  const scalar = (label: string, v: number): string => g.floats(`${b}/${label}`, [], [v]);
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return g.op('Relu', [x], b);
    case 'relu6':
      return g.op('Clip', [x, scalar('min', 0), scalar('max', 6)], b);
    case 'sigmoid':
      return g.op('Sigmoid', [x], b);
    case 'tanh':
      return g.op('Tanh', [x], b);
    case 'softmax':
      return g.op('Softmax', [x], b, { axis: { int: channelAxis(shape) } });
    case 'elu':
      return g.op('Elu', [x], b, { alpha: { float: 1 } });
    case 'selu':
      return g.op('Selu', [x], b);
    case 'swish':
      return g.op('Mul', [x, g.op('Sigmoid', [x], b)], b);
    case 'mish':
      return g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x], b)], b)], b);
    case 'gelu': {
      // tfjs: x * 0.5 * (1 + erf(x / sqrt 2))
      const erf = g.op('Erf', [g.op('Div', [x, scalar('sqrt2', Math.SQRT2)], b)], b);
      const cdf = g.op('Mul', [g.op('Add', [erf, scalar('one', 1)], b), scalar('half', 0.5)], b);
      return g.op('Mul', [x, cdf], b);
    }
    case 'softplus':
      return g.op('Softplus', [x], b);
    case 'softsign':
      return g.op('Softsign', [x], b);
    case 'hardSigmoid':
      // tfjs: clip(0.2 x + 0.5, 0, 1), ONNX's HardSigmoid with its default alpha and beta.
      return g.op('HardSigmoid', [x], b, { alpha: { float: 0.2 }, beta: { float: 0.5 } });
  }
}

/** TensorFlow's 'same' padding of one axis: the extra cell goes at the end. */
function samePads(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  const begin = Math.floor(total / 2);
  return [begin, total - begin];
}

/** ONNX `pads` ([top, left, bottom, right]) of a window op on an [h, w, c] input. */
function windowPads(p: LayerParams, input: readonly number[], kernel: [number, number], strides: [number, number], dilation: [number, number] = [1, 1]): number[] {
  if (p.str('padding') !== 'same') return [0, 0, 0, 0];
  const [top, bottom] = samePads(input[0]!, kernel[0], strides[0], dilation[0]);
  const [left, right] = samePads(input[1]!, kernel[1], strides[1], dilation[1]);
  return [top, left, bottom, right];
}

/** The layer's weights in tfjs' order, those of disabled options (use_bias false…) absent. */
function weightList(l: OnnxLayerInput, expected: number): readonly LayerWeight[] {
  if (l.weights.length !== expected) {
    throw new Error(`ONNX export: layer '${l.node.id}' (${l.node.type}) has ${l.weights.length} weight tensors, expected ${expected}`);
  }
  return l.weights;
}

function biasOf(l: OnnxLayerInput, weights: readonly LayerWeight[], index: number): string[] {
  const bias = weights[index];
  return bias ? [l.g.floats(`${l.node.id}/bias`, bias.shape, bias.values)] : [];
}

function conv2d(l: OnnxLayerInput): string {
  const { g, node, params: p } = l;
  const [kernel, ...rest] = weightList(l, p.bool('useBias') ? 2 : 1);
  const [kh, kw] = p.pair('kernelSize');
  const strides = p.pair('strides');
  const dilations = p.pair('dilationRate');
  const [, , cin, cout] = kernel!.shape as [number, number, number, number];
  const w = g.floats(`${node.id}/kernel`, [cout, cin, kh, kw], transposeValues(kernel!.values, kernel!.shape, [3, 2, 0, 1]));
  const y = g.op('Conv', [l.inputs[0]!, w, ...biasOf(l, rest, 0)], node.id, {
    kernel_shape: { ints: [kh, kw] },
    strides: { ints: strides },
    dilations: { ints: dilations },
    pads: { ints: windowPads(p, l.inputShapes[0]!, [kh, kw], strides, dilations) },
  });
  return activation(g, y, p.str('activation'), l.outputShape, node.id);
}

/** A depthwise kernel [kh, kw, c, m] as the weight of a grouped Conv: [c·m, 1, kh, kw] (output c·m + k). */
function depthwiseWeight(l: OnnxLayerInput, kernel: LayerWeight): { name: string; channels: number } {
  const [kh, kw, c, m] = kernel.shape as [number, number, number, number];
  return { name: l.g.floats(`${l.node.id}/depthwise_kernel`, [c * m, 1, kh, kw], transposeValues(kernel.values, kernel.shape, [2, 3, 0, 1])), channels: c };
}

function depthwiseConv(l: OnnxLayerInput, kernel: LayerWeight, bias: string[], base: string): string {
  const p = l.params;
  const [kh, kw] = p.pair('kernelSize');
  const strides = p.pair('strides');
  const w = depthwiseWeight(l, kernel);
  return l.g.op('Conv', [l.inputs[0]!, w.name, ...bias], base, {
    group: { int: w.channels },
    kernel_shape: { ints: [kh, kw] },
    strides: { ints: strides },
    pads: { ints: windowPads(p, l.inputShapes[0]!, [kh, kw], strides) },
  });
}

function depthwiseConv2d(l: OnnxLayerInput): string {
  const [kernel, ...rest] = weightList(l, l.params.bool('useBias') ? 2 : 1);
  const y = depthwiseConv(l, kernel!, biasOf(l, rest, 0), l.node.id);
  return activation(l.g, y, l.params.str('activation'), l.outputShape, l.node.id);
}

function separableConv2d(l: OnnxLayerInput): string {
  const { g, node } = l;
  const [depthwise, pointwise, ...rest] = weightList(l, l.params.bool('useBias') ? 3 : 2);
  const d = depthwiseConv(l, depthwise!, [], `${node.id}/depthwise`);
  const [, , cm, filters] = pointwise!.shape as [number, number, number, number];
  const w = g.floats(`${node.id}/pointwise_kernel`, [filters, cm, 1, 1], transposeValues(pointwise!.values, pointwise!.shape, [3, 2, 0, 1]));
  const y = g.op('Conv', [d, w, ...biasOf(l, rest, 0)], node.id, { kernel_shape: { ints: [1, 1] } });
  return activation(g, y, l.params.str('activation'), l.outputShape, node.id);
}

function conv2dTranspose(l: OnnxLayerInput): string {
  const { g, node, params: p } = l;
  const [kernel, ...rest] = weightList(l, p.bool('useBias') ? 2 : 1);
  const [kh, kw, cout, cin] = kernel!.shape as [number, number, number, number];
  const strides = p.pair('strides');
  // TensorFlow's transposed convolution is the input gradient of a convolution from the output size to
  // the input size; its padding (0 for 'valid', TF 'same' of that convolution) gives ONNX's pads, and
  // output_padding adds the cells at the end that no input reaches (a kernel smaller than the stride).
  const pads: number[][] = [[], []];
  const outputPadding: number[] = [];
  for (const axis of [0, 1]) {
    const size = l.inputShapes[0]![axis]!;
    const out = l.outputShape[axis]!;
    const k = axis === 0 ? kh : kw;
    const s = strides[axis]!;
    const total = Math.max((size - 1) * s + k - out, 0);
    pads[0]!.push(Math.floor(total / 2));
    pads[1]!.push(total - Math.floor(total / 2));
    outputPadding.push(out - ((size - 1) * s + k - total));
  }
  const w = g.floats(`${node.id}/kernel`, [cin, cout, kh, kw], transposeValues(kernel!.values, kernel!.shape, [3, 2, 0, 1]));
  const y = g.op('ConvTranspose', [l.inputs[0]!, w, ...biasOf(l, rest, 0)], node.id, {
    kernel_shape: { ints: [kh, kw] },
    strides: { ints: strides },
    pads: { ints: [...pads[0]!, ...pads[1]!] },
    output_padding: { ints: outputPadding },
  });
  return activation(g, y, p.str('activation'), l.outputShape, node.id);
}

function pooling(opType: 'MaxPool' | 'AveragePool'): OnnxLayerConverter {
  return (l) => {
    const poolSize = l.params.pair('poolSize');
    const strides = l.params.pairOrUndefined('strides') ?? poolSize;
    // AveragePool's count_include_pad stays 0: TensorFlow averages only the cells inside the image.
    return l.g.op(opType, [l.inputs[0]!], l.node.id, {
      kernel_shape: { ints: poolSize },
      strides: { ints: strides },
      pads: { ints: windowPads(l.params, l.inputShapes[0]!, poolSize, strides) },
    });
  };
}

function globalPooling(opType: 'GlobalMaxPool' | 'GlobalAveragePool'): OnnxLayerConverter {
  return (l) => l.g.op('Flatten', [l.g.op(opType, [l.inputs[0]!], l.node.id)], l.node.id, { axis: { int: 1 } });
}

function flatten(l: OnnxLayerInput): string {
  const x = kerasOrder(l.g, l.inputs[0]!, l.inputShapes[0]!, l.node.id);
  return l.g.op('Flatten', [x], l.node.id, { axis: { int: 1 } });
}

function dense(l: OnnxLayerInput): string {
  const { g, node, params: p } = l;
  const [kernel, ...rest] = weightList(l, p.bool('useBias') ? 2 : 1);
  const w = g.floats(`${node.id}/kernel`, kernel!.shape, kernel!.values);
  const bias = biasOf(l, rest, 0);
  const inputShape = l.inputShapes[0]!;
  let y: string;
  if (inputShape.length === 1) {
    y = g.op('Gemm', [l.inputs[0]!, w, ...bias], node.id);
  } else {
    // Dense on feature maps applies to each position's channel vector (Keras order, then back).
    const x = kerasOrder(g, l.inputs[0]!, inputShape, node.id);
    const product = g.op('MatMul', [x, w], node.id);
    y = graphOrder(g, bias.length ? g.op('Add', [product, bias[0]!], node.id) : product, l.outputShape, node.id);
  }
  return activation(g, y, p.str('activation'), l.outputShape, node.id);
}

function batchNormalization(l: OnnxLayerInput): string {
  const { g, node, params: p } = l;
  const weights = [...weightList(l, 2 + (p.bool('scale') ? 1 : 0) + (p.bool('center') ? 1 : 0))];
  const [mean, variance] = weights.splice(-2) as [LayerWeight, LayerWeight];
  const channels = mean.shape[0]!;
  const gamma = p.bool('scale') ? weights.shift()! : { shape: [channels], values: new Float32Array(channels).fill(1) };
  const beta = p.bool('center') ? weights.shift()! : { shape: [channels], values: new Float32Array(channels) };
  const epsilon = p.num('epsilon');
  const shape = l.inputShapes[0]!;
  if (isImage(shape) || shape.length === 1) {
    const inputs = [l.inputs[0]!, ...[['gamma', gamma], ['beta', beta], ['moving_mean', mean], ['moving_variance', variance]].map(([n, w]) => g.floats(`${node.id}/${n as string}`, [channels], (w as LayerWeight).values))];
    return g.op('BatchNormalization', inputs, node.id, { epsilon: { float: epsilon } });
  }
  // Other ranks keep the channels last, where ONNX's operator cannot reach: y = x·a + b per channel.
  const a = new Float32Array(channels);
  const b = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    a[c] = gamma.values[c]! / Math.sqrt(variance.values[c]! + epsilon);
    b[c] = beta.values[c]! - mean.values[c]! * a[c]!;
  }
  const scaled = g.op('Mul', [l.inputs[0]!, g.floats(`${node.id}/scale`, [channels], a)], node.id);
  return g.op('Add', [scaled, g.floats(`${node.id}/offset`, [channels], b)], node.id);
}

function zeroPadding2d(l: OnnxLayerInput): string {
  const [[top, bottom], [left, right]] = l.params.pair2('padding');
  return l.g.op('Pad', [l.inputs[0]!, l.g.int64s(`${l.node.id}/pads`, [0, 0, top, left, 0, 0, bottom, right])], l.node.id, { mode: { string: 'constant' } });
}

function cropping2d(l: OnnxLayerInput): string {
  const [[top, bottom], [left, right]] = l.params.pair2('cropping');
  const [h, w] = l.inputShapes[0]! as [number, number, number];
  const { g, node } = l;
  return g.op('Slice', [l.inputs[0]!, g.int64s(`${node.id}/starts`, [top, left]), g.int64s(`${node.id}/ends`, [h - bottom, w - right]), g.int64s(`${node.id}/axes`, [2, 3])], node.id);
}

function upSampling2d(l: OnnxLayerInput): string {
  const [sh, sw] = l.params.pair('size');
  // tfjs resizes without align_corners or half-pixel centres: ONNX's 'asymmetric' coordinates.
  const linear = l.params.str('interpolation') === 'bilinear';
  const scales = l.g.floats(`${l.node.id}/scales`, [4], [1, 1, sh, sw]);
  return l.g.op('Resize', [l.inputs[0]!, '', scales], l.node.id, {
    mode: { string: linear ? 'linear' : 'nearest' },
    coordinate_transformation_mode: { string: 'asymmetric' },
    ...(linear ? {} : { nearest_mode: { string: 'floor' } }),
  });
}

function reshape(l: OnnxLayerInput): string {
  const { g, node } = l;
  const x = kerasOrder(g, l.inputs[0]!, l.inputShapes[0]!, node.id);
  const y = g.op('Reshape', [x, g.int64s(`${node.id}/shape`, [-1, ...l.outputShape])], node.id);
  return graphOrder(g, y, l.outputShape, node.id);
}

function rescaling(l: OnnxLayerInput): string {
  const { g, node, params: p } = l;
  const scaled = g.op('Mul', [l.inputs[0]!, g.floats(`${node.id}/scale`, [], [p.num('scale')])], node.id);
  return g.op('Add', [scaled, g.floats(`${node.id}/offset`, [], [p.num('offset')])], node.id);
}

function concatenate(l: OnnxLayerInput): string {
  return l.g.op('Concat', [...l.inputs], l.node.id, { axis: { int: graphAxis(l.params.num('axis'), l.outputShape) } });
}

/**
 * Layers that only act while training (dropout, noise, random augmentation): an exported model is for
 * inference, where each passes its input through unchanged. Every such layer type uses this rule.
 */
export function identityAtInference(l: OnnxLayerInput): string {
  return l.g.op('Identity', [l.inputs[0]!], l.node.id);
}

export const TRAINING_ONLY: OnnxLayerRule = { convert: identityAtInference };

/** A float32 scalar initializer named after the layer. */
const scalarOf = (l: OnnxLayerInput, label: string, value: number): string => l.g.floats(`${l.node.id}/${label}`, [], [value]);

/**
 * Keras' ReLU as the engine computes it (customLayers.ts): x where x ≥ threshold, else
 * negativeSlope·(x − threshold), then capped at maxValue. The plain cases are the standard operators.
 */
function relu(l: OnnxLayerInput): string {
  const { g, node, params: p } = l;
  const x = l.inputs[0]!;
  const maxValue = p.numOrNull('maxValue');
  const slope = p.num('negativeSlope');
  const threshold = p.num('threshold');
  if (slope === 0 && threshold === 0) {
    return maxValue === null ? g.op('Relu', [x], node.id) : g.op('Clip', [x, scalarOf(l, 'min', 0), scalarOf(l, 'max', maxValue)], node.id);
  }
  let y: string;
  if (threshold === 0) {
    y = g.op('LeakyRelu', [x], node.id, { alpha: { float: slope } });
  } else {
    const t = scalarOf(l, 'threshold', threshold);
    const below = g.op('Mul', [g.op('Sub', [x, t], node.id), scalarOf(l, 'slope', slope)], node.id);
    y = g.op('Where', [g.op('GreaterOrEqual', [x, t], node.id), x, below], node.id);
  }
  return maxValue === null ? y : g.op('Min', [y, scalarOf(l, 'max', maxValue)], node.id);
}

/** tfjs' PReLU slope has the input's shape (1 on shared axes); on an image it is laid out [c, h, w] as the graph's NCHW tensor. */
function prelu(l: OnnxLayerInput): string {
  const [alpha] = weightList(l, 1) as [LayerWeight];
  const dims = isImage(alpha.shape) ? [alpha.shape[2]!, alpha.shape[0]!, alpha.shape[1]!] : alpha.shape;
  const values = isImage(alpha.shape) ? transposeValues(alpha.values, alpha.shape, [2, 0, 1]) : alpha.values;
  return l.g.op('PRelu', [l.inputs[0]!, l.g.floats(`${l.node.id}/alpha`, dims, values)], l.node.id);
}

/**
 * tfjs' LayerNormalization over the channels (Keras' last axis, the graph's channel axis), written out
 * for opset 13, which has no LayerNormalization operator: (x − mean) / sqrt(variance + ε) · γ + β.
 */
function layerNormalization(l: OnnxLayerInput): string {
  const { g, node, params: p } = l;
  const shape = l.inputShapes[0]!;
  const axes = { axes: { ints: [channelAxis(shape)] }, keepdims: { int: 1 } };
  const x = l.inputs[0]!;
  const centred = g.op('Sub', [x, g.op('ReduceMean', [x], node.id, axes)], node.id);
  const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred], node.id)], node.id, axes);
  let y = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, scalarOf(l, 'epsilon', p.num('epsilon'))], node.id)], node.id)], node.id);
  // tfjs' weights: gamma (scale) first, then beta (center); per channel, [c, 1, 1] against NCHW.
  const weights = [...weightList(l, (p.bool('scale') ? 1 : 0) + (p.bool('center') ? 1 : 0))];
  const perChannel = (label: string, w: LayerWeight): string => g.floats(`${node.id}/${label}`, isImage(shape) ? [w.shape[0]!, 1, 1] : w.shape, w.values);
  if (p.bool('scale')) y = g.op('Mul', [y, perChannel('gamma', weights.shift()!)], node.id);
  if (p.bool('center')) y = g.op('Add', [y, perChannel('beta', weights.shift()!)], node.id);
  return y;
}

/** Keras' Multiply of two or more inputs (ONNX's Mul takes two; both broadcast the same way). */
function multiply(l: OnnxLayerInput): string {
  return l.inputs.slice(1).reduce((product, x) => l.g.op('Mul', [product, x], l.node.id), l.inputs[0]!);
}

/**
 * Keras' Resizing as the engine does it (customLayers.ts): the centred crop to the output's aspect
 * ratio first when asked, then tfjs' resize with half-pixel centres: ONNX's 'half_pixel' Resize.
 * tfjs' nearest picks floor((out + 0.5) · in / out), which is 'half_pixel' rounded half up
 * ('round_prefer_ceil'); 'tf_half_pixel_for_nn' with 'floor' says the same but is deprecated.
 */
function resizing(l: OnnxLayerInput): string {
  const { g, node, params: p } = l;
  const [h, w, c] = l.inputShapes[0]! as [number, number, number];
  const height = p.num('height');
  const width = p.num('width');
  let x = l.inputs[0]!;
  if (p.bool('cropToAspectRatio')) {
    const ch = Math.min(h, Math.floor((w * height) / width));
    const cw = Math.min(w, Math.floor((h * width) / height));
    const top = Math.floor((h - ch) / 2);
    const left = Math.floor((w - cw) / 2);
    x = g.op('Slice', [x, g.int64s(`${node.id}/starts`, [top, left]), g.int64s(`${node.id}/ends`, [top + ch, left + cw]), g.int64s(`${node.id}/axes`, [2, 3])], node.id);
  }
  const nearest = p.str('interpolation') === 'nearest';
  // Resize wants every axis' size (exact, where scales could round): the batch is read at run time.
  const batch = g.op('Slice', [g.op('Shape', [x], node.id), g.int64s(`${node.id}/batch_start`, [0]), g.int64s(`${node.id}/batch_end`, [1])], node.id);
  const sizes = g.op('Concat', [batch, g.int64s(`${node.id}/chw`, [c, height, width])], node.id, { axis: { int: 0 } });
  return g.op('Resize', [x, '', '', sizes], node.id, {
    mode: { string: nearest ? 'nearest' : 'linear' },
    coordinate_transformation_mode: { string: 'half_pixel' },
    ...(nearest ? { nearest_mode: { string: 'round_prefer_ceil' } } : {}),
  });
}

export const ONNX_LAYERS: Readonly<Record<string, OnnxLayerRule>> = {
  Conv2D: { convert: conv2d },
  DepthwiseConv2D: { convert: depthwiseConv2d },
  SeparableConv2D: { convert: separableConv2d },
  Conv2DTranspose: { convert: conv2dTranspose },
  MaxPooling2D: { convert: pooling('MaxPool') },
  AveragePooling2D: { convert: pooling('AveragePool') },
  GlobalAveragePooling2D: { convert: globalPooling('GlobalAveragePool') },
  GlobalMaxPooling2D: { convert: globalPooling('GlobalMaxPool') },
  Flatten: { convert: flatten },
  Dense: { convert: dense },
  Dropout: TRAINING_ONLY,
  SpatialDropout2D: TRAINING_ONLY,
  BatchNormalization: { convert: batchNormalization },
  Activation: { convert: (l) => activation(l.g, l.inputs[0]!, l.params.str('activation'), l.outputShape, l.node.id) },
  LeakyReLU: { convert: (l) => l.g.op('LeakyRelu', [l.inputs[0]!], l.node.id, { alpha: { float: l.params.num('alpha') } }) },
  ZeroPadding2D: { convert: zeroPadding2d },
  Cropping2D: { convert: cropping2d },
  UpSampling2D: { convert: upSampling2d },
  Reshape: { convert: reshape },
  Rescaling: { convert: rescaling },
  Add: { convert: (l) => l.g.op('Sum', [...l.inputs], l.node.id) },
  Concatenate: { convert: concatenate },
  GaussianNoise: TRAINING_ONLY,
  GaussianDropout: TRAINING_ONLY,
  RandomFlip: TRAINING_ONLY,
  RandomContrast: TRAINING_ONLY,
  RandomRotation: TRAINING_ONLY,
  RandomZoom: TRAINING_ONLY,
  RandomTranslation: TRAINING_ONLY,
  LayerNormalization: { convert: layerNormalization },
  ReLU: { convert: relu },
  PReLU: { convert: prelu },
  ELU: { convert: (l) => l.g.op('Elu', [l.inputs[0]!], l.node.id, { alpha: { float: l.params.num('alpha') } }) },
  Softmax: { convert: (l) => l.g.op('Softmax', [l.inputs[0]!], l.node.id, { axis: { int: graphAxis(l.params.num('axis'), l.outputShape) } }) },
  Permute: { convert: (l) => l.g.op('Transpose', [l.inputs[0]!], l.node.id, { perm: { ints: graphPermutation(l.params.list('dims'), l.inputShapes[0]!) } }) },
  Resizing: { convert: resizing },
  Multiply: { convert: multiply },
  // tfjs averages as the sum times 1/n; ONNX's Mean divides the sum by n (the same to float rounding).
  Average: { convert: (l) => l.g.op('Mean', [...l.inputs], l.node.id) },
  Maximum: { convert: (l) => l.g.op('Max', [...l.inputs], l.node.id) },
  Subtract: { convert: (l) => l.g.op('Sub', [l.inputs[0]!, l.inputs[1]!], l.node.id) },
};
