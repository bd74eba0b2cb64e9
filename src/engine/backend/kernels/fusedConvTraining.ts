/**
 * Fused conv + bias + relu while TRAINING on wasm.
 *
 * tfjs-layers' Conv2D calls `tf.fused.conv2d`, but tfjs-core un-fuses it whenever gradients are being
 * recorded (unless the activation is linear): Conv2D, Add, Relu forward and Step, Multiply, Sum backward,
 * each a pass over a full activation tensor. Here, on wasm only, the fused kernel runs forward and gets a
 * registered gradient: the relu mask comes from the saved output (y > 0 exactly where the pre-activation
 * is > 0), the bias gradient is a leading-axes sum, and each input's gradient is computed only if asked
 * for (a first layer's input gradient is never needed). The gradient runs only
 * on wasm: the patched `tf.fused.conv2d` routes to FusedConv2D in training only there.
 */
import type { FusedConv2DAttrs, NamedAttrMap, Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs';
import type { Tf } from '../tfNamespace';
import { unfusedDilatedConv } from './dilatedConvGradient';
import { nativeKernelsActive, RELU_BIAS_GRAD } from '../native/nativeKernels';

type FusedConvArgs = Parameters<Tf['fused']['conv2d']>[0];

let patched = false;

export function enableFusedConvTraining(tf: Tf): void {
  if (patched) return;
  patched = true;
  const engine = tf.engine();
  if (!tf.getGradient('FusedConv2D')) {
    tf.registerGradient({
      kernelName: 'FusedConv2D',
      inputsToSave: ['x', 'filter'],
      outputsToSave: [true],
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
        const [x, w, y] = saved as [Tensor4D, Tensor4D, Tensor4D];
        const a = attrs as unknown as FusedConv2DAttrs;
        const g = dy as Tensor4D;
        if (a.activation !== 'relu' && a.activation !== 'linear') {
          throw new Error(`FusedConv2D gradient: activation '${a.activation}' is not supported`);
        }
        // wasm's own Step and Multiply (SIMD) beat a fused JS loop for the relu mask: measured 3.7 vs
        // 6.9 ms on [64, 30, 30, 32], so the mask stays two native ops.
        let dyAct: Tensor4D;
        let dBias: Tensor;
        if (nativeKernelsActive()) {
          // native: mask and bias sum in one pass (native/src/cnn_native.cc reluBiasGrad).
          [dyAct, dBias] = engine.runKernel(RELU_BIAS_GRAD, { dy: g, y }, { relu: a.activation === 'relu' }) as [Tensor4D, Tensor];
        } else {
          dyAct = a.activation === 'relu' ? tf.mul(g, tf.step(y)) : g;
          dBias = tf.sum(dyAct, [0, 1, 2]);
        }
        const common = { strides: a.strides, pad: a.pad, dataFormat: a.dataFormat, dimRoundingMode: a.dimRoundingMode };
        return {
          x: () => engine.runKernel('Conv2DBackpropInput', { dy: dyAct, filter: w }, { ...common, inputShape: x.shape }) as Tensor,
          filter: () => engine.runKernel('Conv2DBackpropFilter', { x, dy: dyAct }, { ...common, filterShape: w.shape }) as Tensor,
          bias: () => dBias,
        };
      },
    });
  }
  const fused = tf.fused as { conv2d: (args: FusedConvArgs) => Tensor4D };
  const original = fused.conv2d;
  fused.conv2d = (args: FusedConvArgs): Tensor4D => {
    const { x, filter, bias, activation = 'linear', dataFormat = 'NHWC', dilations = [1, 1] } = args;
    const dil = typeof dilations === 'number' ? [dilations, dilations] : dilations;
    if (engine.state.gradientDepth > 0 && !dil.every((d) => d === 1)) {
      // tfjs' fused conv refuses gradients for dilation > 1; separate ops reach our dilated gradient.
      const y = unfusedDilatedConv(tf, args);
      if (y) return y;
    }
    const applies =
      engine.state.gradientDepth > 0 &&
      tf.getBackend() === 'wasm' &&
      (activation === 'relu' || activation === 'linear') &&
      dataFormat === 'NHWC' &&
      x instanceof tf.Tensor &&
      filter instanceof tf.Tensor &&
      bias instanceof tf.Tensor &&
      x.rank === 4 &&
      bias.rank === 1 &&
      dil.every((d) => d === 1) &&
      args.preluActivationWeights == null;
    if (!applies) return original(args);
    const attrs: NamedAttrMap = { strides: args.strides, pad: args.pad, dataFormat, dilations: [1, 1], activation };
    if (args.dimRoundingMode !== undefined) attrs['dimRoundingMode'] = args.dimRoundingMode;
    return engine.runKernel('FusedConv2D', { x, filter, bias: bias as Tensor1D }, attrs) as Tensor4D;
  };
}
