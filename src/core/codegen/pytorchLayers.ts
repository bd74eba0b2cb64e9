/**
 * PyTorch modules and forward-pass expressions for each model node.
 *
 * PyTorch is channels-first (`[batch, channels, height, width]`) while our shapes (and Keras) are
 * channels-last, so sizes are read from the analysis' channels-last shapes and placed accordingly. The
 * layers behave like tfjs-layers/Keras: TF's 'same' padding (one more row/column at the bottom/right
 * when the total is odd), average pooling that ignores padded cells, BatchNormalization with Keras'
 * momentum and epsilon, and Flatten/Reshape in channels-last order so a Dense layer sees the values in
 * the same order as in Keras.
 */
import type { Shape } from '../analysis';
import type { ModelNode } from '../format';
import { CodegenError, boolParam, numberParam, pair2Param, pairParam, resolvedParams, shapeParam, stringParam } from './graph';
import { pyFloat, pyNumber, pyTuple } from './python';
import { KERAS_RANDOM_TRANSFORM, randomTransformModule } from './pytorchRandomTransform';

export interface TorchNodeCode {
  /** Lines for `__init__`, e.g. `self.conv1 = nn.Conv2d(…)`. */
  init: string[];
  /** Statements of the forward pass; the last assigns `out`. `inputs` are the input variables. */
  forward: (inputs: readonly string[], out: string) => string[];
  /** Helper classes the file must define. */
  helpers: Set<TorchHelper>;
}

export type TorchHelper = 'AvgPool2dSame' | 'KerasRandomTransform';

export const TORCH_HELPERS: Record<TorchHelper, string> = {
  AvgPool2dSame: `class AvgPool2dSame(nn.Module):
    """Average pooling with TF's asymmetric 'same' padding, averaging only real (unpadded) cells, as Keras does."""

    def __init__(self, kernel_size, stride, pad):
        super().__init__()
        self.kernel_size, self.stride, self.pad = kernel_size, stride, pad  # pad: (left, right, top, bottom)

    def forward(self, x):
        sums = F.avg_pool2d(F.pad(x, self.pad), self.kernel_size, self.stride, divisor_override=1)
        ones = torch.ones_like(x[:1, :1])
        counts = F.avg_pool2d(F.pad(ones, self.pad), self.kernel_size, self.stride, divisor_override=1)
        return sums / counts`,
  KerasRandomTransform: KERAS_RANDOM_TRANSFORM,
};

/** `F.relu(expr)` etc.: our activation applied to a PyTorch expression (channels are dim 1). */
export function torchActivation(name: string, expr: string): string {
  switch (name) {
    case 'linear':
      return expr;
    case 'relu':
      return `F.relu(${expr})`;
    case 'relu6':
      return `F.relu6(${expr})`;
    case 'sigmoid':
      return `torch.sigmoid(${expr})`;
    case 'tanh':
      return `torch.tanh(${expr})`;
    case 'softmax':
      return `torch.softmax(${expr}, dim=1)`;
    case 'elu':
      return `F.elu(${expr})`;
    case 'selu':
      return `F.selu(${expr})`;
    case 'swish':
      return `F.silu(${expr})`;
    case 'mish':
      return `F.mish(${expr})`;
    case 'gelu':
      return `F.gelu(${expr})`;
    case 'softplus':
      return `F.softplus(${expr})`;
    case 'softsign':
      return `F.softsign(${expr})`;
    case 'hardSigmoid':
      // tfjs-layers' (and Keras 2's) definition, not PyTorch's Hardsigmoid (x/6 + 1/2).
      return `torch.clamp(0.2 * ${expr} + 0.5, 0.0, 1.0)`;
    default:
      throw new CodegenError(`The activation '${name}' has no PyTorch equivalent in the exporter.`);
  }
}

/** TF's 'same' padding along one axis: (before, after); the extra cell goes after. */
export function samePadding(input: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(input / stride);
  const total = Math.max((out - 1) * stride + effective - input, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function spatial(shape: Shape | null, id: string): [number, number, number] {
  if (!shape || shape.length !== 3) throw new CodegenError(`Layer '${id}' needs an image-shaped input [height, width, channels]; fix the shapes in the designer first.`);
  return [shape[0]!, shape[1]!, shape[2]!];
}

/** Keras' Concatenate axis (with the batch axis, negative from the end) → PyTorch's dim for a channels-first tensor. */
export function torchConcatDim(axis: number, rank: number): number {
  if (rank !== 3) return axis < 0 ? rank + 1 + axis : axis;
  const withBatch = axis < 0 ? 4 + axis : axis; // 1 = height, 2 = width, 3 = channels
  return withBatch === 3 ? 1 : withBatch === 1 ? 2 : withBatch === 2 ? 3 : 0;
}

/** Module + forward code for one node. `attr` is the attribute name (`self.<attr>`). */
export function torchNodeCode(node: ModelNode, attr: string, inShapes: readonly (Shape | null)[], outShape: Shape | null): TorchNodeCode {
  const p = resolvedParams(node);
  const helpers = new Set<TorchHelper>();
  const inShape = inShapes[0] ?? null;
  const self = `self.${attr}`;
  const simple = (init: string[], expr: (x: string) => string): TorchNodeCode => ({
    init,
    forward: (ins, out) => [`${out} = ${expr(ins[0]!)}`],
    helpers,
  });

  switch (node.type) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const [h, w, c] = spatial(inShape, node.id);
      const k = pairParam(p, 'kernelSize');
      const s = pairParam(p, 'strides');
      const d = node.type === 'Conv2D' ? pairParam(p, 'dilationRate') : ([1, 1] as [number, number]);
      const act = stringParam(p, 'activation');
      const bias = boolParam(p, 'useBias');
      const same = stringParam(p, 'padding') === 'same';
      const [pt, pb] = same ? samePadding(h, k[0], s[0], d[0]) : [0, 0];
      const [pl, pr] = same ? samePadding(w, k[1], s[1], d[1]) : [0, 0];
      const symmetric = pt === pb && pl === pr;
      const init: string[] = [];
      const convArgs = (inC: number, outC: number, groups: number, withBias: boolean): string => {
        const args = [pyNumber(inC), pyNumber(outC), `kernel_size=${pyTuple(k)}`];
        if (s[0] !== 1 || s[1] !== 1) args.push(`stride=${pyTuple(s)}`);
        if (symmetric && (pt || pl)) args.push(`padding=${pyTuple([pt, pl])}`);
        if (d[0] !== 1 || d[1] !== 1) args.push(`dilation=${pyTuple(d)}`);
        if (groups !== 1) args.push(`groups=${pyNumber(groups)}`);
        if (!withBias) args.push('bias=False');
        return args.join(', ');
      };
      if (!symmetric) {
        init.push(`# TF 'same' padding: the odd extra row/column goes at the bottom/right.`, `${self}_pad = nn.ZeroPad2d(${pyTuple([pl, pr, pt, pb])})`);
      }
      let call: (x: string) => string;
      if (node.type === 'Conv2D') {
        init.push(`${self} = nn.Conv2d(${convArgs(c, numberParam(p, 'filters'), 1, bias)})`);
        call = (x) => `${self}(${x})`;
      } else if (node.type === 'DepthwiseConv2D') {
        const dm = numberParam(p, 'depthMultiplier');
        init.push(`${self} = nn.Conv2d(${convArgs(c, c * dm, c, bias)})  # depthwise: one group per input channel`);
        call = (x) => `${self}(${x})`;
      } else {
        const dm = numberParam(p, 'depthMultiplier');
        init.push(
          `${self}_depthwise = nn.Conv2d(${convArgs(c, c * dm, c, false)})`,
          `${self}_pointwise = nn.Conv2d(${pyNumber(c * dm)}, ${pyNumber(numberParam(p, 'filters'))}, kernel_size=1${bias ? '' : ', bias=False'})`,
        );
        call = (x) => `${self}_pointwise(${self}_depthwise(${x}))`;
      }
      return simple(init, (x) => torchActivation(act, call(symmetric ? x : `${self}_pad(${x})`)));
    }
    case 'Conv2DTranspose': {
      const [h, w, c] = spatial(inShape, node.id);
      const k = pairParam(p, 'kernelSize');
      const s = pairParam(p, 'strides');
      const act = stringParam(p, 'activation');
      const same = stringParam(p, 'padding') === 'same';
      // PyTorch gives (in - 1) * stride + kernel; TF gives in * stride ('same') or in * stride + max(kernel - stride, 0) ('valid').
      const full = [(h - 1) * s[0] + k[0], (w - 1) * s[1] + k[1]];
      const want = same ? [h * s[0], w * s[1]] : [h * s[0] + Math.max(k[0] - s[0], 0), w * s[1] + Math.max(k[1] - s[1], 0)];
      // Cells to remove at the start (TF's padding before) and to add/remove at the end.
      const before = same ? [Math.floor(Math.max(k[0] - s[0], 0) / 2), Math.floor(Math.max(k[1] - s[1], 0) / 2)] : [0, 0];
      const after = [want[0]! - (full[0]! - before[0]!), want[1]! - (full[1]! - before[1]!)];
      const args = [pyNumber(c), pyNumber(numberParam(p, 'filters')), `kernel_size=${pyTuple(k)}`];
      if (s[0] !== 1 || s[1] !== 1) args.push(`stride=${pyTuple(s)}`);
      const symmetricCrop = before[0] === -after[0]! && before[1] === -after[1]!;
      const growOnly = before[0] === 0 && before[1] === 0 && after[0]! >= 0 && after[1]! >= 0;
      let fix: (x: string) => string = (x) => x;
      if (symmetricCrop && (before[0] || before[1])) args.push(`padding=${pyTuple([before[0]!, before[1]!])}`);
      else if (growOnly && (after[0] || after[1])) args.push(`output_padding=${pyTuple([after[0]!, after[1]!])}`);
      else if (!symmetricCrop) {
        // Negative F.pad values crop: this reproduces TF's uneven 'same' cropping exactly.
        fix = (x) => `F.pad(${x}, ${pyTuple([-before[1]!, after[1]!, -before[0]!, after[0]!])})`;
      }
      if (!boolParam(p, 'useBias')) args.push('bias=False');
      return simple([`${self} = nn.ConvTranspose2d(${args.join(', ')})`], (x) => torchActivation(act, fix(`${self}(${x})`)));
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const [h, w] = spatial(inShape, node.id);
      const k = pairParam(p, 'poolSize');
      const s = p['strides'] === null || p['strides'] === undefined ? k : pairParam(p, 'strides');
      const same = stringParam(p, 'padding') === 'same';
      const [pt, pb] = same ? samePadding(h, k[0], s[0]) : [0, 0];
      const [pl, pr] = same ? samePadding(w, k[1], s[1]) : [0, 0];
      const strideArg = s[0] === k[0] && s[1] === k[1] ? '' : `, stride=${pyTuple(s)}`;
      const noPad = pt + pb + pl + pr === 0;
      if (node.type === 'MaxPooling2D') {
        const init = [`${self} = nn.MaxPool2d(${pyTuple(k)}${strideArg})`];
        if (noPad) return simple(init, (x) => `${self}(${x})`);
        // Padded cells must never win the max: pad with -inf (TF 'same').
        return simple(init, (x) => `${self}(F.pad(${x}, ${pyTuple([pl, pr, pt, pb])}, value=float("-inf")))`);
      }
      if (noPad) return simple([`${self} = nn.AvgPool2d(${pyTuple(k)}${strideArg})`], (x) => `${self}(${x})`);
      if (pt === pb && pl === pr && 2 * pt <= k[0] && 2 * pl <= k[1]) {
        return simple([`${self} = nn.AvgPool2d(${pyTuple(k)}${strideArg || `, stride=${pyTuple(s)}`}, padding=${pyTuple([pt, pl])}, count_include_pad=False)`], (x) => `${self}(${x})`);
      }
      helpers.add('AvgPool2dSame');
      return simple([`${self} = AvgPool2dSame(${pyTuple(k)}, ${pyTuple(s)}, ${pyTuple([pl, pr, pt, pb])})`], (x) => `${self}(${x})`);
    }
    case 'GlobalAveragePooling2D':
      return simple([], (x) => `${x}.mean(dim=(2, 3))`);
    case 'GlobalMaxPooling2D':
      return simple([], (x) => `${x}.amax(dim=(2, 3))`);
    case 'Flatten':
      if (inShape && inShape.length === 3) {
        return simple([], (x) => `torch.flatten(${x}.permute(0, 2, 3, 1), 1)  # channels-last order, as in Keras`);
      }
      return simple([], (x) => `torch.flatten(${x}, 1)`);
    case 'Dense': {
      if (!inShape) throw new CodegenError(`Layer '${node.id}' has an unknown input size; fix the shapes in the designer first.`);
      const features = inShape[inShape.length - 1]!;
      const units = numberParam(p, 'units');
      const act = stringParam(p, 'activation');
      const init = [`${self} = nn.Linear(${pyNumber(features)}, ${pyNumber(units)}${boolParam(p, 'useBias') ? '' : ', bias=False'})`];
      if (inShape.length === 3) {
        // Dense on a feature map acts on the channels of each position, as in Keras.
        return simple(init, (x) => torchActivation(act, `${self}(${x}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)`));
      }
      return simple(init, (x) => torchActivation(act, `${self}(${x})`));
    }
    case 'Dropout':
      return simple([`${self} = nn.Dropout(${pyFloat(numberParam(p, 'rate'))})`], (x) => `${self}(${x})`);
    case 'SpatialDropout2D':
      return simple([`${self} = nn.Dropout2d(${pyFloat(numberParam(p, 'rate'))})  # drops whole feature maps`], (x) => `${self}(${x})`);
    case 'BatchNormalization': {
      if (!inShape) throw new CodegenError(`Layer '${node.id}' has an unknown input size; fix the shapes in the designer first.`);
      const channels = inShape[inShape.length - 1]!;
      const cls = inShape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
      const center = boolParam(p, 'center');
      const scale = boolParam(p, 'scale');
      const args = [pyNumber(channels), `eps=${pyFloat(numberParam(p, 'epsilon'))}`, `momentum=${pyFloat(Number((1 - numberParam(p, 'momentum')).toPrecision(12)))}`];
      if (!center && !scale) args.push('affine=False');
      const init = ['# Keras momentum m is PyTorch momentum 1 - m.', `${self} = nn.${cls}(${args.join(', ')})`];
      if (center !== scale) {
        init.push(`# Keras center=${center ? 'True' : 'False'}, scale=${scale ? 'True' : 'False'}: the ${center ? 'scale (gamma)' : 'offset (beta)'} stays fixed.`);
        init.push(`${self}.${center ? 'weight' : 'bias'}.requires_grad_(False)`);
      }
      if (inShape.length === 2) return simple(init, (x) => `${self}(${x}.transpose(1, 2)).transpose(1, 2)`);
      return simple(init, (x) => `${self}(${x})`);
    }
    case 'Activation':
      return simple([], (x) => torchActivation(stringParam(p, 'activation'), x));
    case 'LeakyReLU':
      return simple([], (x) => `F.leaky_relu(${x}, ${pyFloat(numberParam(p, 'alpha'))})`);
    case 'ZeroPadding2D': {
      const [[t, b], [l, r]] = pair2Param(p, 'padding');
      return simple([`${self} = nn.ZeroPad2d(${pyTuple([l, r, t, b])})  # (left, right, top, bottom)`], (x) => `${self}(${x})`);
    }
    case 'Cropping2D': {
      const [[t, b], [l, r]] = pair2Param(p, 'cropping');
      const [h, w] = spatial(inShape, node.id);
      return simple([], (x) => `${x}[:, :, ${t}:${h - b}, ${l}:${w - r}]`);
    }
    case 'UpSampling2D': {
      const size = pairParam(p, 'size');
      const mode = stringParam(p, 'interpolation');
      const extra = mode === 'bilinear' ? ', align_corners=False' : '';
      return simple([`${self} = nn.Upsample(scale_factor=${pyTuple(size)}, mode=${JSON.stringify(mode)}${extra})`], (x) => `${self}(${x})`);
    }
    case 'Reshape': {
      const target = shapeParam(p, 'targetShape');
      const toLast = inShape && inShape.length === 3 ? '.permute(0, 2, 3, 1)' : '';
      const toFirst = outShape && outShape.length === 3 ? '.permute(0, 3, 1, 2)' : '';
      return simple([], (x) => `${x}${toLast}.reshape(${x}.shape[0], ${target.map((v) => pyNumber(v)).join(', ')})${toFirst}  # in channels-last order, as in Keras`);
    }
    case 'Rescaling': {
      const scale = numberParam(p, 'scale');
      const offset = numberParam(p, 'offset');
      const scaleText = Math.abs(scale * 255 - 1) < 1e-9 ? '(1.0 / 255)' : pyFloat(scale);
      return simple([], (x) => (offset === 0 ? `${x} * ${scaleText}` : `${x} * ${scaleText} + ${pyFloat(offset)}`));
    }
    case 'ReLU': {
      const max = p['maxValue'];
      const slope = numberParam(p, 'negativeSlope');
      const t = numberParam(p, 'threshold');
      const cap = (e: string): string => (typeof max === 'number' ? `torch.clamp(${e}, max=${pyFloat(max)})` : e);
      if (slope === 0 && t === 0) return simple([], (x) => (typeof max === 'number' ? `torch.clamp(${x}, min=0.0, max=${pyFloat(max)})` : `F.relu(${x})`));
      // Keras' ReLU: x from the threshold up, negative_slope * (x - threshold) below it.
      return simple([], (x) => cap(`torch.where(${x} >= ${pyFloat(t)}, ${x}, ${pyFloat(slope)} * (${x} - ${pyFloat(t)}))`));
    }
    case 'PReLU': {
      if (!inShape) throw new CodegenError(`Layer '${node.id}' has an unknown input size; fix the shapes in the designer first.`);
      if (stringParam(p, 'sharedAxes') === 'spatial') {
        const [, , c] = spatial(inShape, node.id);
        return simple([`${self} = nn.PReLU(${pyNumber(c)}, init=0.0)  # one slope per channel; Keras starts them at 0`], (x) => `${self}(${x})`);
      }
      // One slope per value (Keras' default); channels-first like the tensor.
      const dims = inShape.length === 3 ? [inShape[2]!, inShape[0]!, inShape[1]!] : [...inShape];
      return simple([`${self}_alpha = nn.Parameter(torch.zeros(${pyTuple(dims)}))  # PReLU: one slope per value`], (x) => `torch.where(${x} >= 0, ${x}, ${self}_alpha * ${x})`);
    }
    case 'ELU':
      return simple([], (x) => `F.elu(${x}, alpha=${pyFloat(numberParam(p, 'alpha'))})`);
    case 'Softmax': {
      const dim = torchConcatDim(numberParam(p, 'axis'), inShape?.length ?? 3);
      return simple([], (x) => `torch.softmax(${x}, dim=${dim})`);
    }
    case 'LayerNormalization': {
      if (!inShape) throw new CodegenError(`Layer '${node.id}' has an unknown input size; fix the shapes in the designer first.`);
      const channels = inShape[inShape.length - 1]!;
      const center = boolParam(p, 'center');
      const scale = boolParam(p, 'scale');
      const init = [`${self} = nn.LayerNorm(${pyNumber(channels)}, eps=${pyFloat(numberParam(p, 'epsilon'))}${!center && !scale ? ', elementwise_affine=False' : ''})  # over the channels, as Keras`];
      if (center !== scale) init.push(`${self}.${center ? 'weight' : 'bias'}.requires_grad_(False)  # Keras center=${center ? 'True' : 'False'}, scale=${scale ? 'True' : 'False'}`);
      if (inShape.length === 3) return simple(init, (x) => `${self}(${x}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)`);
      return simple(init, (x) => `${self}(${x})`);
    }
    case 'RandomFlip': {
      const mode = stringParam(p, 'mode');
      // One coin per image and direction, as Keras; dim 3 is the width, 2 the height (channels-first).
      const coin = (x: string): string => `torch.rand(${x}.shape[0], 1, 1, 1, device=${x}.device) < 0.5`;
      const flip = (x: string, dim: number): string => `torch.where(${coin(x)}, ${x}.flip(${dim}), ${x})`;
      const flipped = (x: string): string => (mode === 'horizontal' ? flip(x, 3) : mode === 'vertical' ? flip(x, 2) : flip(flip(x, 3), 2));
      return simple([], (x) => `(${flipped(x)} if self.training else ${x})  # augmentation in training only`);
    }
    case 'RandomContrast': {
      const f = numberParam(p, 'factor');
      const c = (x: string): string => `(1 + (torch.rand(${x}.shape[0], 1, 1, 1, device=${x}.device) * 2 - 1) * ${pyFloat(f)})`;
      const m = (x: string): string => `${x}.mean(dim=(2, 3), keepdim=True)`;
      return simple([], (x) => `((${x} - ${m(x)}) * ${c(x)} + ${m(x)} if self.training else ${x})  # augmentation in training only`);
    }
    case 'RandomRotation':
    case 'RandomZoom':
    case 'RandomTranslation':
      // A module (not an inline expression): it samples each image as TF does, in training only.
      helpers.add('KerasRandomTransform');
      return simple([`${self} = ${randomTransformModule(node)}`], (x) => `${self}(${x})`);
    case 'GaussianNoise': {
      const std = pyFloat(numberParam(p, 'stddev'));
      return simple([], (x) => `(${x} + torch.randn_like(${x}) * ${std} if self.training else ${x})  # noise in training only`);
    }
    case 'GaussianDropout': {
      const rate = numberParam(p, 'rate');
      const std = pyFloat(Math.sqrt(rate / (1 - rate)));
      return simple([], (x) => `(${x} * (1 + torch.randn_like(${x}) * ${std}) if self.training else ${x})  # mean-1 noise in training only`);
    }
    case 'Permute': {
      const dims = shapeParam(p, 'dims');
      const toLast = inShape && inShape.length === 3 ? '.permute(0, 2, 3, 1)' : '';
      const toFirst = outShape && outShape.length === 3 ? '.permute(0, 3, 1, 2)' : '';
      return simple([], (x) => `${x}${toLast}.permute(0, ${dims.map((d) => pyNumber(d)).join(', ')})${toFirst}  # Keras' axes, channels-last`);
    }
    case 'Resizing': {
      const [h, w] = spatial(inShape, node.id);
      const th = numberParam(p, 'height');
      const tw = numberParam(p, 'width');
      const mode = stringParam(p, 'interpolation') === 'nearest' ? '"nearest-exact"' : '"bilinear", align_corners=False';
      let crop = (x: string): string => x;
      if (boolParam(p, 'cropToAspectRatio')) {
        // Keras' smart_resize: the largest centred crop with the output's aspect ratio.
        const ch = Math.min(h, Math.floor((w * th) / tw));
        const cw = Math.min(w, Math.floor((h * tw) / th));
        const top = Math.floor((h - ch) / 2);
        const left = Math.floor((w - cw) / 2);
        crop = (x) => `${x}[:, :, ${top}:${top + ch}, ${left}:${left + cw}]`;
      }
      return simple([], (x) => `F.interpolate(${crop(x)}, size=${pyTuple([th, tw])}, mode=${mode})`);
    }
    case 'Multiply':
      return { init: [], forward: (ins, out) => [`${out} = ${ins.join(' * ')}`], helpers };
    case 'Average':
      return { init: [], forward: (ins, out) => [`${out} = (${ins.join(' + ')}) / ${ins.length}`], helpers };
    case 'Maximum':
      return { init: [], forward: (ins, out) => [`${out} = ${ins.slice(1).reduce((acc, x) => `torch.maximum(${acc}, ${x})`, ins[0]!)}`], helpers };
    case 'Subtract':
      return { init: [], forward: (ins, out) => [`${out} = ${ins[0]} - ${ins[1]}`], helpers };
    case 'Add':
      return { init: [], forward: (ins, out) => [`${out} = ${ins.join(' + ')}`], helpers };
    case 'Concatenate': {
      const dim = torchConcatDim(numberParam(p, 'axis'), inShape?.length ?? 3);
      return { init: [], forward: (ins, out) => [`${out} = torch.cat([${ins.join(', ')}], dim=${dim})`], helpers };
    }
    default:
      throw new CodegenError(`Layer '${node.id}' (${node.type}) has no PyTorch equivalent in the exporter yet.`);
  }
}
