/**
 * The wasm backend's heavy training kernels, run by the native addon (loadNative.ts) in place on the wasm
 * heap: convolutions forward and both gradients, the Dense GEMMs (BatchMatMul, _FusedMatMul), Adam's
 * update and MaxPoolGrad. tfjs still does the graph, the tape and every other op on wasm.
 *
 * Each kernel is registered ONCE per process over the wasm kernel it replaces, and calls that previous
 * kernel whenever the native path is switched off (`setNativeKernelsActive(false)`: the 'wasm' backend
 * preference) or the case is one it does not handle (NCHW, other activations, broadcasting batches...).
 * Results match the cpu backend within float32 rounding (test/unit/engine-native-kernels.test.ts); Adam
 * and MaxPoolGrad are bit-identical to our wasm kernels.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../tfNamespace';
import { ADAM_UPDATE } from '../kernels/fusedAdam';
import type { NativeKernelsLoaded } from './loadNative';

let active = false;
let registered = false;

/** Whether the native kernels run (true) or every call goes to the wasm kernel they replaced. */
export function setNativeKernelsActive(on: boolean): void {
  active = on;
}

export function nativeKernelsActive(): boolean {
  return active;
}

/**
 * The relu-and-bias part of a fused conv's gradient as one native kernel (registered only with the
 * addon; fusedConvTraining.ts asks for it only while `nativeKernelsActive()`): inputs dy and y (the
 * saved output), attr `relu`; outputs [dyAct, dBias].
 */
export const RELU_BIAS_GRAD = 'CnnStudioReluBiasGrad';

type Args = Parameters<KernelFunc>[0];
type Pad = 'valid' | 'same' | number | { type: string } | number[][];
interface ConvAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: string;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
}

const heapOf = (be: BackendWasm): ArrayBuffer => (be.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer as ArrayBuffer;
const offsetOf = (be: BackendWasm, t: TensorInfo): number => be.dataIdMap.get(t.dataId)!.memoryOffset;
const allF32 = (...ts: Array<TensorInfo | undefined>): boolean => ts.every((t) => t === undefined || t.dtype === 'float32');
const isNhwc = (a: ConvAttrs): boolean => a.dataFormat === undefined || a.dataFormat === 'NHWC' || a.dataFormat === 'channelsLast';

export function registerNativeKernels(tf: Tf, native: NativeKernelsLoaded): void {
  if (registered) return;
  registered = true;
  const addon = native.addon;

  /** Replaces wasm kernel `name`; `fn` returns undefined for a case it leaves to the previous kernel. */
  const put = (name: string, fn: (args: Args, be: BackendWasm) => TensorInfo | TensorInfo[] | undefined): void => {
    const prev = tf.getKernel(name, 'wasm');
    if (!prev) return;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      ...prev,
      kernelFunc: (args) => {
        if (!active) return prev.kernelFunc(args);
        const be = args.backend as BackendWasm;
        // Threaded wasm keeps its heap in a SharedArrayBuffer, which N-API cannot hand out.
        if (!(heapOf(be) instanceof ArrayBuffer)) return prev.kernelFunc(args);
        native.policy.tick();
        return fn(args, be) ?? prev.kernelFunc(args);
      },
    });
  };

  const geometry = (xShape: number[], fShape: number[], a: ConvAttrs, dilations: number | [number, number] = 1): number[] => {
    const i = tf.backend_util.computeConv2DInfo(
      xShape as [number, number, number, number],
      fShape as [number, number, number, number],
      a.strides,
      dilations,
      a.pad as 'same',
      a.dimRoundingMode,
    );
    return [
      i.batchSize, i.inHeight, i.inWidth, i.inChannels, i.filterHeight, i.filterWidth, i.outChannels, i.outHeight, i.outWidth,
      i.strideHeight, i.strideWidth, i.padInfo.top, i.padInfo.left, i.dilationHeight, i.dilationWidth,
    ];
  };

  const convForward = (args: Args, be: BackendWasm, fused: boolean): TensorInfo | undefined => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const a = args.attrs as unknown as ConvAttrs & { activation?: string };
    const activation = a.activation ?? 'linear';
    if (!x || !filter || x.shape.length !== 4 || !isNhwc(a) || preluActivationWeights || !allF32(x, filter, bias)) return undefined;
    if (activation !== 'linear' && activation !== 'relu') return undefined;
    if (fused && bias && (bias.shape.length !== 1 || bias.shape[0] !== filter.shape[3])) return undefined;
    const g = geometry(x.shape, filter.shape, a, a.dilations);
    const y = be.makeOutput([g[0]!, g[7]!, g[8]!, g[6]!], 'float32');
    addon.conv2d(heapOf(be), 0, g, offsetOf(be, x), offsetOf(be, filter), offsetOf(be, y), bias ? offsetOf(be, bias) : -1, activation === 'relu' ? 1 : 0);
    return y;
  };
  put('Conv2D', (args, be) => convForward(args, be, false));
  put('FusedConv2D', (args, be) => convForward(args, be, true));

  put('Conv2DBackpropInput', (args, be) => {
    const { dy, filter } = args.inputs as Record<string, TensorInfo | undefined>;
    const a = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
    if (!dy || !filter || !isNhwc(a) || !allF32(dy, filter)) return undefined;
    const g = geometry(a.inputShape, filter.shape, a);
    const dx = be.makeOutput(a.inputShape.slice(), 'float32');
    addon.conv2d(heapOf(be), 2, g, offsetOf(be, dx), offsetOf(be, filter), offsetOf(be, dy), -1, 0);
    return dx;
  });
  put('Conv2DBackpropFilter', (args, be) => {
    const { x, dy } = args.inputs as Record<string, TensorInfo | undefined>;
    const a = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
    if (!x || !dy || !isNhwc(a) || !allF32(x, dy)) return undefined;
    const g = geometry(x.shape, a.filterShape, a);
    const dw = be.makeOutput(a.filterShape.slice(), 'float32');
    addon.conv2d(heapOf(be), 1, g, offsetOf(be, x), offsetOf(be, dw), offsetOf(be, dy), -1, 0);
    return dw;
  });

  const matMul = (args: Args, be: BackendWasm, fused: boolean): TensorInfo | undefined => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const { transposeA, transposeB, activation = 'linear' } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean; activation?: string };
    if (!a || !b || preluActivationWeights || !allF32(a, b, bias) || (activation !== 'linear' && activation !== 'relu')) return undefined;
    const r = a.shape.length;
    if (r < 2 || b.shape.length !== r) return undefined;
    const batchA = a.shape.slice(0, -2);
    const batchB = b.shape.slice(0, -2);
    const size = (s: number[]): number => s.reduce((p, v) => p * v, 1);
    const nA = size(batchA);
    const nB = size(batchB);
    // Same batch shape, or one side a single matrix used for every batch entry; other broadcasts: wasm.
    const sameBatch = batchA.every((d, i) => d === batchB[i]);
    if (!sameBatch && nA !== 1 && nB !== 1) return undefined;
    const M = transposeA ? a.shape[r - 1]! : a.shape[r - 2]!;
    const K = transposeA ? a.shape[r - 2]! : a.shape[r - 1]!;
    const K2 = transposeB ? b.shape[r - 1]! : b.shape[r - 2]!;
    const N = transposeB ? b.shape[r - 2]! : b.shape[r - 1]!;
    if (K !== K2 || M === 0 || N === 0 || K === 0) return undefined;
    if (fused && bias && !(bias.shape.length === 1 && bias.shape[0] === N)) return undefined;
    const batch = Math.max(nA, nB);
    const out = be.makeOutput([...(nA >= nB ? batchA : batchB), M, N], 'float32');
    addon.gemm(
      heapOf(be), batch, M, N, K,
      offsetOf(be, a), nA === 1 ? 0 : M * K, transposeA ? 1 : 0,
      offsetOf(be, b), nB === 1 ? 0 : K * N, transposeB ? 1 : 0,
      offsetOf(be, out), bias ? offsetOf(be, bias) : -1, activation === 'relu' ? 1 : 0,
    );
    return out;
  };
  put('BatchMatMul', (args, be) => matMul(args, be, false));
  put('_FusedMatMul', (args, be) => matMul(args, be, true));

  put(ADAM_UPDATE, (args, be) => {
    const { value, m, v, g } = args.inputs as Record<string, TensorInfo>;
    if (!allF32(value, m, v, g)) return undefined;
    const at = args.attrs as unknown as { beta1: number; beta2: number; epsilon: number; learningRate: number; c1: number; c2: number };
    const outs = [0, 1, 2].map(() => be.makeOutput(value!.shape.slice(), 'float32'));
    const n = value!.shape.reduce((p, d) => p * d, 1);
    addon.adam(
      heapOf(be), n, offsetOf(be, value!), offsetOf(be, m!), offsetOf(be, v!), offsetOf(be, g!),
      offsetOf(be, outs[0]!), offsetOf(be, outs[1]!), offsetOf(be, outs[2]!),
      at.beta1, at.beta2, at.learningRate, at.c1, at.c2, at.epsilon,
    );
    return outs;
  });

  tf.registerKernel({
    kernelName: RELU_BIAS_GRAD,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const be = args.backend as BackendWasm;
      const { dy, y } = args.inputs as Record<string, TensorInfo>;
      const relu = (args.attrs as unknown as { relu: boolean }).relu;
      const C = dy!.shape[dy!.shape.length - 1]!;
      const rows = dy!.shape.reduce((p, d) => p * d, 1) / C;
      const dyAct = be.makeOutput(dy!.shape.slice(), 'float32');
      const dBias = be.makeOutput([C], 'float32');
      addon.reluBiasGrad(heapOf(be), rows, C, offsetOf(be, dy!), offsetOf(be, y!), offsetOf(be, dyAct), offsetOf(be, dBias), relu ? 1 : 0);
      return [dyAct, dBias];
    },
  });

  put('MaxPoolGrad', (args, be) => {
    const { dy, input } = args.inputs as Record<string, TensorInfo | undefined>;
    const a = args.attrs as unknown as { filterSize: number | [number, number]; strides: number | [number, number]; pad: Pad; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
    if (!dy || !input || input.shape.length !== 4 || !allF32(dy, input)) return undefined;
    const i = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad as 'same', a.dimRoundingMode);
    const g = [
      i.batchSize, i.inHeight, i.inWidth, i.inChannels, i.outHeight, i.outWidth, i.effectiveFilterHeight, i.effectiveFilterWidth,
      i.strideHeight, i.strideWidth, i.padInfo.top, i.padInfo.left,
    ];
    const dx = be.makeOutput(input.shape.slice(), 'float32');
    addon.maxPoolGrad(heapOf(be), g, offsetOf(be, input), offsetOf(be, dy), offsetOf(be, dx));
    return dx;
  });
}
