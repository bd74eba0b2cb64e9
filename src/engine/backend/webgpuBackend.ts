/**
 * Starts tfjs' WebGPU backend in Node through Dawn (the optional npm package `webgpu`, which carries a
 * prebuilt `dawn.node` per platform). Everything here is loaded lazily: `webgpu` only when this backend is
 * tried, `@tensorflow/tfjs-backend-webgpu` only after `navigator.gpu` exists (the package registers its
 * backend at import time only when it sees `navigator.gpu`).
 *
 * Software adapters (Mesa's llvmpipe/lavapipe, SwiftShader, Microsoft's WARP) compute correctly but are far
 * slower than the wasm backend, so `auto` refuses them; an explicit `webgpu` accepts them with a warning
 * (that is how CI tests the kernels on a machine without a GPU).
 *
 * A GPU device can be lost (driver reset, GPU removed, out of memory). tfjs has no recovery for that, so
 * the loss is remembered for the life of the process: the current run stops with `gpuLossError()` and
 * later starts of this backend are refused, so `auto` falls back to wasm.
 */
import { pathToFileURL } from 'node:url';
import type { Tf } from './tfNamespace';
import { EngineUserError } from '../data/errors';
import { describeGpuAdapter, type GpuAdapterDescription } from '../../protocol/engine';

export type { GpuAdapterDescription };

/** `lost`: refused because the device was lost earlier in this process (the caller falls back). */
export type WebgpuStart = { ok: true; adapter: GpuAdapterDescription } | { ok: false; reason: string; lost?: true };

/** The parts of Dawn's GPU objects used here (the full WebGPU types are not needed by the rest of the engine). */
interface DawnAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  readonly device: string;
  readonly isFallbackAdapter?: boolean;
}
interface DawnAdapter {
  readonly info: DawnAdapterInfo;
}
interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<DawnAdapter | null>;
}
interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}
interface DawnDeviceLostInfo {
  readonly reason: string;
  readonly message: string;
}
interface WebgpuBackendHandle {
  readonly device: { readonly lost: Promise<DawnDeviceLostInfo> };
}

/** Names of software rasterisers as drivers report them (adapter description or device name). */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|\bwarp\b|microsoft basic render/i;

let gpu: DawnGpu | undefined;
let lostReason: string | undefined;
let kernelsRegistered = false;
let watching = false;

/** Whether an adapter is emulated on the CPU. */
export function isSoftwareAdapter(info: Pick<DawnAdapterInfo, 'architecture' | 'description' | 'device'> & { isFallbackAdapter?: boolean }): boolean {
  return info.architecture === 'software' || info.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(`${info.description} ${info.device}`);
}

/** Set once the GPU device of this process was lost; the run in progress must stop. */
export function gpuLostReason(): string | undefined {
  return lostReason;
}

/** The GPU device was lost while a run used it. */
export class GpuDeviceLostError extends EngineUserError {
  constructor(reason: string) {
    super(
      'backend',
      `The GPU device was lost during training (${reason}); the run stopped at its last checkpoint. ` +
        `The next run of this engine uses wasm; reload the window to try the GPU again.`,
    );
  }
}

/** Throws GpuDeviceLostError when the device is gone (after a training step; synchronous, no wait). */
export function throwIfGpuLost(): void {
  if (lostReason) throw new GpuDeviceLostError(lostReason);
}

/**
 * What to throw for an error out of a training step: reading from a lost device fails with Dawn's own
 * message, and the loss itself is reported a moment later, so wait for it briefly before deciding.
 */
export async function gpuLossOr(err: unknown): Promise<unknown> {
  if (!watching) return err;
  if (!lostReason) await new Promise((r) => setTimeout(r, 100));
  return lostReason ? new GpuDeviceLostError(lostReason) : err;
}

/**
 * Makes `webgpu` the active backend of `tf` (the bundled tfjs namespace). `allowSoftware`: accept an adapter
 * emulated on the CPU. Resolves to the adapter, or to why it could not start (never throws).
 */
export async function startWebgpu(tf: Tf, allowSoftware: boolean): Promise<WebgpuStart> {
  if (lostReason) return { ok: false, lost: true, reason: `the GPU device was lost earlier in this engine process (${lostReason}); restart it (reload the window) to try the GPU again` };
  const loaded = await loadDawn();
  if (!loaded.ok) return loaded;
  let adapter: DawnAdapter | null;
  try {
    // The same request tfjs-backend-webgpu makes, so both see the same adapter.
    adapter = await loaded.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { ok: false, reason: `Dawn could not list GPU adapters (${firstLine(err)})` };
  }
  if (!adapter) return { ok: false, reason: 'Dawn found no GPU adapter (no GPU driver with Vulkan, Metal or Direct3D 12 support)' };
  const info = adapter.info;
  const described: GpuAdapterDescription = {
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description || info.device,
    software: isSoftwareAdapter(info),
  };
  if (described.software && !allowSoftware) {
    return { ok: false, reason: `the only GPU adapter is a software one, slower than wasm: ${describeGpuAdapter(described)}` };
  }
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!kernelsRegistered) {
      (await import('./kernels/webgpuMaxPoolGrad')).registerWebgpuTrainingKernels(tf);
      kernelsRegistered = true;
    }
    if (!(await tf.setBackend('webgpu'))) return { ok: false, reason: 'tfjs could not start its webgpu backend on this adapter' };
    await tf.ready();
  } catch (err) {
    return { ok: false, reason: `tfjs' webgpu backend failed to start (${firstLine(err)})` };
  }
  watchForDeviceLoss(tf.backend() as unknown as WebgpuBackendHandle);
  return { ok: true, adapter: described };
}

type DawnLoad = { ok: true; gpu: DawnGpu } | { ok: false; reason: string };

async function loadDawn(): Promise<DawnLoad> {
  if (gpu) return { ok: true, gpu };
  // Mesa prints a warning on every start when this is missing; any private writable folder will do.
  process.env['XDG_RUNTIME_DIR'] ??= (await import('node:os')).tmpdir();
  let dawn: DawnModule;
  try {
    // `webgpu` is an ES module; resolved the CommonJS way first so NODE_PATH counts, as for tfjs-node.
    dawn = (await import(pathToFileURL(require.resolve('webgpu')).href)) as unknown as DawnModule;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && String(e.message).includes("'webgpu'")) {
      return { ok: false, reason: 'the optional package webgpu (Dawn) is not installed' };
    }
    return { ok: false, reason: `webgpu (Dawn) failed to load (${firstLine(err)})` };
  }
  // tfjs-backend-webgpu uses the WebGPU globals (GPUBufferUsage, GPUMapMode, ...) and navigator.gpu.
  const g = globalThis as Record<string, unknown>;
  for (const [name, value] of Object.entries(dawn.globals)) if (!(name in g)) g[name] = value;
  try {
    gpu = dawn.create([]);
  } catch (err) {
    return { ok: false, reason: `Dawn failed to start (${firstLine(err)})` };
  }
  const nav = (g['navigator'] ??= {}) as Record<string, unknown>;
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, enumerable: true });
  return { ok: true, gpu };
}

function watchForDeviceLoss(backend: WebgpuBackendHandle): void {
  watching = true;
  void backend.device.lost.then((info) => {
    lostReason = info.message ? `${info.reason}: ${firstLine(info.message)}` : info.reason;
  });
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.trim();
}
