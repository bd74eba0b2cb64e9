/**
 * Sum over LEADING axes (e.g. [0, 1, 2] of a [B, H, W, C] tensor: every bias gradient) on wasm.
 * wasm's Sum transposes the reduced axes to the end first (a full copy) and then reduces; here the
 * tensor is read in place as a [rows, C] matrix and rows are added, accumulating in float64. Every
 * other reduction goes to wasm's own Sum.
 */
import type { KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { WasmKit } from './wasmKernelKit';

/** The leading-axes sum, or undefined when this case is not a leading-axes float32 sum. */
export function sumLeadingAxes(kit: WasmKit, x: TensorInfo, attrs: SumAttrs): TensorInfo | undefined {
  const { util } = kit.tf;
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const k = axes.length;
  const r = x.shape.length;
  if (x.dtype !== 'float32' || k === 0 || k === r || !axes.every((a, i) => a === i)) return undefined;
  const C = util.sizeFromShape(x.shape.slice(k));
  const M = util.sizeFromShape(x.shape.slice(0, k));
  const outShape = attrs.keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k);
  const out = kit.output(outShape);
  kit.f32(out).set(sumRows(kit.f32(x), M, C));
  return out;
}

/** Column sums of X viewed as [M, C], accumulated in float64. */
export function sumRows(X: Float32Array, M: number, C: number): Float64Array {
  const acc = new Float64Array(C);
  const M4 = M - (M % 4);
  let o = 0;
  for (let i = 0; i < M4; i += 4, o += 4 * C) {
    // four rows per pass over acc: fewer passes over the accumulator
    for (let c = 0; c < C; c++) acc[c] += X[o + c]! + X[o + C + c]! + (X[o + 2 * C + c]! + X[o + 3 * C + c]!);
  }
  for (let i = M4; i < M; i++, o += C) for (let c = 0; c < C; c++) acc[c] += X[o + c]!;
  return acc;
}

/** Sum kernel: the fast path above, else wasm's own Sum. */
export function makeSumKernel(kitFor: (backend: object) => WasmKit, nativeSum: KernelFunc): KernelFunc {
  return (args) => {
    const kit = kitFor(args.backend);
    return sumLeadingAxes(kit, args.inputs['x']!, args.attrs as unknown as SumAttrs) ?? nativeSum(args);
  };
}
