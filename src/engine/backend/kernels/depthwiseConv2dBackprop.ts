/**
 * DepthwiseConv2dNativeBackpropFilter / ...BackpropInput for wasm (missing in tfjs-backend-wasm 4.22;
 * DepthwiseConv2D and SeparableConv2D cannot train without them).
 *
 * Depthwise convolutions do little arithmetic (KH*KW*Ci*M per output pixel), so plain loops over the
 * wasm heap are fast enough and follow the cpu backend's definition exactly, dilation included:
 *   y[b, oh, ow, c*M + m] = sum over kh, kw of x[b, oh*sh + kh*dh - pt, ow*sw + kw*dw - pl, c] * w[kh, kw, c, m]
 */
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
  TensorInfo,
} from '@tensorflow/tfjs';
import type { Tf } from '../tfNamespace';
import { shape4, type WasmKit } from './wasmKernelKit';

type Conv2DInfo = ReturnType<Tf['backend_util']['computeConv2DInfo']>;

interface Geometry {
  B: number;
  H: number;
  W: number;
  C: number;
  M: number;
  OH: number;
  OW: number;
  KH: number;
  KW: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  pt: number;
  pl: number;
}

function geometry(info: Conv2DInfo, M: number): Geometry {
  return {
    B: info.batchSize,
    H: info.inHeight,
    W: info.inWidth,
    C: info.inChannels,
    M,
    OH: info.outHeight,
    OW: info.outWidth,
    KH: info.filterHeight,
    KW: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    pt: info.padInfo.top,
    pl: info.padInfo.left,
  };
}

/**
 * Calls `tap(xBase, dyBase, wBase)` for every (output pixel, kernel tap) pair whose input pixel lies
 * inside the image: the offsets of x[b, ih, iw, 0], dy[b, oh, ow, 0] and w[kh, kw, 0, 0].
 */
function forEachTap(g: Geometry, tap: (xBase: number, dyBase: number, wBase: number) => void): void {
  const { B, H, W, C, M, OH, OW, KH, KW, sh, sw, dh, dw, pt, pl } = g;
  const CM = C * M;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const dyBase = ((b * OH + oh) * OW + ow) * CM;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh + kh * dh - pt;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw + kw * dw - pl;
            if (iw < 0 || iw >= W) continue;
            tap(((b * H + ih) * W + iw) * C, dyBase, (kh * KW + kw) * CM);
          }
        }
      }
    }
  }
}

export function depthwiseBackpropFilter(
  kit: WasmKit,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs,
): TensorInfo {
  const info = kit.tf.backend_util.computeConv2DInfo(
    shape4(x, 'DepthwiseConv2dNativeBackpropFilter x'),
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const g = geometry(info, attrs.filterShape[3]);
  const { C, M, KH, KW } = g;
  const acc = new Float64Array(KH * KW * C * M); // float64: sums run over B*OH*OW terms
  const out = kit.output(attrs.filterShape.slice());
  const X = kit.f32(x);
  const DY = kit.f32(dy);
  if (M === 1) {
    forEachTap(g, (xBase, dyBase, wBase) => {
      for (let c = 0; c < C; c++) acc[wBase + c] += X[xBase + c]! * DY[dyBase + c]!;
    });
  } else {
    forEachTap(g, (xBase, dyBase, wBase) => {
      for (let c = 0; c < C; c++) {
        const xv = X[xBase + c]!;
        const o = c * M;
        for (let m = 0; m < M; m++) acc[wBase + o + m] += xv * DY[dyBase + o + m]!;
      }
    });
  }
  kit.f32(out).set(acc);
  return out;
}

export function depthwiseBackpropInput(
  kit: WasmKit,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: DepthwiseConv2dNativeBackpropInputAttrs,
): TensorInfo {
  const fs = shape4(filter, 'DepthwiseConv2dNativeBackpropInput filter');
  const info = kit.tf.backend_util.computeConv2DInfo(attrs.inputShape, fs, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  const g = geometry(info, fs[3]);
  const { C, M } = g;
  const out = kit.output(attrs.inputShape.slice());
  const DX = kit.f32(out);
  const DY = kit.f32(dy);
  const F = kit.f32(filter);
  DX.fill(0);
  if (M === 1) {
    forEachTap(g, (xBase, dyBase, wBase) => {
      for (let c = 0; c < C; c++) DX[xBase + c] += F[wBase + c]! * DY[dyBase + c]!;
    });
  } else {
    forEachTap(g, (xBase, dyBase, wBase) => {
      for (let c = 0; c < C; c++) {
        const o = c * M;
        let s = 0;
        for (let m = 0; m < M; m++) s += F[wBase + o + m]! * DY[dyBase + o + m]!;
        DX[xBase + c] += s;
      }
    });
  }
  return out;
}
