/**
 * PyTorch's samples/s for the bench nets, measured by bench/pytorch_reference.py in a child process, so
 * `npm run bench` prints CNN Studio / PyTorch per net and backend from the same run. PyTorch gets
 * OpenBLAS's best kernels for this CPU (the same OPENBLAS_CORETYPE our native kernels choose; Debian's
 * OpenBLAS misdetects new CPUs) and its default threads. Skipped when no python3 can import torch.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bestOpenBlasCore, readCpuFeatures } from '../src/engine/backend/native/cpuFeatures';

export interface TorchFigure {
  net: string;
  samplesPerSec: number;
  samplesPerCpuSec: number;
  groups: number[];
  threads: number;
  torch: string;
}

/** The first python3 that imports torch (Debian's python3-torch is under /usr/bin/python3). */
export function findTorchPython(): string | undefined {
  const candidates = [process.env['CNN_STUDIO_PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p));
  return candidates.find((py) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

export function torchEnv(): NodeJS.ProcessEnv {
  const core = bestOpenBlasCore(readCpuFeatures().flags);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (core) env['OPENBLAS_CORETYPE'] = core;
  else delete env['OPENBLAS_CORETYPE'];
  return env;
}

export function measureTorch(python: string, nets: readonly string[], groups: number): TorchFigure[] {
  const r = spawnSync(python, [join(__dirname, 'pytorch_reference.py'), ...nets, '--groups', String(groups)], { env: torchEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pytorch_reference.py failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as TorchFigure);
}
