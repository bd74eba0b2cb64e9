/**
 * `npm run bench [-- --backend wasm] [-- --threads 2] [-- --json] [-- --no-images] [-- --no-torch]`: training
 * samples/s of the bench nets (src/engine/bench/benchModels.ts) on each backend, peak memory and
 * image-loading speed. The implementation is shared with `cnn-studio bench` (src/engine/bench/runBench.ts).
 * When a python3 with torch is installed, PyTorch trains the same nets before AND after ours (the machine
 * may be shared: the median of both rounds is the reference) and the ratio ours/PyTorch is printed per
 * net and backend.
 */
import { median } from '../src/engine/bench/trainingThroughput';
import { BENCH_BACKENDS, DEFAULT_BENCH_OPTIONS, formatBenchReport, runBench, type BenchBackend, type BenchReport } from '../src/engine/bench/runBench';
import { findTorchPython, measureTorch, torchEnv, type TorchFigure } from './pytorchReference';

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
  const models = DEFAULT_BENCH_OPTIONS.models;
  const python = argv.includes('--no-torch') ? undefined : findTorchPython();
  const torchRounds: TorchFigure[][] = [];
  const torchRound = (): void => {
    if (!python) return;
    if (!json) process.stderr.write(`pytorch (OPENBLAS_CORETYPE=${torchEnv()['OPENBLAS_CORETYPE'] ?? 'its own'}): training ${models.join(', ')}…\n`);
    torchRounds.push(measureTorch(python, models, 3));
  };
  torchRound();
  const report = await runBench({
    ...DEFAULT_BENCH_OPTIONS,
    threads: threadsArg ? Number(threadsArg) : undefined,
    groups: groupsArg ? Number(groupsArg) : DEFAULT_BENCH_OPTIONS.groups,
    backends: backendArg ? [backendArg as BenchBackend] : DEFAULT_BENCH_OPTIONS.backends,
    images: !argv.includes('--no-images'),
    onProgress: json ? undefined : (line) => process.stderr.write(line + '\n'),
  });
  torchRound();
  const torch = mergeRounds(torchRounds);
  process.stdout.write(json ? JSON.stringify({ ...report, pytorch: torch }, null, 2) + '\n' : formatBenchReport(report) + formatRatios(report, torch, python));
}

/** One figure per net: the median over the groups of every round. */
function mergeRounds(rounds: TorchFigure[][]): TorchFigure[] {
  const first = rounds[0] ?? [];
  return first.map((f) => {
    const all = rounds.map((r) => r.find((g) => g.net === f.net)).filter((g): g is TorchFigure => g !== undefined);
    return {
      ...f,
      groups: all.flatMap((g) => g.groups),
      samplesPerSec: median(all.flatMap((g) => g.groups)),
      samplesPerCpuSec: median(all.map((g) => g.samplesPerCpuSec)),
    };
  });
}

function formatRatios(report: BenchReport, torch: TorchFigure[], python: string | undefined): string {
  if (!python) return '\nPyTorch: not measured (no python3 with torch; Debian: apt install python3-torch).\n';
  const lines = ['', `PyTorch ${torch[0]?.torch ?? ''} (${python}, ${torch[0]?.threads ?? '?'} thread(s), OPENBLAS_CORETYPE=${torchEnv()['OPENBLAS_CORETYPE'] ?? 'its own'}), same run:`];
  lines.push(`${'model'.padEnd(16)}${'PyTorch/s'.padStart(11)}${'per CPU-s'.padStart(11)}  ours/PyTorch per backend (wall; per CPU-s)`);
  for (const t of torch) {
    const ratios = report.backends
      .filter((b) => !b.unavailable)
      .map((b) => {
        const m = b.models.find((x) => x.model === t.net);
        return m ? `${b.backend} ${(m.samplesPerSec / t.samplesPerSec).toFixed(2)}; ${(m.samplesPerCpuSec / t.samplesPerCpuSec).toFixed(2)}` : undefined;
      })
      .filter(Boolean);
    lines.push(`${t.net.padEnd(16)}${t.samplesPerSec.toFixed(1).padStart(11)}${t.samplesPerCpuSec.toFixed(1).padStart(11)}  ${ratios.join('   ')}`);
  }
  return lines.join('\n') + '\n';
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
