/**
 * Output shape, parameter counts and cost of one layer, following tfjs-layers' rules exactly
 * (`convOutputLength`, `deconvLength`, the merge layers' checks, BatchNormalization's moving statistics
 * counted as non-trainable). Shapes have no batch dimension.
 *
 * `flops` counts multiply-adds for one sample: convolutions, Dense, BatchNormalization and Rescaling
 * (one per value), plus the additions of average pooling and Add. Comparisons (max pooling, relu) and
 * other element-wise functions are not counted, as in Keras-style FLOP tables.
 */
import type { Shape } from './analysis';
import type { Diagnostic, DiagnosticCode, QuickFix } from './diagnostics';
import type { ParamValue } from './format';
import type { ResolvedParams } from './paramCheck';

export interface LayerContext {
  id: string;
  type: string;
  /** Ids of the inputs, in order (for messages). */
  inputIds: readonly string[];
  params: ResolvedParams;
}

export interface LayerResult {
  shape: Shape | null;
  trainable: number;
  nonTrainable: number;
  flops: number;
  diagnostics: Diagnostic[];
}

export function product(shape: Shape): number {
  let p = 1;
  for (const d of shape) p *= d;
  return p;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** tfjs-layers' `convOutputLength`. */
export function convOutputLength(length: number, kernel: number, padding: string, stride: number, dilation = 1): number {
  const dilatedKernel = kernel + (kernel - 1) * (dilation - 1);
  const out = padding === 'same' ? length : length - dilatedKernel + 1;
  return Math.floor((out + stride - 1) / stride);
}

/** tfjs-layers' `deconvLength` (Conv2DTranspose). */
export function deconvLength(length: number, stride: number, kernel: number, padding: string): number {
  const out = length * stride;
  return padding === 'valid' ? out + Math.max(kernel - stride, 0) : out;
}

const pairOf = (v: ParamValue | undefined): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [1, 1]);
const pair2Of = (v: ParamValue | undefined): [[number, number], [number, number]] =>
  Array.isArray(v) ? [pairOf(v[0] as ParamValue), pairOf(v[1] as ParamValue)] : [[0, 0], [0, 0]];
const num = (v: ParamValue | undefined, dflt = 0): number => (typeof v === 'number' ? v : dflt);
const str = (v: ParamValue | undefined, dflt = ''): string => (typeof v === 'string' ? v : dflt);
const bool = (v: ParamValue | undefined, dflt = true): boolean => (typeof v === 'boolean' ? v : dflt);

class Result {
  shape: Shape | null = null;
  trainable = 0;
  nonTrainable = 0;
  flops = 0;
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly ctx: LayerContext) {}
  error(code: DiagnosticCode, message: string, fixes?: QuickFix[]): this {
    this.diagnostics.push({ nodeId: this.ctx.id, code, severity: 'error', message, ...(fixes ? { fixes } : {}) });
    this.shape = null;
    return this;
  }
  warn(code: DiagnosticCode, message: string, fixes?: QuickFix[]): void {
    this.diagnostics.push({ nodeId: this.ctx.id, code, severity: 'warning', message, ...(fixes ? { fixes } : {}) });
  }
}

function what(ctx: LayerContext): string {
  return `${ctx.type} '${ctx.id}'`;
}

/** Layers that work on feature maps need `[height, width, channels]`. */
function needsImage(ctx: LayerContext, r: Result, input: Shape): input is readonly [number, number, number] {
  if (input.length === 3) return true;
  const from = ctx.inputIds[0] !== undefined ? ` from '${ctx.inputIds[0]}'` : '';
  r.error(
    'rank-mismatch',
    `${what(ctx)} needs a 3-D input [height, width, channels] but gets ${formatShape(input)}${from}: ` +
      (input.length < 3
        ? 'move it before the Flatten/Dense layers, or set the Input shape to [height, width, channels].'
        : 'reshape its input to [height, width, channels].'),
  );
  return false;
}

/** Output size of a sliding window over height and width, with the "kernel larger than input" check. */
function slide(
  ctx: LayerContext,
  r: Result,
  input: readonly [number, number, number],
  kernel: [number, number],
  strides: [number, number],
  padding: string,
  windowName: string,
  dilation: [number, number] = [1, 1],
): [number, number] | null {
  const dk: [number, number] = [kernel[0] + (kernel[0] - 1) * (dilation[0] - 1), kernel[1] + (kernel[1] - 1) * (dilation[1] - 1)];
  if (padding !== 'same' && (dk[0] > input[0] || dk[1] > input[1])) {
    const dil = dk[0] !== kernel[0] || dk[1] !== kernel[1] ? ` (${dk[0]}×${dk[1]} with its dilation)` : '';
    const remedy = ctx.type.includes('Pooling') ? 'remove it' : 'remove a pooling layer before it';
    r.error(
      'kernel-too-large',
      `${what(ctx)} has a ${kernel[0]}×${kernel[1]} ${windowName}${dil} with 'valid' padding but its input is ${input[0]}×${input[1]}: use padding 'same' or ${remedy}.`,
      [{ kind: 'setParam', title: "Use padding 'same'", nodeId: ctx.id, param: 'padding', value: 'same' }],
    );
    return null;
  }
  const h = convOutputLength(input[0], kernel[0], padding, strides[0], dilation[0]);
  const w = convOutputLength(input[1], kernel[1], padding, strides[1], dilation[1]);
  if (h <= 0 || w <= 0) {
    r.error('dimension-zero', `${what(ctx)} would produce a ${h}×${w} output from a ${input[0]}×${input[1]} input: use smaller strides or padding 'same'.`);
    return null;
  }
  return [h, w];
}

function convLike(ctx: LayerContext, r: Result, input: Shape): void {
  if (!needsImage(ctx, r, input)) return;
  const p = ctx.params;
  const [cin] = [input[2]];
  const kernel = pairOf(p.get('kernelSize'));
  const strides = pairOf(p.get('strides'));
  const padding = str(p.get('padding'), 'valid');
  const bias = bool(p.get('useBias'));
  const filters = num(p.get('filters'), 1);
  const dm = num(p.get('depthMultiplier'), 1);
  const kk = kernel[0] * kernel[1];
  switch (ctx.type) {
    case 'Conv2D': {
      const dilation = pairOf(p.get('dilationRate'));
      if ((strides[0] > 1 || strides[1] > 1) && (dilation[0] > 1 || dilation[1] > 1)) {
        r.error('bad-param', `${what(ctx)} has strides ${formatShape(strides)} and dilationRate ${formatShape(dilation)}: tfjs supports a dilation > 1 only with strides [1, 1]; set one of them back to [1, 1].`, [
          { kind: 'setParam', title: 'Set strides to [1, 1]', nodeId: ctx.id, param: 'strides', value: [1, 1] },
          { kind: 'setParam', title: 'Set dilationRate to [1, 1]', nodeId: ctx.id, param: 'dilationRate', value: [1, 1] },
        ]);
        return;
      }
      const hw = slide(ctx, r, input, kernel, strides, padding, 'kernel', dilation);
      if (!hw) return;
      r.shape = [hw[0], hw[1], filters];
      r.trainable = kk * cin * filters + (bias ? filters : 0);
      r.flops = hw[0] * hw[1] * filters * kk * cin;
      return;
    }
    case 'DepthwiseConv2D': {
      const hw = slide(ctx, r, input, kernel, strides, padding, 'kernel');
      if (!hw) return;
      const cout = cin * dm;
      r.shape = [hw[0], hw[1], cout];
      r.trainable = kk * cout + (bias ? cout : 0);
      r.flops = hw[0] * hw[1] * cout * kk;
      return;
    }
    case 'SeparableConv2D': {
      const hw = slide(ctx, r, input, kernel, strides, padding, 'kernel');
      if (!hw) return;
      const mid = cin * dm;
      r.shape = [hw[0], hw[1], filters];
      r.trainable = kk * mid + mid * filters + (bias ? filters : 0);
      r.flops = hw[0] * hw[1] * (mid * kk + mid * filters);
      return;
    }
    case 'Conv2DTranspose': {
      const h = deconvLength(input[0], strides[0], kernel[0], padding);
      const w = deconvLength(input[1], strides[1], kernel[1], padding);
      r.shape = [h, w, filters];
      r.trainable = kk * filters * cin + (bias ? filters : 0);
      r.flops = input[0] * input[1] * cin * kk * filters;
      return;
    }
  }
}

function pooling(ctx: LayerContext, r: Result, input: Shape): void {
  if (!needsImage(ctx, r, input)) return;
  const pool = pairOf(ctx.params.get('poolSize'));
  const rawStrides = ctx.params.get('strides');
  const strides = rawStrides === null || rawStrides === undefined ? pool : pairOf(rawStrides);
  const hw = slide(ctx, r, input, pool, strides, str(ctx.params.get('padding'), 'valid'), 'window');
  if (!hw) return;
  r.shape = [hw[0], hw[1], input[2]];
  if (ctx.type === 'AveragePooling2D') r.flops = hw[0] * hw[1] * input[2] * pool[0] * pool[1];
}

/** Element-wise broadcasting as tfjs' Merge layers do it: equal ranks, a 1 stretches to the other size. */
function broadcast(a: Shape, b: Shape): Shape | null {
  if (a.length !== b.length) return null;
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return null;
  }
  return out;
}

function add(ctx: LayerContext, r: Result, inputs: readonly Shape[]): void {
  let shape: Shape | null = inputs[0]!;
  for (let i = 1; i < inputs.length && shape; i++) shape = broadcast(shape, inputs[i]!);
  if (shape) {
    r.shape = shape;
    r.flops = (inputs.length - 1) * product(shape);
    return;
  }
  const list = inputs.map((s, i) => `${formatShape(s)} from '${ctx.inputIds[i]}'`).join(' and ');
  const a = inputs[0]!;
  const b = inputs.find((s) => s.length !== a.length || s.some((d, i) => d !== a[i]))!;
  let hint = 'make the shapes equal';
  if (a.length === 3 && b.length === 3) {
    const big = a[2]! >= b[2]! ? a : b;
    if (a[0] === b[0] && a[1] === b[1]) hint = `match the channels, e.g. with a 1×1 Conv2D of ${big[2]} filters on the shortcut`;
    else hint = `match height and width, e.g. with a 1×1 Conv2D with strides on the shortcut (or the same pooling on both branches)`;
  }
  r.error('add-shape-mismatch', `${what(ctx)} needs inputs of the same shape, but gets ${list}: ${hint}.`);
}

function concatenate(ctx: LayerContext, r: Result, inputs: readonly Shape[]): void {
  const rank = inputs[0]!.length;
  const axisParam = num(ctx.params.get('axis'), -1);
  if (inputs.some((s) => s.length !== rank)) {
    const list = inputs.map((s, i) => `${formatShape(s)} from '${ctx.inputIds[i]}'`).join(', ');
    r.error('concat-shape-mismatch', `${what(ctx)} joins inputs of different ranks (${list}): give them the same number of dimensions (e.g. Flatten all of them).`);
    return;
  }
  // tfjs counts the batch axis: axis 1 is the first axis after it, -1 the last (channels).
  const axis = axisParam < 0 ? axisParam + rank + 1 : axisParam;
  if (axis < 1 || axis > rank) {
    r.error(
      'bad-param',
      axis === 0
        ? `${what(ctx)} has axis ${axisParam}, which is the batch axis: use -1 to join channels.`
        : `${what(ctx)} has axis ${axisParam}, but its inputs have only ${rank} dimension(s) after the batch: use -1 to join along the last one.`,
      [{ kind: 'setParam', title: 'Join along the last axis (-1)', nodeId: ctx.id, param: 'axis', value: -1 }],
    );
    return;
  }
  const k = axis - 1;
  const first = inputs[0]!;
  const mismatch = inputs.findIndex((s) => s.some((d, i) => i !== k && d !== first[i]));
  if (mismatch >= 0) {
    const names = rank === 3 ? ['height', 'width', 'channels'] : rank === 2 ? ['rows', 'columns'] : ['values'];
    const other = first.map((_, i) => i).filter((i) => i !== k).map((i) => names[i] ?? `axis ${i + 1}`).join(' and ');
    r.error(
      'concat-shape-mismatch',
      `${what(ctx)} joins along ${names[k] ?? `axis ${axisParam}`}, so the inputs must agree in ${other}, but gets ${formatShape(first)} from '${ctx.inputIds[0]}' and ${formatShape(inputs[mismatch]!)} from '${ctx.inputIds[mismatch]}': ` +
        `make them equal (same strides and pooling on both branches, padding 'same'), or choose another axis.`,
    );
    return;
  }
  r.shape = first.map((d, i) => (i === k ? inputs.reduce((sum, s) => sum + s[i]!, 0) : d));
}

function reshape(ctx: LayerContext, r: Result, input: Shape): void {
  const target = ctx.params.get('targetShape');
  const t = Array.isArray(target) ? (target as number[]) : [-1];
  const size = product(input);
  const known = product(t.filter((d) => d !== -1));
  const infer = t.indexOf(-1);
  if (infer >= 0 ? size % known !== 0 : known !== size) {
    r.error(
      'reshape-size-mismatch',
      `${what(ctx)} cannot turn ${formatShape(input)} (${size.toLocaleString('en-US')} values) into ${formatShape(t)}: ` +
        (infer >= 0 ? `${size.toLocaleString('en-US')} is not divisible by ${known.toLocaleString('en-US')}` : `that holds ${known.toLocaleString('en-US')} values`) +
        `; use a target whose sizes multiply to ${size.toLocaleString('en-US')}, or [-1] to flatten.`,
      [{ kind: 'setParam', title: 'Flatten instead: targetShape [-1]', nodeId: ctx.id, param: 'targetShape', value: [-1] }],
    );
    return;
  }
  r.shape = t.map((d) => (d === -1 ? size / known : d));
}

export function inferLayer(ctx: LayerContext, inputs: readonly Shape[]): LayerResult {
  const r = new Result(ctx);
  const input = inputs[0]!;
  const p = ctx.params;
  switch (ctx.type) {
    case 'Input': {
      const shape = p.get('shape');
      r.shape = Array.isArray(shape) ? (shape as number[]).slice() : null;
      break;
    }
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
    case 'Conv2DTranspose':
      convLike(ctx, r, input);
      break;
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      pooling(ctx, r, input);
      break;
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      if (!needsImage(ctx, r, input)) break;
      r.shape = [input[2]];
      if (ctx.type === 'GlobalAveragePooling2D') r.flops = product(input);
      break;
    case 'Flatten':
      if (input.length < 2) {
        r.error('rank-mismatch', `${what(ctx)} gets ${formatShape(input)}, which is already flat: remove it.`, [
          { kind: 'removeNode', title: `Remove '${ctx.id}'`, nodeId: ctx.id },
        ]);
        break;
      }
      r.shape = [product(input)];
      break;
    case 'Dense': {
      const units = num(p.get('units'), 1);
      const fanIn = input[input.length - 1]!;
      if (input.length >= 3) {
        r.warn(
          'dense-on-4d',
          `${what(ctx)} gets feature maps ${formatShape(input)} and would apply to each position separately, giving ${formatShape([...input.slice(0, -1), units])}: add a Flatten (or GlobalAveragePooling2D) before it.`,
          ctx.inputIds[0] !== undefined
            ? [{ kind: 'insertLayer', title: 'Insert a Flatten before it', afterNodeId: ctx.inputIds[0], layerType: 'Flatten' }]
            : undefined,
        );
      }
      r.shape = [...input.slice(0, -1), units];
      r.trainable = fanIn * units + (bool(p.get('useBias')) ? units : 0);
      r.flops = product(input) * units;
      break;
    }
    case 'SpatialDropout2D':
    case 'RandomFlip':
    case 'RandomContrast':
    case 'RandomRotation':
    case 'RandomZoom':
    case 'RandomTranslation':
      if (!needsImage(ctx, r, input)) break;
      r.shape = input;
      break;
    case 'Dropout':
    case 'GaussianNoise':
    case 'GaussianDropout':
    case 'Activation':
    case 'LeakyReLU':
    case 'ReLU':
    case 'ELU':
      r.shape = input;
      break;
    case 'Softmax': {
      const axis = num(p.get('axis'), -1);
      if (axis === 0 || Math.abs(axis) > input.length) {
        r.error('bad-param', `${what(ctx)} has axis ${axis}, but its input ${formatShape(input)} has axes 1 to ${input.length} (0 is the batch): use -1 for the last axis.`, [
          { kind: 'setParam', title: 'Use the last axis (-1)', nodeId: ctx.id, param: 'axis', value: -1 },
        ]);
        break;
      }
      r.shape = input;
      break;
    }
    case 'PReLU':
      if (str(p.get('sharedAxes'), 'none') === 'spatial') {
        // One slope per channel, shared over height and width (Keras shared_axes=[1, 2]).
        if (!needsImage(ctx, r, input)) break;
        r.trainable = input[2];
      } else {
        r.trainable = product(input);
      }
      r.shape = input;
      break;
    case 'LayerNormalization': {
      const c = input[input.length - 1]!;
      r.shape = input;
      r.trainable = (bool(p.get('scale')) ? c : 0) + (bool(p.get('center')) ? c : 0);
      r.flops = product(input);
      break;
    }
    case 'Rescaling':
      r.shape = input;
      r.flops = product(input);
      break;
    case 'BatchNormalization': {
      const c = input[input.length - 1]!;
      r.shape = input;
      r.trainable = (bool(p.get('scale')) ? c : 0) + (bool(p.get('center')) ? c : 0);
      r.nonTrainable = 2 * c; // moving mean and variance
      r.flops = product(input);
      break;
    }
    case 'ZeroPadding2D': {
      if (!needsImage(ctx, r, input)) break;
      const [[t, b], [left, right]] = pair2Of(p.get('padding'));
      r.shape = [input[0] + t + b, input[1] + left + right, input[2]];
      break;
    }
    case 'Cropping2D': {
      if (!needsImage(ctx, r, input)) break;
      const [[t, b], [left, right]] = pair2Of(p.get('cropping'));
      const h = input[0] - t - b;
      const w = input[1] - left - right;
      if (h <= 0 || w <= 0) {
        r.error(
          'dimension-zero',
          `${what(ctx)} crops ${t + b} of ${input[0]} rows and ${left + right} of ${input[1]} columns, leaving ${Math.max(h, 0)}×${Math.max(w, 0)}: crop less.`,
          [{ kind: 'setParam', title: 'Crop nothing', nodeId: ctx.id, param: 'cropping', value: [[0, 0], [0, 0]] }],
        );
        break;
      }
      r.shape = [h, w, input[2]];
      break;
    }
    case 'UpSampling2D': {
      if (!needsImage(ctx, r, input)) break;
      const [sh, sw] = pairOf(p.get('size'));
      r.shape = [input[0] * sh, input[1] * sw, input[2]];
      break;
    }
    case 'Reshape':
      reshape(ctx, r, input);
      break;
    case 'Permute': {
      const dims = Array.isArray(p.get('dims')) ? (p.get('dims') as number[]) : [];
      const wanted = input.map((_, i) => i + 1);
      if (dims.length !== input.length || [...dims].sort((a, b) => a - b).some((d, i) => d !== wanted[i])) {
        r.error('bad-param', `${what(ctx)} has dims ${formatShape(dims)}, but its input ${formatShape(input)} needs an order of all of ${formatShape(wanted)} (1 = the first axis after the batch).`, [
          { kind: 'setParam', title: `Keep the order ${formatShape(wanted)}`, nodeId: ctx.id, param: 'dims', value: wanted },
        ]);
        break;
      }
      r.shape = dims.map((d) => input[d - 1]!);
      break;
    }
    case 'Resizing':
      if (!needsImage(ctx, r, input)) break;
      r.shape = [num(p.get('height'), 1), num(p.get('width'), 1), input[2]];
      break;
    case 'Add':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
    case 'Subtract':
      add(ctx, r, inputs);
      break;
    case 'Concatenate':
      concatenate(ctx, r, inputs);
      break;
  }
  if (r.shape && r.shape.some((d) => d <= 0)) {
    r.error('dimension-zero', `${what(ctx)} would output ${formatShape(r.shape)}: a dimension reached zero; remove a pooling or cropping layer before it.`);
  }
  return { shape: r.shape, trainable: r.trainable, nonTrainable: r.nonTrainable, flops: r.flops, diagnostics: r.diagnostics };
}
