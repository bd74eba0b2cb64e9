/**
 * Turns the run's batch and epoch metrics into uPlot's aligned columns. The x axis is "epochs" as a
 * fraction (batch b of B in epoch e sits at e-1+b/B), so per-batch and per-epoch series share one axis
 * and an epoch's point lands where its last batch ends.
 */
import type uPlot from 'uplot';
import type { EpochMetrics } from '../../src/protocol/engine';
import type { BatchPoint, CompareRun } from '../../src/protocol/dashboard';
import { emaSmooth } from './smoothing';

/** More raw batch points than this are thinned for drawing (the EMA still uses all of them). */
const MAX_RAW_POINTS = 2000;

export function batchX(p: BatchPoint, batchesPerEpoch: number): number {
  return batchesPerEpoch > 0 ? p.epoch - 1 + p.batch / batchesPerEpoch : p.step;
}

type Column = (number | null)[];

/** Rows keyed by x, merged in x order; `cols` values are filled per row. */
class RowTable {
  private readonly rows = new Map<number, Column>();
  constructor(private readonly width: number) {}
  set(x: number, col: number, v: number | null): void {
    let row = this.rows.get(x);
    if (!row) {
      row = new Array<number | null>(this.width).fill(null);
      this.rows.set(x, row);
    }
    row[col] = v !== null && Number.isFinite(v) ? v : null;
  }
  aligned(): uPlot.AlignedData {
    const xs = [...this.rows.keys()].sort((a, b) => a - b);
    const cols: Column[] = Array.from({ length: this.width }, () => new Array<number | null>(xs.length));
    xs.forEach((x, i) => {
      const row = this.rows.get(x)!;
      for (let c = 0; c < this.width; c++) cols[c]![i] = row[c]!;
    });
    return [xs, ...cols] as uPlot.AlignedData;
  }
}

/** Columns: raw batch values, smoothed batch values, training per epoch, validation per epoch. */
export function trainingSeries(
  batches: readonly BatchPoint[],
  epochs: readonly EpochMetrics[],
  batchesPerEpoch: number,
  metric: 'loss' | 'accuracy',
  smoothing: number,
): uPlot.AlignedData {
  const t = new RowTable(4);
  const smooth = emaSmooth(batches.map((b) => b[metric]), smoothing);
  const stride = Math.max(1, Math.ceil(batches.length / MAX_RAW_POINTS));
  batches.forEach((b, i) => {
    if (i % stride !== 0 && i !== batches.length - 1) return;
    const x = batchX(b, batchesPerEpoch);
    t.set(x, 0, b[metric]);
    t.set(x, 1, smooth[i]!);
  });
  for (const e of epochs) {
    t.set(e.epoch, 2, metric === 'loss' ? e.loss : e.accuracy);
    t.set(e.epoch, 3, metric === 'loss' ? e.valLoss : e.valAccuracy);
  }
  return t.aligned();
}

/** One column per batch field (learning rate or throughput). */
export function batchSeries(
  batches: readonly BatchPoint[],
  batchesPerEpoch: number,
  field: 'learningRate' | 'samplesPerSec',
): uPlot.AlignedData {
  const t = new RowTable(1);
  const stride = Math.max(1, Math.ceil(batches.length / MAX_RAW_POINTS));
  batches.forEach((b, i) => {
    if (i % stride === 0 || i === batches.length - 1) t.set(batchX(b, batchesPerEpoch), 0, b[field]);
  });
  return t.aligned();
}

/** One column per run: the epoch metric, validation if the run has it, else training. */
export function compareSeries(runs: readonly CompareRun[], metric: 'loss' | 'accuracy'): uPlot.AlignedData {
  const t = new RowTable(runs.length);
  runs.forEach((r, col) => {
    for (const e of r.epochs) {
      const v = metric === 'loss' ? (e.valLoss ?? e.loss) : (e.valAccuracy ?? e.accuracy);
      t.set(e.epoch, col, v);
    }
  });
  return t.aligned();
}

/** The settings whose values differ between the runs (or are missing in some), sorted by name. */
export function differingSettings(runs: readonly CompareRun[]): string[] {
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.settings)) keys.add(k);
  return [...keys].filter((k) => new Set(runs.map((r) => r.settings[k] ?? '—')).size > 1).sort();
}
