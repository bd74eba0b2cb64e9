/**
 * Conv2DBackpropFilter for wasm (tfjs-backend-wasm 4.22 has none, so conv nets cannot train on it).
 *
 *   dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, oh*sh + kh - pt, ow*sw + kw - pl, ci] * dy[b, oh, ow, co]
 *
 * Two ways, chosen per layer because their speed depends on the input channels:
 * - 'im2col': gather the input patches into a [KH*KW*Ci, P] matrix (P = B*OH*OW) with memmoves on
 *   the heap, then ONE XNNPACK matmul with dy. Best for early layers (few channels, long rows).
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

/**
 * The method for one layer's filter gradient. The patch matrix is written one output row at a time
 * (a memmove of OW floats), so im2col pays off when output rows are long; 'tconv' is XNNPACK's conv
 * with the batch as the reduced channel axis, which is fast when there are many input channels.
 * Measured (CPU ms per call, 2-core EPYC, batch 64): first CIFAR layer (Ci 3, OW 30) 7 vs 16,
 * second (Ci 32, OW 13) 20 vs 24, third (Ci 64, OW 4) 6.9 vs 4.6; MNIST-small (Ci 1, OW 24) 1.6 vs 2.9,
 * (Ci 8, OW 8) 3.3 vs 1.5.
 */
export function chooseFilterGradMethod(g: FilterGradGeometry): FilterGradMethod {
  if (g.B * g.OH * g.OW * g.KH * g.KW * g.Ci > IM2COL_MAX_FLOATS) return 'tconv';
  return g.OW >= im2colMinRowLength ? 'im2col' : 'tconv';
}

let im2colMinRowLength = 12;
let forcedMethod: FilterGradMethod | undefined;

/** For benchmarks and tests: force one method (undefined = choose per layer), or move the threshold. */
export function setFilterGradMethod(method: FilterGradMethod | undefined, minRowLengthForIm2col?: number): void {
  forcedMethod = method;
  if (minRowLengthForIm2col !== undefined) im2colMinRowLength = minRowLengthForIm2col;
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
  // Channel-major input, so that every patch row is a run of one input row (a memmove when stride 1).
  const xc = Ci === 1 ? x : kit.run('Transpose', { x }, { perm: [3, 0, 1, 2] }); // [Ci, B, H, W]
  // Patches stored TRANSPOSED ([Kd, P]) so the matmul needs no transpose flag: wasm's BatchMatMul is
  // ~10x slower with transposeA/transposeB than without.
  const patchesT = kit.output([1, Kd, P]);
  writePatchesTransposed(kit.heapF32(), kit.offsetF32(xc), kit.offsetF32(patchesT), g);
  if (xc !== x) kit.free(xc);
  const dy3 = kit.reshape(dy, [1, P, Co]);
  const m = kit.run('BatchMatMul', { a: patchesT, b: dy3 }, { transposeA: false, transposeB: false }); // [1, Kd, Co]
  kit.free(patchesT, dy3);
  const out = kit.reshape(m, [KH, KW, Ci, Co]);
  kit.free(m);
  return out;
}

/**
 * Writes the transposed patch matrix into `heap` at `outAt`, reading the CHANNEL-MAJOR input
 * [Ci, B, H, W] at `xAt`: row (kh, kw, ci) holds, for every output position p = (b, oh, ow), the value
 * that tap multiplies, x[ci, b, oh*sh + kh - pt, ow*sw + kw - pl], and 0 in the padding.
 */
export function writePatchesTransposed(heap: Float32Array, xAt: number, outAt: number, g: FilterGradGeometry): void {
  const { B, H, W, Ci, OH, OW, KH, KW, sh, sw, pt, pl } = g;
  let o = outAt;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      // Output columns whose tap lands inside the image: ow in [owLo, owHi).
      const owLo = Math.min(OW, Math.max(0, Math.ceil((pl - kw) / sw)));
      const owHi = Math.max(owLo, Math.min(OW, Math.floor((W - 1 + pl - kw) / sw) + 1));
      const n = owHi - owLo;
      for (let ci = 0; ci < Ci; ci++) {
        for (let b = 0; b < B; b++) {
          const plane = xAt + (ci * B + b) * H * W;
          for (let oh = 0; oh < OH; oh++, o += OW) {
            const ih = oh * sh + kh - pt;
            if (ih < 0 || ih >= H) {
              heap.fill(0, o, o + OW);
              continue;
            }
            if (owLo > 0) heap.fill(0, o, o + owLo);
            const src = plane + ih * W + owLo * sw + kw - pl;
            if (sw === 1) heap.copyWithin(o + owLo, src, src + n);
            else for (let i = 0; i < n; i++) heap[o + owLo + i] = heap[src + i * sw]!;
            if (owHi < OW) heap.fill(0, o + owHi, o + OW);
          }
        }
      }
    }
  }
}
