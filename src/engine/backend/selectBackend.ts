/**
 * Chooses and starts the tfjs compute backend, and hands the rest of the engine ONE tfjs namespace.
 *
 * Contract (the trainer, the bench and the engine process code against this):
 * - `await initBackend(pref)` once at start-up, BEFORE building any model or tensor. It resolves to a
 *   `BackendInfo` saying what runs. `pref`:
 *     'auto'       `tensorflow` (native libtensorflow through the optional `@tensorflow/tfjs-node`) when it
 *                  loads, else `webgpu` on a hardware GPU adapter (Dawn through the optional `webgpu`
 *                  package; webgpuBackend.ts), else `native`, else `wasm` (XNNPACK + our training kernels),
 *                  else pure-JS `cpu`; `fallbackReason` says why a faster backend was skipped.
 *     'native'     the wasm backend (single-threaded) with its heavy kernels (convolutions, GEMMs, Adam,
 *                  MaxPoolGrad) run by our N-API addon on OpenBLAS, in place on the wasm heap (native/).
 *     'tensorflow' | 'webgpu' | 'native' | 'wasm' | 'cpu'   exactly that backend, or a
 *                  `BackendUnavailableError` (userFacing) whose message names the fix. There is no silent
 *                  fallback for an explicit choice. An explicit 'webgpu' also takes a software adapter, and
 *                  says so in `warning`; once the GPU device was lost in this process it goes on down the
 *                  chain like 'auto'.
 * - `getTf()` returns the namespace to use for EVERYTHING afterwards (layers, ops, tensors). Other engine
 *   files must not import values from '@tensorflow/tfjs' (type-only imports are fine): when tfjs-node is
 *   active, its tensors belong to its own copy of tfjs-core, loaded from node_modules, and mixing that
 *   with the copy bundled into dist/*.js fails in confusing ways. Before `initBackend` it returns the
 *   bundled namespace (enough for pure shape work, no kernels needed).
 * - Calling `initBackend` again switches backend; models and tensors made before the switch must not be
 *   reused after it (they live in the old backend or even the old namespace).
 * - `initBackend(pref, { threads })`: XNNPACK threads for wasm (default `defaultWasmThreads()`). Takes
 *   effect only the first time wasm starts in a process; `BackendInfo.threads` reports what actually runs.
 *   On a machine whose cores are busy with other work, 1 thread is as fast and wastes less CPU (see bench/).
 * - `initBackend(pref, { nativeThreads })`: a limit on the OpenBLAS threads of `native` (default: env
 *   CNN_STUDIO_NATIVE_THREADS, else the physical cores this process may use, fewer while other processes
 *   keep them busy: native/threadPolicy.ts). Idle OpenBLAS threads sleep instead of spinning.
 * - Diagnostics: env CNN_STUDIO_WASM_SKIP=im2col,adam,... switches our wasm speed-ups off one by one
 *   (kernels/index.ts OPTIONAL_SPEEDUPS; bench/training-ablation.ts uses it). Never needed for correctness.
 *
 * Where the wasm binaries come from: next to the bundle (`dist/wasm/`, copied by scripts/build.mjs) when
 * running `dist/engine.js` or `dist/cli.js`, else the installed `@tensorflow/tfjs-backend-wasm/dist/`
 * (tests and tools run from source with tsx).
 */
import * as bundledTf from '@tensorflow/tfjs';
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { OPTIONAL_SPEEDUPS, registerTrainingKernels, type OptionalSpeedup } from './kernels';
import { registerCpuResizeGradFixes } from './kernels/cpuResizeGradFixes';
import { registerDilatedConvGradient } from './kernels/dilatedConvGradient';
import { loadNative } from './native/loadNative';
import { registerNativeKernels, setNativeKernelsActive } from './native/nativeKernels';
import { patchForWasmThreads, unrefWasmWorkers, type ThreadPatch } from './wasmThreads';
import type { Tf } from './tfNamespace';
import { startWebgpu } from './webgpuBackend';
import { BACKEND_PREFERENCES, describeGpuAdapter, type BackendPreference, type EngineBackendInfo, type GpuAdapterDescription } from '../../protocol/engine';
import { UserFacingError } from '../../core/userFacingError';

export type { Tf } from './tfNamespace';
export type { GpuAdapterDescription };
export { BACKEND_PREFERENCES, type BackendPreference };
/** What runs: the protocol's type, which the engine reports as is. */
export type BackendInfo = EngineBackendInfo;

/** A backend the user asked for cannot start. The message says what to do. */
export class BackendUnavailableError extends UserFacingError {
  constructor(
    readonly backend: BackendPreference,
    message: string,
  ) {
    super(message, 'BackendUnavailableError');
  }
}

const WASM_SIMD_BINARY = 'tfjs-backend-wasm-simd.wasm';

let activeTf: Tf = bundledTf;
let activeInfo: BackendInfo | undefined;
let wasmPathsSet = false;
let kernelsRegistered = false;

/** The tfjs namespace of the active backend (see the contract above). */
export function getTf(): Tf {
  return activeTf;
}

/** What `initBackend` last started, or undefined before it ran. */
export function getBackendInfo(): BackendInfo | undefined {
  return activeInfo;
}

export interface BackendOptions {
  /**
   * wasm only: compute threads for XNNPACK (1 = the single-threaded SIMD build). More than 1 starts
   * tfjs' threaded build, which tfjs does not support under Node; see wasmThreads.ts.
   */
  threads?: number;
  /** native only: a limit on OpenBLAS threads (default: env CNN_STUDIO_NATIVE_THREADS, else the physical cores, fewer under load). */
  nativeThreads?: number;
}

/**
 * wasm threads when the user did not choose: tfjs' own policy for its wasm backend, half the logical
 * CPUs, at least 1, at most 4. Why not all cores: on a quiet 2-core machine 2 threads train faster
 * (`cnn-studio bench --backend wasm --no-images --threads 2` vs `--threads 1`: tutorial-cifar 727 vs
 * 577 samples/s, mnist-small 6,255 vs 5,553), but when other processes keep the cores busy the extra
 * threads make training slower. So a 2-core machine keeps 1 thread unless asked (`--threads`,
 * setting `cnnStudio.wasmThreads`).
 */
export function defaultWasmThreads(cpus: number = availableParallelism()): number {
  return Math.min(4, Math.max(1, Math.floor(cpus / 2)));
}

export async function initBackend(pref: BackendPreference, options: BackendOptions = {}): Promise<BackendInfo> {
  if (!BACKEND_PREFERENCES.includes(pref)) {
    throw new BackendUnavailableError(pref, `Unknown backend '${String(pref)}': choose one of ${BACKEND_PREFERENCES.join(', ')}.`);
  }
  const threads = options.threads ?? defaultWasmThreads();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new BackendUnavailableError(pref, `wasm threads must be a whole number ≥ 1, got ${String(options.threads)}; leave it unset for the default (${defaultWasmThreads()} here).`);
  }
  registerCpuResizeGradFixes(bundledTf);
  const skipped: string[] = [];
  if (pref === 'tensorflow' || pref === 'auto') {
    const loaded = loadTfjsNode();
    if (loaded.ok) {
      const tf = loaded.tf;
      if (await tf.setBackend('tensorflow')) {
        await tf.ready();
        return activate(tf, { name: 'tensorflow', tfjsVersion: tf.version_core, threads: availableParallelism(), simd: true });
      }
      loaded.reason = 'loaded, but its tensorflow backend did not start';
    }
    if (pref === 'tensorflow') {
      throw new BackendUnavailableError(
        'tensorflow',
        `The 'tensorflow' backend needs @tensorflow/tfjs-node, which ${loaded.reason}: run \`npm i @tensorflow/tfjs-node\` ` +
          `in the extension folder (it downloads libtensorflow, so it needs internet) or choose backend 'wasm'.`,
      );
    }
    skipped.push(`tensorflow: @tensorflow/tfjs-node ${loaded.reason}`);
  }
  // After a GPU device loss an explicit 'webgpu' goes on down the chain like 'auto' (the run that lost
  // the device already told the user why).
  let downTheChain = pref === 'auto';
  if (pref === 'webgpu' || pref === 'auto') {
    const started = await startWebgpu(bundledTf, pref === 'webgpu');
    if (started.ok) return activate(bundledTf, webgpuInfo(started.adapter, fallback(skipped)));
    if (pref === 'webgpu' && !started.lost) {
      throw new BackendUnavailableError(
        'webgpu',
        `The 'webgpu' backend could not start: ${started.reason}. Install the GPU's driver (Vulkan on Linux) and the ` +
          `optional package \`webgpu\` (\`npm i webgpu\` in the extension folder), or choose backend 'wasm'.`,
      );
    }
    downTheChain = true;
    skipped.push(`webgpu: ${started.reason}`);
  }
  if (pref === 'native' || downTheChain) {
    const started = await startNative(options.nativeThreads ?? nativeThreadsFromEnv());
    if (started.ok) return activate(bundledTf, { ...started.info, fallbackReason: fallback(skipped) });
    if (pref === 'native') {
      throw new BackendUnavailableError(
        'native',
        `The 'native' backend could not start: ${started.reason}. Choose backend 'wasm' (slower, works everywhere).`,
      );
    }
    skipped.push(`native: ${started.reason}`);
  }
  setNativeKernelsActive(false);
  if (pref === 'wasm' || downTheChain) {
    const started = await startWasm(threads);
    if (started.ok) return activate(bundledTf, { ...started.info, fallbackReason: fallback(skipped) });
    if (pref === 'wasm') {
      throw new BackendUnavailableError(
        'wasm',
        `The 'wasm' backend could not start: ${started.reason}. Rebuild with \`npm run build\` (it copies the .wasm ` +
          `binaries to dist/wasm) or reinstall the extension; or choose backend 'cpu' (much slower).`,
      );
    }
    skipped.push(`wasm: ${started.reason}`);
  }
  if (!(await bundledTf.setBackend('cpu'))) {
    throw new BackendUnavailableError('cpu', "The 'cpu' backend did not start; reinstall the extension.");
  }
  await bundledTf.ready();
  return activate(bundledTf, { name: 'cpu', tfjsVersion: bundledTf.version_core, threads: 1, simd: false, fallbackReason: fallback(skipped) });
}

function webgpuInfo(adapter: GpuAdapterDescription, fallbackReason: string | undefined): BackendInfo {
  return {
    name: 'webgpu',
    tfjsVersion: bundledTf.version_core,
    threads: 1,
    simd: false,
    adapter,
    ...(fallbackReason ? { fallbackReason } : {}),
    ...(adapter.software ? { warning: `webgpu runs on a software adapter, ${describeGpuAdapter(adapter)}: it computes on the CPU and trains slower than wasm.` } : {}),
  };
}

function fallback(skipped: string[]): string | undefined {
  return skipped.length ? skipped.join('; ') : undefined;
}

function activate(tf: Tf, info: BackendInfo): BackendInfo {
  // PROD mode drops debug checks and the "install tfjs-node" console banner of the cpu backend.
  tf.enableProdMode();
  registerDilatedConvGradient(tf);
  activeTf = tf;
  activeInfo = info.fallbackReason === undefined ? omitFallback(info) : info;
  return activeInfo;
}

function omitFallback(info: BackendInfo): BackendInfo {
  const { fallbackReason: _unused, ...rest } = info;
  return rest;
}

type TfjsNodeLoad = { ok: true; tf: Tf; reason?: string } | { ok: false; reason: string };

/** tfjs-node is optional and kept out of the bundle: load it from node_modules if it is there and works. */
function loadTfjsNode(): TfjsNodeLoad {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tf = require('@tensorflow/tfjs-node') as Tf;
    return { ok: true, tf };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && String(e.message).includes("'@tensorflow/tfjs-node'")) {
      return { ok: false, reason: 'is not installed' };
    }
    return { ok: false, reason: `is installed but failed to load (${firstLine(e.message)})` };
  }
}

/** The wasm backend, single-threaded, with the native addon's kernels over its heavy ones. */
async function startNative(nativeThreads: number | undefined): Promise<WasmStart> {
  if (nativeThreads !== undefined && (!Number.isInteger(nativeThreads) || nativeThreads < 1)) {
    throw new BackendUnavailableError('native', `native threads must be a whole number ≥ 1, got ${String(nativeThreads)}; leave it unset for the physical cores.`);
  }
  if (bundledTf.findBackend('wasm') !== null && tfWasm.getThreadsCount() > 1) {
    return { ok: false, reason: 'wasm already runs multi-threaded in this process, and native kernels need its single-threaded heap' };
  }
  const native = loadNative(nativeThreads);
  if (!native.ok) return native;
  const wasm = await startWasm(1);
  if (!wasm.ok) return wasm;
  registerNativeKernels(bundledTf, native);
  setNativeKernelsActive(true);
  const { library, coreType, threads } = native.info;
  return { ok: true, info: { ...wasm.info, name: 'native', threads, kernels: `${library} ${coreType}` } };
}

function nativeThreadsFromEnv(): number | undefined {
  const v = process.env['CNN_STUDIO_NATIVE_THREADS'];
  return v === undefined || v === '' ? undefined : Number(v);
}

type WasmStart = { ok: true; info: BackendInfo } | { ok: false; reason: string };

async function startWasm(threads: number): Promise<WasmStart> {
  const dir = findWasmDir();
  if (!wasmPathsSet) {
    if (!dir) return { ok: false, reason: `${WASM_SIMD_BINARY} was found neither in ${wasmDirCandidates().join(' nor in ')}` };
    // The prefix is concatenated with the file name, so it needs the trailing separator.
    tfWasm.setWasmPaths(dir.endsWith('/') ? dir : dir + '/');
    wasmPathsSet = true;
  }
  let threadPatch: ThreadPatch | undefined;
  if (threads > 1 && bundledTf.findBackend('wasm') === null && dir) {
    bundledTf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    tfWasm.setThreadsCount(threads);
    threadPatch = patchForWasmThreads(dir);
  }
  if (!kernelsRegistered) {
    // Before setBackend: the backend runs each kernel's setup when it initialises.
    registerTrainingKernels(bundledTf, speedupsToSkip());
    kernelsRegistered = true;
  }
  const listenersBefore = processErrorListeners();
  try {
    if (!(await bundledTf.setBackend('wasm'))) return { ok: false, reason: 'the backend failed to initialise' };
    await bundledTf.ready();
  } catch (err) {
    return { ok: false, reason: firstLine(err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err)) };
  } finally {
    threadPatch?.restore();
    removeListenersAddedSince(listenersBefore);
  }
  if (threadPatch) unrefWasmWorkers((bundledTf.backend() as tfWasm.BackendWasm).wasm);
  const threadProblem = threadPatch?.problem();
  if (threadProblem) return { ok: false, reason: `wasm threads could not start: ${threadProblem}; use 1 thread` };
  const simd = Boolean(await bundledTf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return { ok: true, info: { name: 'wasm', tfjsVersion: bundledTf.version_core, threads: tfWasm.getThreadsCount(), simd } };
}

const ERROR_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
type ErrorEvent = (typeof ERROR_EVENTS)[number];
type AnyListener = (...args: unknown[]) => void;

function listenersOf(e: ErrorEvent): AnyListener[] {
  return (process as unknown as { listeners(e: string): AnyListener[] }).listeners(e);
}

function processErrorListeners(): Map<ErrorEvent, Set<AnyListener>> {
  return new Map(ERROR_EVENTS.map((e) => [e, new Set(listenersOf(e))]));
}

/**
 * The emscripten module installs process-wide handlers that rethrow every uncaught error, so Node prints
 * the offending line of the minified wasm glue (tens of kB) instead of our error. The engine and the
 * CLI handle their own errors; drop those handlers.
 */
function removeListenersAddedSince(before: Map<ErrorEvent, Set<AnyListener>>): void {
  for (const e of ERROR_EVENTS) {
    for (const l of listenersOf(e)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
}

/** Diagnostics only: CNN_STUDIO_WASM_SKIP=im2col,adam,... turns speed-ups off to measure each one. */
function speedupsToSkip(): Set<OptionalSpeedup> {
  const names = (process.env['CNN_STUDIO_WASM_SKIP'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !OPTIONAL_SPEEDUPS.includes(n as OptionalSpeedup));
  if (unknown.length) throw new BackendUnavailableError('wasm', `CNN_STUDIO_WASM_SKIP: unknown speed-up(s) ${unknown.join(', ')}; known: ${OPTIONAL_SPEEDUPS.join(', ')}.`);
  return new Set(names as OptionalSpeedup[]);
}

/** Directories that may hold the .wasm binaries, best first. */
function wasmDirCandidates(): string[] {
  const dirs = [join(__dirname, 'wasm')]; // dist/engine.js, dist/cli.js -> dist/wasm
  try {
    dirs.push(dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))); // .../tfjs-backend-wasm/dist
  } catch {
    // not resolvable from here (packaged without node_modules): dist/wasm is the only place
  }
  return dirs;
}

function findWasmDir(): string | undefined {
  return wasmDirCandidates().find((d) => existsSync(join(d, WASM_SIMD_BINARY)));
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
