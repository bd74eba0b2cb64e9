/**
 * Exponential moving average with bias correction (as TensorBoard's smoothing slider): the first points are
 * not dragged towards 0, and NaN/Infinity (a diverged batch) are skipped rather than poisoning the rest.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  const out = new Array<number>(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = n > 0 ? last / (1 - Math.pow(weight, n)) : NaN;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    n++;
    out[i] = last / (1 - Math.pow(weight, n));
  }
  return out;
}

/** A weight that gives about `window` batches of memory, bounded so short runs still look smooth. */
export function smoothingWeightFor(batchesPerEpoch: number): number {
  const window = Math.max(4, Math.min(50, Math.round(batchesPerEpoch / 4)));
  return 1 - 1 / window;
}
