/**
 * One Keras layer constructor per model node, e.g. `layers.Conv2D(32, (3, 3), activation="relu", name="conv1")`.
 *
 * Keras' own defaults differ from the catalogue's (Conv2D's activation is `None` in Keras but `relu` in
 * our palette), so every argument is compared with the KERAS default and written only when it differs;
 * the required ones (filters, units, rate…) are always written, positionally as in the Keras docs.
 */
import type { ModelNode } from '../format';
import { CodegenError, boolParam, numberParam, pair2Param, pairParam, resolvedParams, shapeParam, stringParam } from './graph';
import { pyFloat, pyNumber, pyString, pyTuple } from './python';

/** Keras' name for one of our activation names (`hardSigmoid` → `hard_sigmoid`). */
export function kerasActivationName(name: string): string {
  return name === 'hardSigmoid' ? 'hard_sigmoid' : name;
}

type Kw = [string, string];

function activationKw(act: string, kerasDefault = 'linear'): Kw[] {
  return act === kerasDefault ? [] : [['activation', pyString(kerasActivationName(act))]];
}

function pairKw(key: string, v: [number, number], dflt: [number, number]): Kw[] {
  return v[0] === dflt[0] && v[1] === dflt[1] ? [] : [[key, pyTuple(v)]];
}

function strKw(key: string, v: string, dflt: string): Kw[] {
  return v === dflt ? [] : [[key, pyString(v)]];
}

function boolKw(key: string, v: boolean, dflt: boolean): Kw[] {
  return v === dflt ? [] : [[key, v ? 'True' : 'False']];
}

function numKw(key: string, v: number, dflt: number, float = true): Kw[] {
  return v === dflt ? [] : [[key, float ? pyFloat(v) : pyNumber(v)]];
}

/** Positional args and keyword args (without `name`) of the Keras constructor for `node`. */
export function kerasLayerArgs(node: ModelNode): { className: string; positional: string[]; keywords: Kw[] } {
  const p = resolvedParams(node);
  switch (node.type) {
    case 'Input':
      return { className: 'Input', positional: [], keywords: [['shape', pyTuple(shapeParam(p, 'shape'))]] };
    case 'Conv2D':
      return {
        className: 'Conv2D',
        positional: [pyNumber(numberParam(p, 'filters')), pyTuple(pairParam(p, 'kernelSize'))],
        keywords: [
          ...pairKw('strides', pairParam(p, 'strides'), [1, 1]),
          ...strKw('padding', stringParam(p, 'padding'), 'valid'),
          ...pairKw('dilation_rate', pairParam(p, 'dilationRate'), [1, 1]),
          ...activationKw(stringParam(p, 'activation')),
          ...boolKw('use_bias', boolParam(p, 'useBias'), true),
        ],
      };
    case 'DepthwiseConv2D':
      return {
        className: 'DepthwiseConv2D',
        positional: [pyTuple(pairParam(p, 'kernelSize'))],
        keywords: [
          ...pairKw('strides', pairParam(p, 'strides'), [1, 1]),
          ...strKw('padding', stringParam(p, 'padding'), 'valid'),
          ...numKw('depth_multiplier', numberParam(p, 'depthMultiplier'), 1, false),
          ...activationKw(stringParam(p, 'activation')),
          ...boolKw('use_bias', boolParam(p, 'useBias'), true),
        ],
      };
    case 'SeparableConv2D':
    case 'Conv2DTranspose':
      return {
        className: node.type,
        positional: [pyNumber(numberParam(p, 'filters')), pyTuple(pairParam(p, 'kernelSize'))],
        keywords: [
          ...pairKw('strides', pairParam(p, 'strides'), [1, 1]),
          ...strKw('padding', stringParam(p, 'padding'), 'valid'),
          ...(node.type === 'SeparableConv2D' ? numKw('depth_multiplier', numberParam(p, 'depthMultiplier'), 1, false) : []),
          ...activationKw(stringParam(p, 'activation')),
          ...boolKw('use_bias', boolParam(p, 'useBias'), true),
        ],
      };
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const strides = p['strides'];
      const pool = pairParam(p, 'poolSize');
      return {
        className: node.type,
        positional: pool[0] === 2 && pool[1] === 2 ? [] : [pyTuple(pool)],
        keywords: [
          ...(strides === null || strides === undefined ? [] : ([['strides', pyTuple(pairParam(p, 'strides'))]] as Kw[])),
          ...strKw('padding', stringParam(p, 'padding'), 'valid'),
        ],
      };
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
    case 'Flatten':
    case 'Add':
      return { className: node.type, positional: [], keywords: [] };
    case 'Dense':
      return {
        className: 'Dense',
        positional: [pyNumber(numberParam(p, 'units'))],
        keywords: [...activationKw(stringParam(p, 'activation')), ...boolKw('use_bias', boolParam(p, 'useBias'), true)],
      };
    case 'Dropout':
    case 'SpatialDropout2D':
      return { className: node.type, positional: [pyFloat(numberParam(p, 'rate'))], keywords: [] };
    case 'BatchNormalization':
      return {
        className: 'BatchNormalization',
        positional: [],
        keywords: [
          ...numKw('momentum', numberParam(p, 'momentum'), 0.99),
          ...numKw('epsilon', numberParam(p, 'epsilon'), 0.001),
          ...boolKw('center', boolParam(p, 'center'), true),
          ...boolKw('scale', boolParam(p, 'scale'), true),
        ],
      };
    case 'Activation':
      return { className: 'Activation', positional: [pyString(kerasActivationName(stringParam(p, 'activation')))], keywords: [] };
    case 'LeakyReLU':
      // Written explicitly: Keras 2 defaults alpha to 0.3, Keras 3 (as `negative_slope`) to 0.2.
      return { className: 'LeakyReLU', positional: [], keywords: [['alpha', pyFloat(numberParam(p, 'alpha'))]] };
    case 'ZeroPadding2D':
      return { className: 'ZeroPadding2D', positional: [], keywords: [['padding', pyTuple(pair2Param(p, 'padding'))]] };
    case 'Cropping2D':
      return { className: 'Cropping2D', positional: [], keywords: [['cropping', pyTuple(pair2Param(p, 'cropping'))]] };
    case 'UpSampling2D':
      return {
        className: 'UpSampling2D',
        positional: [],
        keywords: [...pairKw('size', pairParam(p, 'size'), [2, 2]), ...strKw('interpolation', stringParam(p, 'interpolation'), 'nearest')],
      };
    case 'Reshape':
      return { className: 'Reshape', positional: [pyTuple(shapeParam(p, 'targetShape'))], keywords: [] };
    case 'Rescaling': {
      const scale = numberParam(p, 'scale');
      // 1/255 reads better as a fraction than as 0.00392156862745098.
      const scaleText = Math.abs(scale * 255 - 1) < 1e-9 ? '1.0 / 255' : Math.abs(scale * 127.5 - 1) < 1e-9 ? '1.0 / 127.5' : pyFloat(scale);
      return { className: 'Rescaling', positional: [scaleText], keywords: numKw('offset', numberParam(p, 'offset'), 0) };
    }
    case 'Concatenate':
      return { className: 'Concatenate', positional: [], keywords: numKw('axis', numberParam(p, 'axis'), -1, false) };
    default:
      throw new CodegenError(`Layer '${node.id}' (${node.type}) has no Keras equivalent in the exporter yet.`);
  }
}

/** `layers.Conv2D(32, (3, 3), activation="relu", name="conv1")` (Input: `keras.Input(shape=…, name=…)`). */
export function kerasLayerExpression(node: ModelNode, layersPrefix = 'layers', inputPrefix = 'keras'): string {
  const { className, positional, keywords } = kerasLayerArgs(node);
  const callee = node.type === 'Input' ? `${inputPrefix}.Input` : `${layersPrefix}.${className}`;
  const args = [...positional, ...keywords.map(([k, v]) => `${k}=${v}`), `name=${pyString(node.id)}`];
  return `${callee}(${args.join(', ')})`;
}
