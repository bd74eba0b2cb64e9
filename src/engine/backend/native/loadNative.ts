/**
 * Loads CNN Studio's native kernel addon (native/src/cnn_native.cc, built by `npm run build` with
 * node-gyp against the system OpenBLAS) and configures OpenBLAS BEFORE it loads: the core type (see
 * cpuFeatures.ts) and threads are read from the environment when the library initialises, so they are set
 * in this process's environment first. Never throws: a missing addon or library is a reason, and the
 * engine then runs on plain wasm.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bestOpenBlasCore, cpuRunsOpenBlasCore, readCpuFeatures } from './cpuFeatures';
import { NativeThreadPolicy } from './threadPolicy';

export interface NativeAddon {
  info(): { library: string; coreName: string; config: string; threads: number };
  setThreads(n: number): void;
  gemm(
    heap: ArrayBuffer, batch: number, m: number, n: number, k: number,
    aOff: number, aStride: number, transA: number, bOff: number, bStride: number, transB: number,
    cOff: number, biasOff: number, relu: number,
  ): void;
  conv2d(heap: ArrayBuffer, mode: 0 | 1 | 2, geom: number[], xOff: number, wOff: number, yOff: number, biasOff: number, relu: number): void;
  adam(
    heap: ArrayBuffer, n: number, wOff: number, mOff: number, vOff: number, gOff: number, w2Off: number, m2Off: number, v2Off: number,
    beta1: number, beta2: number, lr: number, c1: number, c2: number, eps: number,
  ): void;
  maxPoolGrad(heap: ArrayBuffer, geom: number[], xOff: number, dyOff: number, dxOff: number): void;
  reluBiasGrad(heap: ArrayBuffer, rows: number, channels: number, dyOff: number, yOff: number, dyActOff: number, dBiasOff: number, relu: number): void;
}

export interface NativeInfo {
  /** The BLAS the kernels run on, e.g. "OpenBLAS". */
  library: string;
  /** The kernel set the BLAS runs, e.g. "SkylakeX". */
  coreType: string;
  /** The most threads the kernels use (fewer while other processes keep cores busy, see threadPolicy.ts). */
  threads: number;
}

export interface NativeKernelsLoaded {
  ok: true;
  addon: NativeAddon;
  info: NativeInfo;
  /** Replaced by each `loadNative(threads)` call. */
  policy: NativeThreadPolicy;
}

export type NativeLoad = NativeKernelsLoaded | { ok: false; reason: string };

const ADDON_FILE = 'cnn_native.node';

/** Where the addon may be, best first: next to the bundle (dist/native/), then the node-gyp output. */
function addonCandidates(): string[] {
  return [join(__dirname, 'native', ADDON_FILE), join(__dirname, '..', '..', '..', '..', 'native', 'build', 'Release', ADDON_FILE)];
}

let loaded: NativeLoad | undefined;

/**
 * The addon, loaded once per process. `threads` = the user's limit on OpenBLAS threads (used as it is);
 * undefined = the physical cores this process may use, fewer while other processes keep them busy.
 */
export function loadNative(threads?: number): NativeLoad {
  loaded ??= load(threads);
  if (loaded.ok) {
    const l = loaded;
    const max = threads ?? readCpuFeatures().physicalCores;
    l.addon.setThreads(max);
    l.info.threads = max;
    l.policy = new NativeThreadPolicy(max, threads !== undefined, (n) => l.addon.setThreads(n));
  }
  return loaded;
}

/** The OpenBLAS core type to force: the user's if the CPU runs it, else the best for the CPU's flags. */
export function chooseCoreType(requested: string | undefined, flags: ReadonlySet<string>): string | undefined {
  if (requested && cpuRunsOpenBlasCore(requested, flags)) return requested;
  return bestOpenBlasCore(flags);
}

function load(threads: number | undefined): NativeLoad {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { ok: false, reason: `no native kernels are built for ${process.platform}-${process.arch} yet` };
  }
  const file = addonCandidates().find((f) => existsSync(f));
  if (!file) return { ok: false, reason: `${ADDON_FILE} is not built (npm run build builds it when libopenblas-dev is installed)` };
  const cpu = readCpuFeatures();
  const n = threads ?? cpu.physicalCores;
  const env = process.env;
  // Our own choice, not a machine-wide OPENBLAS_CORETYPE (often set for another program or an older CPU:
  // this machine's environment says Haswell, 1.5x slower here than SkylakeX). An explicit
  // CNN_STUDIO_OPENBLAS_CORETYPE wins, but only if this CPU runs it: a wrong one dies of SIGILL mid-run.
  const chosen = chooseCoreType(env['CNN_STUDIO_OPENBLAS_CORETYPE'], cpu.flags);
  if (chosen) env['OPENBLAS_CORETYPE'] = chosen;
  else delete env['OPENBLAS_CORETYPE'];
  env['OPENBLAS_NUM_THREADS'] = String(n);
  // Idle OpenBLAS threads spin for 2^28 cycles by default before sleeping, burning a core another
  // process could use; 2^4 cycles makes them sleep at once (measured no slower on our nets).
  env['OPENBLAS_THREAD_TIMEOUT'] ??= '4';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(file) as NativeAddon;
    addon.setThreads(n);
    const i = addon.info();
    return { ok: true, addon, info: { library: i.library, coreType: i.coreName, threads: n }, policy: new NativeThreadPolicy(n, true, () => undefined) };
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    return { ok: false, reason: `${ADDON_FILE} did not load (${msg}); install libopenblas0 (Debian/Ubuntu: apt install libopenblas0-pthread)` };
  }
}
