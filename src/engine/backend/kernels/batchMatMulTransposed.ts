/**
 * BatchMatMul on wasm, arranged so XNNPACK does the least work.
 *
 * - Transpose flags: wasm's kernel runs ~10x slower with transposeA / transposeB (measured: [10816 x 288]
 *   x [288 x 64] takes 20 ms plain, 350 ms with a transpose flag), and every Dense layer's gradient uses
 *   one (dW = x^T dy, dx = dy W^T). Transposing the operand explicitly (a cheap copy) and running the
 *   plain product is much faster.
 * - A big RIGHT operand: XNNPACK packs the right operand (with a transpose) and caches the packed copy
 *   per tensor, but Adam makes a new weight tensor every step, so a Dense layer's 3136 x 1024 kernel was
 *   re-packed twice per step (forward and dx: 64 and 67 ms on the Fashion-MNIST convnet). When the right
 *   operand is the big one, out^T = b^T a^T is computed instead: the big matrix becomes the LEFT operand,
 *   which is read as it is, and only the small result is transposed back (forward 66 -> 38 ms, dx
 *   67 -> 30 ms, bit-identical: the same products summed in the same order;
 *   ../shared/reference/engine-speed/REPORT.md, lever 2a).
 */
import type { BatchMatMulAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmKit } from './wasmKernelKit';

/** Right operands of at least this many floats (1 MB) are worth keeping out of XNNPACK's packing. */
const BIG_RIGHT_OPERAND = 1 << 18;

export function makeBatchMatMulKernel(kitFor: (backend: object) => WasmKit, nativeMatMul: KernelFunc): KernelFunc {
  return (args) => {
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const a = args.inputs['a']!;
    const b = args.inputs['b']!;
    const plain = (x: TensorInfo, y: TensorInfo): TensorInfo =>
      nativeMatMul({ inputs: { a: x, b: y }, backend: args.backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    if (rightOperandIsBig(a, b, transposeA, transposeB)) {
      const kit = kitFor(args.backend);
      const left = transposeB ? b : swapLastTwo(kit, b); // b^T, as stored or copied
      const right = transposeA ? a : swapLastTwo(kit, a); // a^T
      const outT = plain(left, right);
      const out = swapLastTwo(kit, outT);
      kit.free(...[left, right, outT].filter((t) => t !== a && t !== b));
      return out;
    }
    if (!transposeA && !transposeB) return nativeMatMul(args);
    const kit = kitFor(args.backend);
    const at = transposeA ? swapLastTwo(kit, a) : a;
    const bt = transposeB ? swapLastTwo(kit, b) : b;
    const out = plain(at, bt);
    if (at !== a) kit.free(at);
    if (bt !== b) kit.free(bt);
    return out;
  };
}

/**
 * Whether out^T = b^T a^T is the cheaper way: one matrix pair (rank 2, or rank 3 with a batch of 1) whose
 * right operand [K, N] is big and bigger than the left one [M, K].
 */
export function rightOperandIsBig(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): boolean {
  const r = a.shape.length;
  if (r !== b.shape.length || r < 2 || r > 3 || (r === 3 && (a.shape[0] !== 1 || b.shape[0] !== 1))) return false;
  const M = transposeA ? a.shape[r - 1]! : a.shape[r - 2]!;
  const K = transposeA ? a.shape[r - 2]! : a.shape[r - 1]!;
  const N = transposeB ? b.shape[r - 2]! : b.shape[r - 1]!;
  return K * N >= BIG_RIGHT_OPERAND && M * K < K * N;
}

function swapLastTwo(kit: WasmKit, t: TensorInfo): TensorInfo {
  const r = t.shape.length;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return kit.run('Transpose', { x: t }, { perm });
}
