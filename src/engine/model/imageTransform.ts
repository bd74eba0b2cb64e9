/**
 * TF's ImageProjectiveTransformV3 for affine transforms (the kernel behind Keras' RandomRotation,
 * RandomZoom and RandomTranslation), in plain tfjs ops: the output pixel (x, y) of image b samples the
 * input at (a0·x + a1·y + a2, b0·x + b1·y + b2) from its row of `transforms`, after mapping the
 * coordinate by the fill mode; nearest rounds half away from zero (std::round), bilinear reads the four
 * neighbours, and a neighbour outside the image reads the fill value (tensorflow/core/kernels/image/image_ops.h).
 *
 * Why not tfjs' own `tf.image.transform`: in tfjs 4.22 the cpu kernel returns after the first image of a
 * batch (the rest stay the fill value), the wasm kernel reflects negative coordinates wrongly (−0.4 reads
 * the last pixel instead of the first) and the cpu kernel rounds −0.5 towards zero; the engine trains on
 * both backends and must do what Keras does on each. These ops run on every backend alike.
 */
import type * as tfjs from '@tensorflow/tfjs';

type Tf = typeof tfjs;
type Tensor = tfjs.Tensor;

export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export type TransformInterpolation = 'bilinear' | 'nearest';

/** TF's map_coord: a coordinate along an axis of `len` pixels, mapped into the image by the fill mode. */
function mapCoord(tf: Tf, c: Tensor, len: number, mode: FillMode): Tensor {
  if (mode === 'constant') return c;
  if (mode === 'nearest' || len <= 1) return c.clipByValue(0, len - 1);
  let below: Tensor;
  let above: Tensor;
  if (mode === 'reflect') {
    // [abcd] → [dcba|abcd|dcba] (edge pixels repeated), period 2·len.
    const sz2 = 2 * len;
    const t = c.neg().div(sz2).floor().mul(sz2).add(c);
    below = tf.where(t.less(-len), t.add(sz2), t.neg().sub(1));
    const u = c.sub(c.div(sz2).floor().mul(sz2));
    above = tf.where(u.greaterEqual(len), u.neg().add(sz2 - 1), u);
  } else {
    // wrap: [abcd] → [abcd|abcd|abcd], as TF computes it (steps of len over a span of len − 1).
    const sz = len - 1;
    below = c.add(c.neg().div(sz).floor().add(1).mul(len));
    above = c.sub(c.div(sz).floor().mul(len));
  }
  return tf.where(c.less(0), below, tf.where(c.greater(len - 1), above, c)).clipByValue(0, len - 1);
}

/** std::round: half away from zero (tf.round rounds half to even). */
const roundHalfAway = (v: Tensor): Tensor => v.abs().add(0.5).floor().mul(v.sign());

/** `images` [n, h, w, c] transformed by one affine row `[a0, a1, a2, b0, b1, b2, 0, 0]` per image ([n, 8]). */
export function affineTransform(tf: Tf, images: tfjs.Tensor4D, transforms: tfjs.Tensor2D, interpolation: TransformInterpolation, fillMode: FillMode, fillValue: number): tfjs.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = images.shape;
    const entry = (k: number): Tensor => transforms.slice([0, k], [n, 1]).reshape([n, 1, 1]);
    const xs = tf.range(0, w).reshape([1, 1, w]);
    const ys = tf.range(0, h).reshape([1, h, 1]);
    const x = mapCoord(tf, entry(0).mul(xs).add(entry(1).mul(ys)).add(entry(2)), w, fillMode);
    const y = mapCoord(tf, entry(3).mul(xs).add(entry(4).mul(ys)).add(entry(5)), h, fillMode);
    const pixels = n * h * w;
    // The image rows, then one row of the fill value that every tap outside the image reads.
    const flat = tf.concat([images.reshape([pixels, c]), tf.fill([1, c], fillValue)], 0);
    // Integer index arithmetic (a plain number would make it float32, exact only below 2^24 pixels per batch).
    const int = (v: number): Tensor => tf.scalar(v, 'int32');
    const imageStart = tf.range(0, n, 1, 'int32').mul(int(h * w)).reshape([n, 1, 1]).tile([1, h, w]);
    /** The row of `flat` for integer-valued (row, col) [n, h, w]: the pixel, or the fill row outside the image. */
    const index = (row: Tensor, col: Tensor): Tensor => {
      const inside = row.greaterEqual(0).logicalAnd(row.less(h)).logicalAnd(col.greaterEqual(0)).logicalAnd(col.less(w));
      const at = imageStart.add(row.clipByValue(0, h - 1).toInt().mul(int(w))).add(col.clipByValue(0, w - 1).toInt());
      return tf.where(inside, at, tf.fill([n, h, w], pixels, 'int32')).reshape([-1, 1]);
    };
    // gatherND, not gather: the wasm backend's GatherV2 is 20× slower here.
    if (interpolation === 'nearest') return tf.gatherND(flat, index(roundHalfAway(y), roundHalfAway(x))).reshape([n, h, w, c]) as tfjs.Tensor4D;
    // Bilinear: the four neighbours in one gather ([pixels, 4, c]), weighted and summed as one small matMul
    // per pixel ([1, 4] × [4, c]), which the wasm backend runs 10× faster than a multiply and a sum.
    const x0 = x.floor();
    const y0 = y.floor();
    const x1 = x0.add(1);
    const y1 = y0.add(1);
    const [left, right, up, down] = [x1.sub(x), x.sub(x0), y1.sub(y), y.sub(y0)];
    // Joined along the first axis and transposed: the wasm backend's Concat along a later axis is slow.
    const taps = tf.concat([index(y0, x0), index(y0, x1), index(y1, x0), index(y1, x1)], 0).reshape([4, pixels]).transpose().reshape([pixels, 4, 1]);
    const weights = tf.concat([left.mul(up), right.mul(up), left.mul(down), right.mul(down)].map((t) => t.reshape([1, pixels])), 0).transpose().reshape([pixels, 1, 4]);
    return tf.matMul(weights as tfjs.Tensor3D, tf.gatherND(flat, taps) as tfjs.Tensor3D).reshape([n, h, w, c]) as tfjs.Tensor4D;
  });
}
