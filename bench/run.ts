/**
 * `npm run bench [-- --backend wasm] [-- --threads 2] [-- --json] [-- --no-images]`: training samples/s of the
 * tutorial-cifar and mnist-small templates on each backend, peak memory and image-loading speed.
 * The implementation is shared with `cnn-studio bench` (src/engine/bench/runBench.ts).
 */
import { BENCH_BACKENDS, DEFAULT_BENCH_OPTIONS, formatBenchReport, runBench, type BenchBackend } from '../src/engine/bench/runBench';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const flagValue = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const backendArg = flagValue('backend');
  if (backendArg !== undefined && !BENCH_BACKENDS.includes(backendArg as BenchBackend)) {
    throw new Error(`--backend must be one of ${BENCH_BACKENDS.join(', ')}, got '${backendArg}'`);
  }
  const threadsArg = flagValue('threads');
  const groupsArg = flagValue('groups');
  const report = await runBench({
    ...DEFAULT_BENCH_OPTIONS,
    threads: threadsArg ? Number(threadsArg) : undefined,
    groups: groupsArg ? Number(groupsArg) : DEFAULT_BENCH_OPTIONS.groups,
    backends: backendArg ? [backendArg as BenchBackend] : DEFAULT_BENCH_OPTIONS.backends,
    images: !argv.includes('--no-images'),
    onProgress: json ? undefined : (line) => process.stderr.write(line + '\n'),
  });
  process.stdout.write(json ? JSON.stringify(report, null, 2) + '\n' : formatBenchReport(report));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
