/**
 * MaxPoolGrad for wasm, replacing wasm's own, which is WRONG: when a window's maximum is <= 0 it sends
 * the gradient to the window's first position, and on ties it picks the last maximum. After a relu
 * that is masked; any model pooling negative values (LeakyReLU, elu, BatchNorm before pooling, linear
 * convs) would train on silently wrong gradients.
 *
 * This follows the cpu backend's rule: the FIRST maximum in row-major window order (strict '>') gets
 * dy; padding never wins; a window of NaNs sends nothing. Loops run on the wasm heap in place.
 */
import type { MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { shape4, type WasmKit } from './wasmKernelKit';

export function maxPoolGrad(kit: WasmKit, dy: TensorInfo, input: TensorInfo, attrs: MaxPoolGradAttrs): TensorInfo {
  const info = kit.tf.backend_util.computePool2DInfo(
    shape4(input, 'MaxPoolGrad input'),
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const B = info.batchSize;
  const H = info.inHeight;
  const W = info.inWidth;
  const C = info.inChannels;
  const OH = info.outHeight;
  const OW = info.outWidth;
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const fh = info.effectiveFilterHeight;
  const fw = info.effectiveFilterWidth;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const dx = kit.output(input.shape.slice());
  const X = kit.f32(input);
  const DY = kit.f32(dy);
  const DX = kit.f32(dx);
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && pt === 0 && pl === 0 && 2 * OH <= H && 2 * OW <= W) {
    pool2x2Grad(X, DY, DX, B, H, W, C, OH, OW);
    return dx;
  }
  DX.fill(0);
  const best = new Float32Array(C);
  const pos = new Int32Array(C);
  let o = 0; // dy offset of (b, oh, ow, 0)
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const r0 = Math.max(0, oh * sh - pt);
      const r1 = Math.min(H, oh * sh - pt + fh);
      for (let ow = 0; ow < OW; ow++, o += C) {
        const c0 = Math.max(0, ow * sw - pl);
        const c1 = Math.min(W, ow * sw - pl + fw);
        best.fill(-Infinity);
        pos.fill(-1);
        for (let r = r0; r < r1; r++) {
          for (let c = c0; c < c1; c++) {
            const base = ((b * H + r) * W + c) * C;
            for (let d = 0; d < C; d++) {
              const v = X[base + d]!;
              if (v > best[d]!) {
                best[d] = v;
                pos[d] = base + d;
              }
            }
          }
        }
        for (let d = 0; d < C; d++) if (pos[d]! >= 0) DX[pos[d]!] += DY[o + d]!;
      }
    }
  }
  return dx;
}

/**
 * 2x2 windows, stride 2, no padding (the common MaxPooling2D): each input element is in at most one
 * window, so dx is written exactly once with no zero-fill or scatter pass.
 */
function pool2x2Grad(X: Float32Array, DY: Float32Array, DX: Float32Array, B: number, H: number, W: number, C: number, OH: number, OW: number): void {
  const rowC = W * C;
  if (2 * OH !== H || 2 * OW !== W) DX.fill(0); // odd sizes: the last row/column gets no gradient
  let o = 0;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      let i00 = (b * H + 2 * oh) * rowC;
      for (let ow = 0; ow < OW; ow++, i00 += 2 * C, o += C) {
        const i01 = i00 + C;
        const i10 = i00 + rowC;
        const i11 = i10 + C;
        for (let d = 0; d < C; d++) {
          const v0 = X[i00 + d]!;
          const v1 = X[i01 + d]!;
          const v2 = X[i10 + d]!;
          const v3 = X[i11 + d]!;
          const g = DY[o + d]!;
          let m = -Infinity;
          let p = -1;
          if (v0 > m) {
            m = v0;
            p = 0;
          }
          if (v1 > m) {
            m = v1;
            p = 1;
          }
          if (v2 > m) {
            m = v2;
            p = 2;
          }
          if (v3 > m) p = 3;
          DX[i00 + d] = p === 0 ? g : 0;
          DX[i01 + d] = p === 1 ? g : 0;
          DX[i10 + d] = p === 2 ? g : 0;
          DX[i11 + d] = p === 3 ? g : 0;
        }
      }
    }
  }
}
