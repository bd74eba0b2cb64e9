/**
 * Test helper: run the same tfjs computation on the `cpu` backend and on `wasm` (or `webgpu`) (same
 * namespace, same input values) and measure how far apart the results are. With
 * `kernelsUnderTest('native')` (set by engine-kernels-native.test.ts before it loads the suites) the wasm
 * side runs the native addon's kernels instead: the same cases check both.
 */
import { getTf, initBackend } from '../../src/engine/backend/selectBackend';
import type { Tensor } from '@tensorflow/tfjs';
import { mulberry32 } from '../../src/engine/data/random';

let ready: Promise<unknown> | undefined;
let underTest: 'wasm' | 'native' = 'wasm';

/** Which kernels the 'wasm' side of the comparisons runs: our wasm ones, or the native addon's. */
export function kernelsUnderTest(k: 'wasm' | 'native'): void {
  underTest = k;
}

/** Starts wasm (which registers our kernels); the cpu backend is always there. */
export function ensureWasm(): Promise<unknown> {
  ready ??= initBackend(underTest);
  return ready;
}

/** Deterministic pseudo-random values (mulberry32), so a failing case is reproducible. */
export function values(n: number, seed: number, kind: 'normal' | 'ties' = 'normal'): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // 'ties': small negative-heavy integers, so pooling windows often have equal maxima <= 0
    out[i] = kind === 'ties' ? Math.floor(next() * 4) - 3 : (next() + next() + next() - 1.5) * 2;
  }
  return out;
}

export interface Diff {
  maxAbsErr: number;
  maxAbsRef: number;
}

/**
 * Runs `compute` on cpu then on `backend` (already started; default wasm, started here); returns the worst
 * difference over all outputs. Reads asynchronously: webgpu in Node cannot read tensors synchronously.
 */
export async function compareBackends(compute: () => Tensor | Tensor[], backend: 'wasm' | 'webgpu' = 'wasm'): Promise<Diff> {
  if (backend === 'wasm') await ensureWasm();
  const tf = getTf();
  const results: Float32Array[][] = [];
  for (const b of ['cpu', backend]) {
    await tf.setBackend(b);
    const outs = tf.tidy(() => {
      const r = compute();
      return Array.isArray(r) ? r : [r];
    });
    results.push(await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array)));
    tf.dispose(outs);
  }
  const [ref, got] = results as [Float32Array[], Float32Array[]];
  let maxAbsErr = 0;
  let maxAbsRef = 0;
  ref.forEach((r, k) => {
    const g = got[k]!;
    if (g.length !== r.length) throw new Error(`output ${k}: ${g.length} values on ${backend}, ${r.length} on cpu`);
    for (let i = 0; i < r.length; i++) {
      const e = Math.abs(r[i]! - g[i]!);
      if (!(e <= maxAbsErr)) maxAbsErr = Number.isNaN(e) ? Infinity : e;
      maxAbsRef = Math.max(maxAbsRef, Math.abs(r[i]!));
    }
  });
  return { maxAbsErr, maxAbsRef };
}

/** float32 sums of up to a few thousand terms: 2e-5 relative to the largest value is generous but tight. */
export function closeEnough(d: Diff, rel = 2e-5): boolean {
  return d.maxAbsErr <= rel * Math.max(1, d.maxAbsRef);
}
