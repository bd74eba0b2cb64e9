/**
 * Training throughput of one model on the active backend: samples per second of the same step the
 * trainer runs (a fresh batch tensor, one-hot labels, `trainOnBatch` with adam and categorical
 * cross-entropy + accuracy), median of several timed groups of steps after warm-up steps.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../backend/tfNamespace';
import { MemoryPeak } from './memoryPeak';

export interface ThroughputOptions {
  batchSize: number;
  /** Untimed steps first (kernel set-up, optimizer slots, heap growth). */
  warmupSteps: number;
  /** Steps per timed group. */
  stepsPerGroup: number;
  /** Timed groups; the median group is reported. */
  groups: number;
  /** Stop early when this many seconds of timed work have been done (slow backends). */
  maxSeconds?: number;
  signal?: AbortSignal;
}

export interface ThroughputResult {
  /** Median over the timed groups of samples / wall-clock second. */
  samplesPerSec: number;
  /** samples/s of every timed group, in run order. */
  groups: number[];
  /**
   * Median of samples / second of CPU time used by this process. Less disturbed than wall time when
   * other processes compete for the cores; with several compute threads it is below the wall figure.
   */
  samplesPerCpuSec: number;
  stepsTimed: number;
  peakRssBytes: number;
  peakTensorBytes: number;
}

export async function measureTraining(tf: Tf, model: LayersModel, numClasses: number, opts: ThroughputOptions): Promise<ThroughputResult> {
  const inShape = model.inputs[0]!.shape.slice(1) as number[];
  const sampleSize = inShape.reduce((a, b) => a * b, 1);
  const bs = opts.batchSize;
  // Pixel-like inputs in [0, 1) and labels spread over the classes; fixed so runs are comparable.
  const x = new Float32Array(bs * sampleSize);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 2654435761) >>> 0) / 4294967296;
  const labels = Int32Array.from({ length: bs }, (_, i) => (i * 7) % numClasses);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: [tf.metrics.categoricalAccuracy] });
  const memory = new MemoryPeak(tf);
  const step = async (): Promise<void> => {
    const xs = tf.tensor4d(x, [bs, ...inShape] as [number, number, number, number]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses).toFloat());
    try {
      await model.trainOnBatch(xs, ys);
    } finally {
      tf.dispose([xs, ys]);
    }
    memory.sample();
  };
  // One step runs under tf.profile: the engine tracks the peak of live tensor bytes INSIDE the step
  // (activations, gradients), which sampling between steps would miss. It is the last warm-up step, or,
  // with no warm-up (cpu: a minute per step), the first timed one (profiling costs little next to that).
  let profiled = false;
  const profiledStep = async (): Promise<void> => {
    const info = await tf.profile(step);
    memory.noteTensorPeak(info.peakBytes);
    profiled = true;
  };
  for (let i = 0; i < opts.warmupSteps; i++) await (i === opts.warmupSteps - 1 ? profiledStep() : step());
  const rates: number[] = [];
  const cpuRates: number[] = [];
  const started = performance.now();
  let stepsTimed = 0;
  for (let g = 0; g < opts.groups; g++) {
    if (opts.signal?.aborted) break;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let s = 0; s < opts.stepsPerGroup; s++) await (profiled ? step() : profiledStep());
    rates.push((bs * opts.stepsPerGroup) / ((performance.now() - t0) / 1000));
    const c = process.cpuUsage(c0);
    cpuRates.push((bs * opts.stepsPerGroup) / ((c.user + c.system) / 1e6));
    stepsTimed += opts.stepsPerGroup;
    if (opts.maxSeconds !== undefined && (performance.now() - started) / 1000 > opts.maxSeconds) break;
  }
  return { samplesPerSec: median(rates), groups: rates, samplesPerCpuSec: median(cpuRates), stepsTimed, peakRssBytes: memory.peakRss, peakTensorBytes: memory.peakTensorBytes };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
