/**
 * Conv2DBackpropInput for wasm, replacing wasm's own (a plain C++ loop, several times slower than
 * XNNPACK). Also the forward pass of Conv2DTranspose.
 *
 *   dx = 'full' convolution of dy (with sh-1 / sw-1 zeros inserted between rows / columns when strided)
 *        with the filter flipped in space and with its in/out channels swapped,
 * run as ONE XNNPACK Conv2D with explicit padding chosen so the output is exactly [B, H, W, Ci].
 */
import type { Conv2DBackpropInputAttrs, TensorInfo } from '@tensorflow/tfjs';
import { pair, shape4, type WasmKit } from './wasmKernelKit';

export type InputGradMethod = 'fullconv' | 'col2im';
let forcedMethod: InputGradMethod | undefined;

/** For benchmarks and tests: force one method (undefined = choose per layer). */
export function setInputGradMethod(method: InputGradMethod | undefined): void {
  forcedMethod = method;
}

/**
 * The full convolution multiplies the whole padded input area (H*W outputs x taps), col2im only the
 * taps that exist (OH*OW x taps) but adds them back in JS, which is slow for few channels. Measured
 * (CPU ms, batch 64): CIFAR third layer (6x6 -> 4x4, Ci 64) 7.7 vs 4.5; second (15x15 -> 13x13, Ci 32)
 * 19 vs 25; MNIST-small second (12x12 -> 8x8, Ci 8) 2.4 vs 5.1.
 */
export function chooseInputGradMethod(inputShape: readonly number[], dyShape: readonly number[]): InputGradMethod {
  const wasted = (inputShape[1]! * inputShape[2]!) / (dyShape[1]! * dyShape[2]!);
  return wasted >= 2 && inputShape[3]! >= 32 ? 'col2im' : 'fullconv';
}

export function conv2dBackpropInput(kit: WasmKit, dy: TensorInfo, filter: TensorInfo, attrs: Conv2DBackpropInputAttrs): TensorInfo {
  const method = forcedMethod ?? chooseInputGradMethod(attrs.inputShape, dy.shape);
  return method === 'col2im' ? inputGradCol2im(kit, dy, filter, attrs) : inputGradFullConv(kit, dy, filter, attrs);
}

/**
 * dpatches[p, (kh, kw, ci)] = sum over co of dy[p, co] * w[kh, kw, ci, co] as ONE matmul, then each
 * patch value is added back to the input pixel it came from (col2im). No work is spent on the zero
 * borders and zero-stretched rows that the full convolution multiplies.
 */
function inputGradCol2im(kit: WasmKit, dy: TensorInfo, filter: TensorInfo, attrs: Conv2DBackpropInputAttrs): TensorInfo {
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropInput on wasm supports NHWC only');
  const fs = shape4(filter, 'Conv2DBackpropInput filter');
  const info = kit.tf.backend_util.computeConv2DInfo(attrs.inputShape, fs, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const [KH, KW, Ci, Co] = fs;
  const [B, H, W] = attrs.inputShape;
  const [, OH, OW] = shape4(dy, 'Conv2DBackpropInput dy');
  const [sh, sw] = pair(attrs.strides);
  const { top: pt, left: pl } = info.padInfo;
  const Kd = KH * KW * Ci;
  const P = B * OH * OW;
  const w2 = kit.reshape(filter, [1, Kd, Co]);
  const wT = kit.run('Transpose', { x: w2 }, { perm: [0, 2, 1] }); // [1, Co, Kd]
  const dy3 = kit.reshape(dy, [1, P, Co]);
  const dp = kit.run('BatchMatMul', { a: dy3, b: wT }, { transposeA: false, transposeB: false }); // [1, P, Kd]
  kit.free(w2, wT, dy3);
  const dx = kit.output(attrs.inputShape.slice());
  const DX = kit.f32(dx);
  const DP = kit.f32(dp);
  DX.fill(0);
  let row = 0;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, row += Kd) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh + kh - pt;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw + kw - pl;
            if (iw < 0 || iw >= W) continue;
            const d = ((b * H + ih) * W + iw) * Ci;
            const s = row + (kh * KW + kw) * Ci;
            for (let c = 0; c < Ci; c++) DX[d + c] += DP[s + c]!;
          }
        }
      }
    }
  }
  kit.free(dp);
  return dx;
}

function inputGradFullConv(kit: WasmKit, dy: TensorInfo, filter: TensorInfo, attrs: Conv2DBackpropInputAttrs): TensorInfo {
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropInput on wasm supports NHWC only');
  const fs = shape4(filter, 'Conv2DBackpropInput filter');
  const info = kit.tf.backend_util.computeConv2DInfo(attrs.inputShape, fs, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const [KH, KW] = fs;
  const [B, H, W] = attrs.inputShape;
  const [, OH, OW, Co] = shape4(dy, 'Conv2DBackpropInput dy');
  const [sh, sw] = pair(attrs.strides);
  const { top: pt, left: pl } = info.padInfo;

  let d = dy;
  if (sh > 1 || sw > 1) {
    // Zero-stretch dy: [B,OH,1,OW,1,Co] padded to [B,OH,sh,OW,sw,Co], then cut the trailing zeros.
    const r6 = kit.reshape(dy, [B, OH, 1, OW, 1, Co]);
    const p6 = kit.run('PadV2', { x: r6 }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
    const r4 = kit.reshape(p6, [B, OH * sh, OW * sw, Co]);
    d = kit.run('Slice', { x: r4 }, { begin: [0, 0, 0, 0], size: [B, (OH - 1) * sh + 1, (OW - 1) * sw + 1, Co] });
    kit.free(r6, p6, r4);
  }
  const DH = d.shape[1]!;
  const DW = d.shape[2]!;
  const flipped = kit.run('Reverse', { x: filter }, { dims: [0, 1] });
  const swapped = kit.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }); // [KH, KW, Co, Ci]
  kit.free(flipped);
  // Rows/cols of padding so that output row i sees dy rows i + pt - (KH-1) .. i + pt; the bottom/right
  // amounts make the output exactly H x W (negative would mean cropping, which 'valid'/'same' never need).
  const padBottom = H - DH + pt;
  const padRight = W - DW + pl;
  if (padBottom < 0 || padRight < 0 || KH - 1 - pt < 0 || KW - 1 - pl < 0) {
    kit.free(swapped);
    if (d !== dy) kit.free(d);
    throw new Error(`Conv2DBackpropInput on wasm: unsupported geometry (input ${H}x${W}, dy ${OH}x${OW}, stride ${sh}x${sw})`);
  }
  const out = kit.run(
    'Conv2D',
    { x: d, filter: swapped },
    {
      strides: [1, 1],
      dilations: [1, 1],
      dataFormat: 'NHWC',
      pad: [[0, 0], [KH - 1 - pt, padBottom], [KW - 1 - pl, padRight], [0, 0]],
    },
  );
  kit.free(swapped);
  if (d !== dy) kit.free(d);
  return out;
}
