/**
 * Conv2D gradient for dilation rates > 1. tfjs 4.22 refuses them on every backend ("dilation rates
 * greater than 1 are not yet supported in gradients"), so a Conv2D with `dilationRate` (in our
 * catalogue) could not train. A dilated convolution is an ordinary one with the zero-stretched filter
 * (taps d apart, zeros between), so:
 *   dx = Conv2DBackpropInput(dy, stretched filter)
 *   dW = every d-th tap of Conv2DBackpropFilter(x, dy) computed for the stretched filter's size.
 * ('same' padding is computed from the effective filter size either way, so it is identical.)
 * Dilation 1 goes to tfjs' own gradient unchanged. Registered for the whole namespace (all backends).
 * `tf.fused.conv2d` with dilation > 1 refuses gradients too; `unfusedDilatedConv` is what our patched
 * fused.conv2d (fusedConvTraining.ts) runs instead while training, so this gradient is reached.
 */
import type { Conv2DAttrs, GradConfig, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../tfNamespace';

const done = new WeakSet<object>();

export function registerDilatedConvGradient(tf: Tf): void {
  if (done.has(tf)) return;
  done.add(tf);
  const original = tf.getGradient('Conv2D') as GradConfig | undefined;
  if (!original) return;
  const engine = tf.engine();
  tf.registerGradient({
    kernelName: 'Conv2D',
    inputsToSave: original.inputsToSave ?? ['x', 'filter'],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const a = attrs as unknown as Conv2DAttrs;
      const [dh, dw] = typeof a.dilations === 'number' ? [a.dilations, a.dilations] : (a.dilations ?? [1, 1]);
      if (dh === 1 && dw === 1) return original.gradFunc(dy, saved, attrs);
      const [x, w] = saved as [Tensor4D, Tensor4D];
      const [KH, KW, Ci, Co] = w.shape;
      const eh = (KH - 1) * dh + 1;
      const ew = (KW - 1) * dw + 1;
      const common: NamedAttrMap = { strides: a.strides, pad: a.pad, dataFormat: a.dataFormat };
      if (a.dimRoundingMode !== undefined) common['dimRoundingMode'] = a.dimRoundingMode;
      return {
        x: () => engine.runKernel('Conv2DBackpropInput', { dy: dy as Tensor4D, filter: stretch(tf, w, dh, dw) }, { ...common, inputShape: x.shape }) as Tensor,
        filter: () => {
          const full = engine.runKernel('Conv2DBackpropFilter', { x, dy: dy as Tensor4D }, { ...common, filterShape: [eh, ew, Ci, Co] }) as Tensor4D;
          return tf.stridedSlice(full, [0, 0, 0, 0], [eh, ew, Ci, Co], [dh, dw, 1, 1]);
        },
      };
    },
  });
}

/**
 * [KH, KW, Ci, Co] -> [(KH-1)*dh+1, (KW-1)*dw+1, Ci, Co] with the taps d apart and zeros between.
 * Built from rank-3 pads (rows, then columns): tfjs-backend-webgpu's Pad cannot compile rank 6.
 */
export function stretch(tf: Tf, w: Tensor4D, dh: number, dw: number): Tensor4D {
  const [KH, KW, Ci, Co] = w.shape;
  const eh = (KH - 1) * dh + 1;
  const ew = (KW - 1) * dw + 1;
  return tf.tidy(() => {
    const rows = tf.pad(tf.reshape(w, [KH, 1, KW * Ci * Co]), [[0, 0], [0, dh - 1], [0, 0]]);
    const tallW = tf.slice(tf.reshape(rows, [KH * dh, KW * Ci * Co]), [0, 0], [eh, KW * Ci * Co]);
    const cols = tf.pad(tf.reshape(tallW, [eh * KW, 1, Ci * Co]), [[0, 0], [0, dw - 1], [0, 0]]);
    return tf.slice(tf.reshape(cols, [eh, KW * dw, Ci, Co]), [0, 0, 0, 0], [eh, ew, Ci, Co]);
  }) as Tensor4D;
}

type FusedConvArgs = Parameters<Tf['fused']['conv2d']>[0];

/** conv2d + bias + activation as separate ops (each with a gradient), for dilated convs in training. */
export function unfusedDilatedConv(tf: Tf, args: FusedConvArgs): Tensor4D | undefined {
  const act = args.activation ?? 'linear';
  const apply: Record<string, (t: Tensor4D) => Tensor4D> = {
    linear: (t) => t,
    relu: (t) => tf.relu(t),
    relu6: (t) => tf.relu6(t),
    elu: (t) => tf.elu(t),
    sigmoid: (t) => tf.sigmoid(t),
    leakyrelu: (t) => tf.leakyRelu(t, args.leakyreluAlpha ?? 0.2),
  };
  const f = apply[act];
  if (!f || args.preluActivationWeights != null) return undefined;
  return tf.tidy(() => {
    let y = tf.conv2d(args.x as Tensor4D, args.filter as Tensor4D, args.strides, args.pad, args.dataFormat ?? 'NHWC', args.dilations, args.dimRoundingMode);
    if (args.bias != null) y = tf.add(y, args.bias as Tensor) as Tensor4D;
    return f(y);
  });
}
