/**
 * The benchmark behind `npm run bench` and `cnn-studio bench`: training samples/s of the nets of
 * benchModels.ts on each backend (batch 64), peak memory, and images/s of the image-folder
 * loader. One implementation, two front ends (bench/run.ts and src/cli/commands/bench.ts).
 */
import { cpus, loadavg } from 'node:os';
import { benchModel, BENCH_MODELS, type BenchModel } from './benchModels';
import { buildTfModel } from '../model/buildTfModel';
import { BACKEND_NAMES, describeGpuAdapter } from '../../protocol/engine';
import { BackendUnavailableError, getTf, initBackend, type BackendInfo } from '../backend/selectBackend';
import { DEFAULT_IMAGE_CASES, measureImageDecode, type ImageDecodeResult } from './imageDecode';
import { measureTraining, type ThroughputOptions, type ThroughputResult } from './trainingThroughput';

export type BenchBackend = BackendInfo['name'];
// Every backend, webgpu included (on a software adapter it takes a few short steps only: see planFor).
export const BENCH_BACKENDS: readonly BenchBackend[] = BACKEND_NAMES;
export { BENCH_MODELS, type BenchModel };

export interface BenchOptions {
  backends: readonly BenchBackend[];
  models: readonly BenchModel[];
  /** Also measure image decoding. */
  images: boolean;
  batchSize: number;
  /** Timed groups per model on fast backends (the median is reported). */
  groups: number;
  /** wasm compute threads (see BackendOptions.threads). */
  threads?: number;
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}

export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  backends: BENCH_BACKENDS,
  models: BENCH_MODELS,
  images: true,
  batchSize: 64,
  groups: 5,
};

export interface ModelBench extends ThroughputResult {
  model: BenchModel;
  batchSize: number;
}

export interface BackendBench {
  backend: BenchBackend;
  /** Set when the backend could not start (e.g. tfjs-node not installed), with the reason. */
  unavailable?: string;
  info?: BackendInfo;
  models: ModelBench[];
}

export interface BenchReport {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  backends: BackendBench[];
  images: ImageDecodeResult[];
}

/** Steps per timed group and warm-up, per backend: cpu runs ~1-20 samples/s, so it gets one short group. */
function planFor(backend: BenchBackend, model: BenchModel, opts: BenchOptions, info: BackendInfo): ThroughputOptions | undefined {
  const base = { batchSize: opts.batchSize, signal: opts.signal };
  // webgpu on a software adapter (CI's lavapipe) computes on the CPU, slower than wasm: a figure to name
  // it by, not a benchmark. Two timed steps after one warm-up step (shader compilation).
  if (info.adapter?.software) return { ...base, warmupSteps: 1, stepsPerGroup: 1, groups: 2, maxSeconds: 60 };
  // cpu: tutorial-cifar takes about a minute per batch of 64, so it gets one timed step and no warm-up.
  if (backend === 'cpu') {
    // The Fashion-MNIST convnet is 5 GFLOP per step: several minutes per batch on the pure-JS backend.
    if (model === 'fm-convnet') return undefined;
    return model === 'mnist-small'
      ? { ...base, warmupSteps: 1, stepsPerGroup: 1, groups: 3, maxSeconds: 60 }
      : { ...base, warmupSteps: 0, stepsPerGroup: 1, groups: 1 };
  }
  // ~0.5-1 s per group on wasm
  const stepsPerGroup = { 'mnist-small': 48, 'tutorial-cifar': 8, 'fm-convnet': 3 }[model];
  return { ...base, warmupSteps: 3, stepsPerGroup, groups: opts.groups };
}

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const say = opts.onProgress ?? (() => undefined);
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageBefore: loadavg(), loadAverageAfter: [] },
    backends: [],
    images: [],
  };
  for (const backend of opts.backends) {
    if (opts.signal?.aborted) break;
    const entry: BackendBench = { backend, models: [] };
    report.backends.push(entry);
    try {
      entry.info = await initBackend(backend, opts.threads !== undefined ? { threads: opts.threads } : {});
    } catch (err) {
      if (!(err instanceof BackendUnavailableError)) throw err;
      entry.unavailable = err.message;
      say(`${backend}: not available (${err.message})`);
      continue;
    }
    const tf = getTf();
    for (const id of opts.models) {
      if (opts.signal?.aborted) break;
      const plan = planFor(backend, id, opts, entry.info);
      if (!plan) continue;
      say(`${backend}: training ${id}…`);
      const model = buildTfModel(tf, benchModel(id));
      try {
        const classes = model.outputs[0]!.shape[1] as number;
        const r = await measureTraining(tf, model, classes, plan);
        entry.models.push({ model: id, batchSize: opts.batchSize, ...r });
        say(`${backend}: ${id} ${r.samplesPerSec.toFixed(1)} samples/s`);
      } finally {
        model.dispose();
      }
    }
  }
  if (opts.images && !opts.signal?.aborted) {
    for (const c of DEFAULT_IMAGE_CASES) {
      say(`images: decoding ${c.images} PNGs of ${c.source.join('×')} to ${c.target.join('×')}…`);
      report.images.push(await measureImageDecode(c));
    }
  }
  report.machine.loadAverageAfter = loadavg();
  return report;
}

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;

export function formatBenchReport(r: BenchReport): string {
  const lines: string[] = [];
  const load = (l: number[]): string => l.map((v) => v.toFixed(2)).join(' ');
  lines.push(`CNN Studio bench — ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}`);
  lines.push(`load average before ${load(r.machine.loadAverageBefore)}, after ${load(r.machine.loadAverageAfter)}`);
  lines.push('');
  lines.push(
    `${'backend'.padEnd(12)}${'model'.padEnd(16)}${'samples/s'.padStart(11)}${'per CPU-s'.padStart(11)}  ${'groups (samples/s)'.padEnd(36)}` +
      `${'peak RSS'.padStart(10)}${'peak tensors'.padStart(14)}`,
  );
  for (const b of r.backends) {
    if (b.unavailable) {
      lines.push(`${b.backend.padEnd(12)}not available: ${b.unavailable}`);
      continue;
    }
    const tag = b.info ? `${b.backend}${b.info.threads > 1 ? ` ×${b.info.threads}` : ''}` : b.backend;
    if (b.info?.kernels) lines.push(`${b.backend}: ${b.info.kernels}, ${b.info.threads} thread${b.info.threads > 1 ? 's' : ''}`);
    if (b.info?.adapter) lines.push(`${b.backend}: ${describeGpuAdapter(b.info.adapter)}${b.info.adapter.software ? ' — a software adapter, slower than wasm' : ''}`);
    for (const m of b.models) {
      lines.push(
        `${tag.padEnd(12)}${m.model.padEnd(16)}${m.samplesPerSec.toFixed(1).padStart(11)}${m.samplesPerCpuSec.toFixed(1).padStart(11)}  ` +
          `${m.groups.map((g) => g.toFixed(0)).join(' ').padEnd(36)}` +
          `${mb(m.peakRssBytes).padStart(10)}${mb(m.peakTensorBytes).padStart(14)}`,
      );
    }
  }
  lines.push('samples/s: median of the timed groups (wall clock); per CPU-s: samples per second of CPU time of this');
  lines.push('process (steadier when other processes share the cores); peak RSS: whole process so far.');
  if (r.images.length) {
    lines.push('');
    lines.push('image-folder loading (read + decode + resize, the training loader):');
    for (const i of r.images) {
      lines.push(`  ${i.images} PNGs ${i.source.join('×')} -> ${i.target.join('×')}: ${i.imagesPerSec.toFixed(0)} images/s (${i.seconds.toFixed(2)} s)`);
    }
  }
  return lines.join('\n') + '\n';
}
