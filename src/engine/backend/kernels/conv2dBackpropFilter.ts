/**
 * Conv2DBackpropFilter for wasm (tfjs-backend-wasm 4.22 has none, so conv nets cannot train on it).
 *
 *   dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, oh*sh + kh - pt, ow*sw + kw - pl, ci] * dy[b, oh, ow, co]
 *
 * Two ways, chosen per layer because their speed depends on the input channels:
 * - 'im2col': gather the input patches into a [P, KH*KW*Ci] matrix in JS (P = B*OH*OW), then ONE
 *   XNNPACK matmul with dy. Best when Ci is small (first layers): the matmul is long and thin, which
 *   XNNPACK runs fast, and the patch matrix stays small.
 * - 'tconv': one ordinary XNNPACK Conv2D of the transposed input [Ci, H, W, B] with the transposed dy
 *   [OH, OW, B, Co] as the filter (the batch becomes the reduced channel axis and the stride becomes a
 *   dilation). No big temporaries, better for many channels.
 */
import type { Conv2DBackpropFilterAttrs, TensorInfo } from '@tensorflow/tfjs';
import { pair, shape4, type WasmKit } from './wasmKernelKit';

export type FilterGradMethod = 'im2col' | 'tconv';

export interface FilterGradGeometry {
  B: number;
  H: number;
  W: number;
  Ci: number;
  OH: number;
  OW: number;
  Co: number;
  KH: number;
  KW: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
}

/** Patch matrices above this many floats (64 MB) are not built; 'tconv' needs no such temporary. */
const IM2COL_MAX_FLOATS = 16 * 1024 * 1024;

/** The method for one layer's filter gradient (measured on 2-core x86, see bench/). */
export function chooseFilterGradMethod(g: FilterGradGeometry): FilterGradMethod {
  const P = g.B * g.OH * g.OW;
  const Kd = g.KH * g.KW * g.Ci;
  if (P * Kd > IM2COL_MAX_FLOATS) return 'tconv';
  return g.Ci <= im2colMaxChannels ? 'im2col' : 'tconv';
}

let im2colMaxChannels = 16;
let forcedMethod: FilterGradMethod | undefined;

/** For benchmarks and tests: force one method (undefined = choose per layer), or move the threshold. */
export function setFilterGradMethod(method: FilterGradMethod | undefined, maxChannelsForIm2col?: number): void {
  forcedMethod = method;
  if (maxChannelsForIm2col !== undefined) im2colMaxChannels = maxChannelsForIm2col;
}

export function geometryOf(kit: WasmKit, x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs): FilterGradGeometry {
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const xs = shape4(x, 'Conv2DBackpropFilter x');
  const info = kit.tf.backend_util.computeConv2DInfo(xs, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const [KH, KW, Ci, Co] = attrs.filterShape;
  const [sh, sw] = pair(attrs.strides);
  return {
    B: xs[0],
    H: xs[1],
    W: xs[2],
    Ci,
    OH: dy.shape[1]!,
    OW: dy.shape[2]!,
    Co,
    KH,
    KW,
    sh,
    sw,
    pt: info.padInfo.top,
    pl: info.padInfo.left,
  };
}

export function conv2dBackpropFilter(kit: WasmKit, x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs): TensorInfo {
  const g = geometryOf(kit, x, dy, attrs);
  const method = forcedMethod ?? chooseFilterGradMethod(g);
  return method === 'im2col' ? filterGradIm2col(kit, x, dy, g) : filterGradTconv(kit, x, dy, g);
}

function filterGradTconv(kit: WasmKit, x: TensorInfo, dy: TensorInfo, g: FilterGradGeometry): TensorInfo {
  const { H, W, OH, OW, KH, KW, sh, sw, pt, pl } = g;
  // Bottom/right padding so that every tap position (kh + oh*sh - pt) the gradient needs exists.
  const pb = Math.max(0, KH - 1 + (OH - 1) * sh - pt - (H - 1));
  const pr = Math.max(0, KW - 1 + (OW - 1) * sw - pl - (W - 1));
  const xT = kit.run('Transpose', { x }, { perm: [3, 1, 2, 0] }); // [Ci, H, W, B]
  const dyT = kit.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [OH, OW, B, Co]
  const conv = kit.run(
    'Conv2D',
    { x: xT, filter: dyT },
    { strides: [1, 1], pad: [[0, 0], [pt, pb], [pl, pr], [0, 0]], dataFormat: 'NHWC', dilations: [sh, sw] },
  ); // [Ci, >=KH, >=KW, Co]
  kit.free(xT, dyT);
  let cut = conv;
  if (conv.shape[1] !== KH || conv.shape[2] !== KW) {
    cut = kit.run('Slice', { x: conv }, { begin: [0, 0, 0, 0], size: [-1, KH, KW, -1] });
    kit.free(conv);
  }
  const out = kit.run('Transpose', { x: cut }, { perm: [1, 2, 0, 3] }); // [KH, KW, Ci, Co]
  kit.free(cut);
  return out;
}

function filterGradIm2col(kit: WasmKit, x: TensorInfo, dy: TensorInfo, g: FilterGradGeometry): TensorInfo {
  const { B, Co, KH, KW, Ci, OH, OW } = g;
  const P = B * OH * OW;
  const Kd = KH * KW * Ci;
  const patches = kit.output([1, P, Kd]);
  writePatches(kit.f32(x), kit.f32(patches), g);
  const dy3 = kit.reshape(dy, [1, P, Co]);
  const m = kit.run('BatchMatMul', { a: patches, b: dy3 }, { transposeA: true, transposeB: false }); // [1, Kd, Co]
  kit.free(patches, dy3);
  const out = kit.reshape(m, [KH, KW, Ci, Co]);
  kit.free(m);
  return out;
}

/** Row p = (b, oh, ow) of the patch matrix holds x's window at that output position, (kh, kw, ci) order. */
export function writePatches(X: Float32Array, OUT: Float32Array, g: FilterGradGeometry): void {
  const { B, H, W, Ci, OH, OW, KH, KW, sh, sw, pt, pl } = g;
  const rowLen = KW * Ci;
  let o = 0;
  for (let b = 0; b < B; b++) {
    const xb = b * H * W * Ci;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - pt;
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - pl;
        const fullRow = iw0 >= 0 && iw0 + KW <= W;
        for (let kh = 0; kh < KH; kh++) {
          const ih = ih0 + kh;
          if (ih < 0 || ih >= H) {
            OUT.fill(0, o, o + rowLen);
            o += rowLen;
            continue;
          }
          const src = xb + (ih * W + iw0) * Ci;
          if (fullRow) {
            // The KW*Ci values of this kernel row are contiguous in x.
            for (let i = 0; i < rowLen; i++) OUT[o + i] = X[src + i]!;
            o += rowLen;
          } else {
            for (let kw = 0; kw < KW; kw++) {
              const iw = iw0 + kw;
              if (iw < 0 || iw >= W) OUT.fill(0, o, o + Ci);
              else for (let c = 0; c < Ci; c++) OUT[o + c] = X[src + kw * Ci + c]!;
              o += Ci;
            }
          }
        }
      }
    }
  }
}
