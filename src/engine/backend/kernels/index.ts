/**
 * Registers our training kernels for tfjs' 'wasm' backend. Call once, BEFORE `tf.setBackend('wasm')`
 * (selectBackend.ts does). After it, every layer of the catalogue trains on wasm with the same
 * gradients as the `cpu` backend (test/unit/engine-kernels*.test.ts check each kernel against cpu).
 *
 *   added (missing in tfjs-backend-wasm 4.22):  Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter,
 *                                               DepthwiseConv2dNativeBackpropInput
 *   replaced (wrong):                           MaxPoolGrad (max <= 0 and ties went to the wrong element)
 *   replaced (slow):                            Conv2DBackpropInput, Sum over leading axes, Identity (copy),
 *                                               BatchMatMul with transposed operands
 *   fused:                                      conv + bias + relu forward and backward while training
 *                                               Adam's update, one kernel per variable (CnnStudioAdamUpdate)
 * Not wasm-specific, registered by selectBackend.ts for every backend: cpuResizeGradFixes.ts (two tfjs
 * 4.22 cpu gradient bugs) and dilatedConvGradient.ts (Conv2D dilation > 1 could not train at all).
 */
import type { KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
} from '@tensorflow/tfjs';
import type { Tf } from '../tfNamespace';
import { makeBatchMatMulKernel } from './batchMatMulTransposed';
import { conv2dBackpropFilter, setFilterGradMethod } from './conv2dBackpropFilter';
import { conv2dBackpropInput, setInputGradMethod } from './conv2dBackpropInput';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from './depthwiseConv2dBackprop';
import { ADAM_UPDATE, enableFusedAdam, makeAdamUpdateKernel } from './fusedAdam';
import { enableFusedConvTraining } from './fusedConvTraining';
import { identityKernel } from './identity';
import { maxPoolGrad } from './maxPoolGrad';
import { makeSumKernel } from './sumLeadingAxes';
import { makeKit, type WasmKit } from './wasmKernelKit';

/** wasm kernels our kernels call; captured before any is replaced. */
const NATIVES_USED = ['BatchMatMul', 'Conv2D', 'PadV2', 'Reshape', 'Reverse', 'Slice', 'Sum', 'Transpose'];

export const REPLACED_KERNELS = ['Conv2DBackpropInput', 'MaxPoolGrad', 'Sum', 'Identity', 'BatchMatMul'] as const;
export const ADDED_KERNELS = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'] as const;

/**
 * Speed-ups that can be switched off one by one to measure what each gives (bench ablations, env
 * CNN_STUDIO_WASM_SKIP=a,b). Correctness kernels (the missing gradients, MaxPoolGrad) always stay.
 */
export const OPTIONAL_SPEEDUPS = ['im2col', 'col2im', 'backpropInput', 'sum', 'identity', 'matmul', 'fusedConv', 'adam'] as const;
export type OptionalSpeedup = (typeof OPTIONAL_SPEEDUPS)[number];

let registered = false;

export function registerTrainingKernels(tf: Tf, skip: ReadonlySet<OptionalSpeedup> = new Set()): void {
  if (registered) return;
  const natives = new Map<string, KernelFunc>();
  for (const name of NATIVES_USED) {
    const k = tf.getKernel(name, 'wasm');
    if (!k) throw new Error(`tfjs-backend-wasm has no ${name} kernel: is @tensorflow/tfjs-backend-wasm imported?`);
    natives.set(name, k.kernelFunc);
  }
  const kitFor = (backend: object): WasmKit => makeKit(tf, backend, natives);

  const put = (kernelName: string, kernelFunc: KernelFunc): void => {
    // Keep the native setup function: it still has to run when the backend initialises, because the
    // native kernel it prepares may be called as a fallback (Sum) or by other native kernels.
    const existing = tf.getKernel(kernelName, 'wasm');
    if (existing) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc, setupFunc: existing?.setupFunc });
  };
  const attrsOf = <T>(args: Parameters<KernelFunc>[0]): T => args.attrs as unknown as T;
  const input = (args: Parameters<KernelFunc>[0], name: string): TensorInfo => {
    const t = args.inputs[name];
    if (!t) throw new Error(`missing kernel input '${name}'`);
    return t;
  };

  put('Conv2DBackpropFilter', (args) =>
    conv2dBackpropFilter(kitFor(args.backend), input(args, 'x'), input(args, 'dy'), attrsOf<Conv2DBackpropFilterAttrs>(args)),
  );
  if (!skip.has('backpropInput')) {
    put('Conv2DBackpropInput', (args) =>
      conv2dBackpropInput(kitFor(args.backend), input(args, 'dy'), input(args, 'filter'), attrsOf<Conv2DBackpropInputAttrs>(args)),
    );
  }
  if (skip.has('im2col')) setFilterGradMethod('tconv');
  if (skip.has('col2im')) setInputGradMethod('fullconv');
  put('DepthwiseConv2dNativeBackpropFilter', (args) =>
    depthwiseBackpropFilter(kitFor(args.backend), input(args, 'x'), input(args, 'dy'), attrsOf<DepthwiseConv2dNativeBackpropFilterAttrs>(args)),
  );
  put('DepthwiseConv2dNativeBackpropInput', (args) =>
    depthwiseBackpropInput(kitFor(args.backend), input(args, 'dy'), input(args, 'filter'), attrsOf<DepthwiseConv2dNativeBackpropInputAttrs>(args)),
  );
  put('MaxPoolGrad', (args) => maxPoolGrad(kitFor(args.backend), input(args, 'dy'), input(args, 'input'), attrsOf<MaxPoolGradAttrs>(args)));
  if (!skip.has('sum')) put('Sum', makeSumKernel(kitFor, natives.get('Sum')!));
  if (!skip.has('identity')) put('Identity', identityKernel);
  if (!skip.has('matmul')) put('BatchMatMul', makeBatchMatMulKernel(kitFor, natives.get('BatchMatMul')!));
  put(ADAM_UPDATE, makeAdamUpdateKernel(kitFor));
  if (!skip.has('fusedConv')) enableFusedConvTraining(tf);
  if (!skip.has('adam')) enableFusedAdam(tf);
  registered = true;
}
