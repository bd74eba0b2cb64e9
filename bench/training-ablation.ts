/**
 * What each wasm speed-up gives: runs the training bench (wasm, no images) in a fresh process per
 * configuration, starting with only the kernels needed for correct training and switching the
 * speed-ups on one at a time (CNN_STUDIO_WASM_SKIP). `node --import tsx bench/training-ablation.ts [--groups N]`
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { OPTIONAL_SPEEDUPS, type OptionalSpeedup } from '../src/engine/backend/kernels';
import type { BenchReport } from '../src/engine/bench/runBench';

// The order speed-ups are switched on (each row keeps the previous ones).
const ORDER: readonly OptionalSpeedup[] = ['backpropInput', 'col2im', 'im2col', 'matmul', 'sum', 'identity', 'fusedConv', 'adam'];

function run(skip: readonly OptionalSpeedup[], groups: string): BenchReport {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'run.ts'), '--backend', 'wasm', '--no-images', '--json', '--groups', groups], {
    encoding: 'utf8',
    env: { ...process.env, CNN_STUDIO_WASM_SKIP: skip.join(',') },
  });
  if (child.status !== 0) throw new Error(`bench failed (skip ${skip.join(',')}): ${child.stderr}`);
  return JSON.parse(child.stdout) as BenchReport;
}

const argv = process.argv.slice(2);
const groups = argv[argv.indexOf('--groups') + 1] && argv.includes('--groups') ? argv[argv.indexOf('--groups') + 1]! : '5';
if (OPTIONAL_SPEEDUPS.some((s) => !ORDER.includes(s))) throw new Error('ablation order misses a speed-up');
process.stdout.write(`load average at start ${loadavg().map((v) => v.toFixed(2)).join(' ')}\n`);
process.stdout.write(`${'configuration'.padEnd(28)}${'cifar /s'.padStart(10)}${'cifar /cpu-s'.padStart(14)}${'mnist /s'.padStart(10)}${'mnist /cpu-s'.padStart(14)}   load\n`);
for (let k = 0; k <= ORDER.length; k++) {
  const r = run(ORDER.slice(k), groups);
  const m = (id: string): { samplesPerSec: number; samplesPerCpuSec: number } => r.backends[0]!.models.find((x) => x.model === id)!;
  const label = k === 0 ? 'correctness kernels only' : `+ ${ORDER[k - 1]}`;
  const c = m('tutorial-cifar');
  const n = m('mnist-small');
  process.stdout.write(
    `${label.padEnd(28)}${c.samplesPerSec.toFixed(0).padStart(10)}${c.samplesPerCpuSec.toFixed(0).padStart(14)}` +
      `${n.samplesPerSec.toFixed(0).padStart(10)}${n.samplesPerCpuSec.toFixed(0).padStart(14)}   ${r.machine.loadAverageAfter[0]!.toFixed(1)}\n`,
  );
}
