/**
 * Lets tfjs-backend-wasm's multi-threaded build (XNNPACK with a pthread pool) start under Node.
 *
 * tfjs turns wasm threads off in Node because emscripten's pthread workers are created from Blob URLs,
 * which Node's worker_threads cannot load. Here, only while the backend initialises:
 * - the two Blobs it makes (the module factory, the worker script) are written to temp files and
 *   `URL.createObjectURL` returns those paths;
 * - the factory's source refers to a few module-level names of tfjs-backend-wasm's Node bundle
 *   (`require$$0` = fs, ...); a prelude defines them. The set is checked: an unknown name means a tfjs
 *   version this was not made for, and threads are refused (single thread, with the reason);
 * - `os.cpus()` reports twice the CPUs: the backend caps its pool at half the logical cores (it
 *   assumes hyper-threading), which on a 2-CPU machine would be one thread.
 * Written for @tensorflow/tfjs-backend-wasm 4.22 (package.json pins ^4.22.0; re-check on upgrade).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The real module object (not an import namespace copy): the wasm module calls require('os').cpus().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const os = require('node:os') as typeof import('node:os');

/** What each module-level alias in the factory's source stands for (tfjs-backend-wasm 4.22 node bundle). */
const KNOWN_ALIASES: Readonly<Record<string, string>> = {
  require$$0: "require('fs')",
  require$$1: "require('path')",
  require$$2: "require('worker_threads')",
  require$$3: "require('perf_hooks')",
  require$$4: "require('os')",
};
const FACTORY_PREFIX = 'var WasmBackendModuleThreadedSimd';

export interface ThreadPatch {
  /** Undo the global patches; call right after the backend finished initialising. */
  restore(): void;
  /** Why threads could not be set up (set after init if the factory source was not recognised). */
  problem(): string | undefined;
}

export function patchForWasmThreads(wasmDir: string): ThreadPatch {
  const dir = mkdtempSync(join(os.tmpdir(), 'cnn-studio-wasm-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const OriginalBlob = globalThis.Blob;
  const originalCreate = URL.createObjectURL;
  const originalCpus = os.cpus;
  let mainPath: string | undefined;
  let problem: string | undefined;
  let workers = 0;
  const texts = new WeakMap<Blob, string>();

  type BlobArgs = ConstructorParameters<typeof Blob>;
  class FileBackedBlob extends OriginalBlob {
    constructor(parts?: BlobArgs[0], options?: BlobArgs[1]) {
      super(parts ?? [], options);
      const text = Array.from(parts ?? [], (p) => (typeof p === 'string' ? p : '')).join('');
      texts.set(this, text);
      if (text.startsWith(FACTORY_PREFIX)) mainPath = writeFactory(dir, text, wasmDir, (p) => (problem = p));
    }
  }
  globalThis.Blob = FileBackedBlob as typeof Blob;
  URL.createObjectURL = (obj: Blob): string => {
    const text = obj instanceof OriginalBlob ? texts.get(obj) : undefined;
    if (text === undefined) return originalCreate(obj);
    if (text.startsWith(FACTORY_PREFIX)) return mainPath ?? '';
    // The pthread worker script: inside the worker, createObjectURL(mainBlob) must give the main file.
    const file = join(dir, `worker${workers++}.js`);
    writeFileSync(file, `URL.createObjectURL = () => ${JSON.stringify(mainPath ?? '')};\n${text}`);
    return file;
  };
  os.cpus = () => originalCpus().concat(originalCpus());
  return {
    restore(): void {
      globalThis.Blob = OriginalBlob;
      URL.createObjectURL = originalCreate;
      os.cpus = originalCpus;
    },
    problem: () => problem,
  };
}

function writeFactory(dir: string, text: string, wasmDir: string, fail: (why: string) => void): string | undefined {
  const used = new Set(text.match(/require\$\$\d+/g) ?? []);
  const unknown = [...used].filter((a) => !(a in KNOWN_ALIASES));
  if (unknown.length) {
    fail(`the wasm module refers to ${unknown.join(', ')}, unknown to this version of CNN Studio`);
    return undefined;
  }
  const prelude =
    [...used].map((a) => `var ${a} = ${KNOWN_ALIASES[a]};`).join('\n') +
    `\nvar commonjsGlobal = globalThis;\nvar __dirname = ${JSON.stringify(wasmDir)};\n`;
  const file = join(dir, 'main.js');
  writeFileSync(file, prelude + text);
  return file;
}

interface PThreadRegistry {
  runningWorkers?: Array<{ unref?: () => void }>;
  unusedWorkers?: Array<{ unref?: () => void }>;
}

/**
 * XNNPACK's pool threads are pthreads that run for the life of the module, and emscripten keeps their
 * Node workers ref'd, so the process would never exit by itself. They hold no work of ours between
 * kernel calls: unref them so the CLI and the engine exit normally.
 */
export function unrefWasmWorkers(wasmModule: unknown): number {
  const registry = (wasmModule as { PThread?: PThreadRegistry }).PThread;
  const workers = [...(registry?.runningWorkers ?? []), ...(registry?.unusedWorkers ?? [])];
  for (const w of workers) w.unref?.();
  return workers.length;
}
