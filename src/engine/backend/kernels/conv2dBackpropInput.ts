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

export function conv2dBackpropInput(kit: WasmKit, dy: TensorInfo, filter: TensorInfo, attrs: Conv2DBackpropInputAttrs): TensorInfo {
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
