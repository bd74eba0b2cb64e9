/**
 * What this CPU can run, read from the OS, so that the native kernels pick the BLAS kernels the CPU really
 * has. Debian's OpenBLAS 0.3.21 detects CPUs newer than itself wrongly (a Sapphire Rapids Xeon as
 * "Prescott" = SSE3, an AVX-512 EPYC as "Haswell" = AVX2), which costs 2-4x on every GEMM; its detection is
 * overridden with OPENBLAS_CORETYPE, but only ever to a core type whose instructions the CPU reports.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface CpuFeatures {
  /** Instruction-set flags as the kernel reports them (Linux /proc/cpuinfo "flags"); empty when unknown. */
  flags: ReadonlySet<string>;
  /** Physical cores this process may use (hyper-threads not counted); at least 1. */
  physicalCores: number;
}

/**
 * OpenBLAS core types we may choose, best first, with the flags each one's kernels execute. Only sgemm
 * matters here; SkylakeX's kernels need AVX-512 F/CD/BW/DQ/VL, Haswell's AVX2 + FMA.
 */
const OPENBLAS_CORES: ReadonlyArray<{ core: string; needs: readonly string[] }> = [
  { core: 'SkylakeX', needs: ['avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl', 'avx2', 'fma'] },
  { core: 'Haswell', needs: ['avx2', 'fma'] },
  { core: 'Sandybridge', needs: ['avx'] },
];

/** The best OpenBLAS core type for these flags, or undefined (leave OpenBLAS's own detection). */
export function bestOpenBlasCore(flags: ReadonlySet<string>): string | undefined {
  return OPENBLAS_CORES.find((c) => c.needs.every((f) => flags.has(f)))?.core;
}

/** Whether the CPU has every instruction that OpenBLAS core type `core` uses (unknown types: false). */
export function cpuRunsOpenBlasCore(core: string, flags: ReadonlySet<string>): boolean {
  const entry = OPENBLAS_CORES.find((c) => c.core.toLowerCase() === core.toLowerCase());
  return entry !== undefined && entry.needs.every((f) => flags.has(f));
}

/** Parses /proc/cpuinfo text: the first "flags" line and the distinct (physical id, core id) pairs. */
export function parseCpuInfo(text: string, usableCpus: number = availableParallelism()): CpuFeatures {
  const flagsLine = /^flags\s*:(.*)$/m.exec(text)?.[1] ?? '';
  const flags = new Set(flagsLine.trim().split(/\s+/).filter(Boolean));
  const cores = new Set<string>();
  let logical = 0;
  for (const block of text.split(/\n\s*\n/)) {
    if (!/^processor\s*:/m.test(block)) continue;
    logical++;
    const phys = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1] ?? '0';
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    cores.add(core === undefined ? `cpu${logical}` : `${phys}:${core}`);
  }
  // Hyper-threads share a core's FMA units: a BLAS thread per physical core is as fast and competes less.
  const threadsPerCore = logical > 0 && cores.size > 0 ? Math.max(1, Math.round(logical / cores.size)) : 1;
  const physicalCores = Math.max(1, Math.floor(usableCpus / threadsPerCore));
  return { flags, physicalCores };
}

export function readCpuFeatures(): CpuFeatures {
  try {
    return parseCpuInfo(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    // Not Linux: no flags, so no core type is forced; threads = the CPUs this process may use.
    return { flags: new Set(), physicalCores: Math.max(1, availableParallelism()) };
  }
}
