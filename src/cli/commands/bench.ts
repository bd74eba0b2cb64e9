/** `cnn-studio bench`: training speed per backend, peak memory and image-loading speed on this machine. */
import { CliError, flagBool, flagInt, flagString, type CliCommand } from '../command';
import {
  BENCH_BACKENDS,
  BENCH_MODELS,
  DEFAULT_BENCH_OPTIONS,
  formatBenchReport,
  runBench,
  type BenchBackend,
  type BenchModel,
} from '../../engine/bench/runBench';

const USAGE = 'bench [--backend tensorflow|webgpu|native|wasm|cpu] [--model ID] [--threads N] [--groups N] [--no-images] [--json]';

function pick<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new CliError(`--${flag} must be one of ${allowed.join(', ')}; got '${value}'.`);
  return [value as T];
}

export const benchCommand: CliCommand = {
  name: 'bench',
  usage: USAGE,
  description: 'Measure training samples/s (fm-convnet, tutorial-cifar, mnist-small) per backend, peak memory and image decoding speed.',
  async run(args, io) {
    const backends = pick<BenchBackend>('backend', flagString(args, 'backend'), BENCH_BACKENDS) ?? DEFAULT_BENCH_OPTIONS.backends;
    const models = pick<BenchModel>('model', flagString(args, 'model'), BENCH_MODELS) ?? DEFAULT_BENCH_OPTIONS.models;
    const json = flagBool(args, 'json');
    const report = await runBench({
      ...DEFAULT_BENCH_OPTIONS,
      backends,
      models,
      groups: flagInt(args, 'groups') ?? DEFAULT_BENCH_OPTIONS.groups,
      threads: flagInt(args, 'threads'),
      images: !flagBool(args, 'no-images'),
      signal: io.signal,
      onProgress: json ? undefined : (line) => io.stderr(line + '\n'),
    });
    io.stdout(json ? JSON.stringify(report, null, 2) + '\n' : formatBenchReport(report));
    if (report.backends.every((b) => b.unavailable !== undefined)) {
      io.stderr('No backend could run; see the reasons above.\n');
      return 1;
    }
    return 0;
  },
};
