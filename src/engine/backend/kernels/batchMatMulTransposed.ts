/**
 * BatchMatMul with transposeA / transposeB on wasm. wasm's kernel runs ~10x slower with either flag
 * (measured: [10816 x 288] x [288 x 64] takes 20 ms plain, 350 ms with a transpose flag), and every
 * Dense layer's gradient uses one (dW = x^T dy, dx = dy W^T). Transposing the operand explicitly
 * (a cheap copy) and running the plain product is much faster.
 */
import type { BatchMatMulAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmKit } from './wasmKernelKit';

export function makeBatchMatMulKernel(kitFor: (backend: object) => WasmKit, nativeMatMul: KernelFunc): KernelFunc {
  return (args) => {
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    if (!transposeA && !transposeB) return nativeMatMul(args);
    const kit = kitFor(args.backend);
    const a = args.inputs['a']!;
    const b = args.inputs['b']!;
    const at = transposeA ? swapLastTwo(kit, a) : a;
    const bt = transposeB ? swapLastTwo(kit, b) : b;
    const out = nativeMatMul({ inputs: { a: at, b: bt }, backend: args.backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    if (at !== a) kit.free(at);
    if (bt !== b) kit.free(bt);
    return out;
  };
}

function swapLastTwo(kit: WasmKit, t: TensorInfo): TensorInfo {
  const r = t.shape.length;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return kit.run('Transpose', { x: t }, { perm });
}
