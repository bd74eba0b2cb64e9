/**
 * The ONNX graph's layout rule and the conversions it needs. Our models are NHWC (tfjs); inside the
 * graph every image tensor ([batch, h, w, c] in Keras terms) is held NCHW, so Conv, MaxPool,
 * BatchNormalization… are the standard operators, and every other tensor keeps its Keras layout. A
 * layer that names an axis or an order of axes (Concatenate, Softmax, Permute) is given in Keras' NHWC
 * terms: these functions translate it to the graph's layout.
 */
import type { OnnxGraph } from './onnxGraph';

/** A shape without the batch of rank 3 is an image, held NCHW in the graph. */
export const isImage = (shape: readonly number[]): boolean => shape.length === 3;

/** Transpose perms: NHWC_TO_NCHW[i] is the NHWC axis that becomes NCHW axis i (and the reverse). */
const NHWC_TO_NCHW = [0, 3, 1, 2] as const;
const NCHW_TO_NHWC = [0, 2, 3, 1] as const;

export function toNchw(g: OnnxGraph, x: string, base: string, output?: string): string {
  return g.op('Transpose', [x], `${base}/nchw`, { perm: { ints: NHWC_TO_NCHW } }, output);
}

export function toNhwc(g: OnnxGraph, x: string, base: string, output?: string): string {
  return g.op('Transpose', [x], `${base}/nhwc`, { perm: { ints: NCHW_TO_NHWC } }, output);
}

/** The tensor in Keras order: an image goes back to NHWC, anything else already is. */
export function kerasOrder(g: OnnxGraph, x: string, shape: readonly number[], base: string): string {
  return isImage(shape) ? toNhwc(g, x, base) : x;
}

/** From Keras order to the graph's: an image becomes NCHW. */
export function graphOrder(g: OnnxGraph, x: string, shape: readonly number[], base: string): string {
  return isImage(shape) ? toNchw(g, x, base) : x;
}

/** The channel (Keras' last) axis of a tensor in the graph's layout. */
export const channelAxis = (shape: readonly number[]): number => (isImage(shape) ? 1 : -1);

/**
 * A Keras axis (counted with the batch as 0, negative from the end) of a tensor of `shape` (without
 * the batch), as the graph's axis: for an image, Keras' height 1, width 2, channels 3 are NCHW's 2, 3, 1.
 */
export function graphAxis(kerasAxis: number, shape: readonly number[]): number {
  const rank = shape.length + 1;
  const axis = kerasAxis < 0 ? kerasAxis + rank : kerasAxis;
  return isImage(shape) ? NCHW_TO_NHWC[axis]! : axis;
}

/**
 * The graph's Transpose perm for Keras' Permute `dims` (1-based, the batch not listed) on a tensor of
 * `shape`. For an image (Permute keeps the rank, so the output is an image too) it is one perm from
 * NCHW to NCHW: back to NHWC, Keras' perm, to NCHW again, composed (transposing by p then q is
 * transposing by i ↦ p[q[i]]).
 */
export function graphPermutation(dims: readonly number[], shape: readonly number[]): number[] {
  const keras = [0, ...dims];
  if (!isImage(shape)) return keras;
  return NHWC_TO_NCHW.map((axis) => NCHW_TO_NHWC[keras[axis]!]!);
}
