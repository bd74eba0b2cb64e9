/**
 * What our wasm training kernels share: calling wasm's OWN kernels (captured before we replace any of
 * them, so a replacement never calls itself), freeing intermediates, and reading/writing tensors in
 * place on the wasm heap (no copies).
 *
 * Kernels that call other kernels directly bypass the engine's bookkeeping, so every intermediate they
 * make must be released with `free` before returning; only the returned TensorInfo is tracked.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { DataType, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../tfNamespace';

export type KernelArgs = Parameters<KernelFunc>[0];

/** wasm's native kernel functions by name, captured at registration time. */
export type NativeKernels = ReadonlyMap<string, KernelFunc>;

export class WasmKit {
  constructor(
    readonly tf: Tf,
    readonly backend: BackendWasm,
    private readonly natives: NativeKernels,
  ) {}

  /** Runs wasm's own kernel `name` (never one of our replacements). */
  run(name: string, inputs: NamedTensorInfoMap | TensorInfo[], attrs: object = {}): TensorInfo {
    const k = this.natives.get(name);
    if (!k) throw new Error(`wasm kernel ${name} is not available`);
    const out = k({ inputs: inputs as NamedTensorInfoMap, backend: this.backend, attrs: attrs as NamedAttrMap });
    if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned several tensors`);
    return out;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  free(...ts: TensorInfo[]): void {
    for (const t of ts) this.backend.disposeData(t.dataId);
  }

  /** A new float32 tensor on the heap; its contents are garbage until written. */
  output(shape: number[], dtype: DataType = 'float32'): TensorInfo {
    return this.backend.makeOutput(shape, dtype);
  }

  /**
   * A float32 view of the WHOLE wasm heap, for `copyWithin` between tensors (a memmove with no view
   * objects per call). Re-take it after any allocation: the heap can grow and detach old views.
   */
  heapF32(): Float32Array {
    // HEAPU8 is the emscripten module's byte view of the heap (the typings omit it).
    return new Float32Array((this.backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
  }

  /** Where a float32 tensor starts in `heapF32()`. */
  offsetF32(t: TensorInfo): number {
    return this.backend.dataIdMap.get(t.dataId)!.memoryOffset / 4;
  }

  /** A live float32 view of a tensor's heap memory (re-take it after any allocation: the heap can grow). */
  f32(t: TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(t) as Float32Array;
  }
}

export function makeKit(tf: Tf, backend: object, natives: NativeKernels): WasmKit {
  return new WasmKit(tf, backend as BackendWasm, natives);
}

/** `[h, w]` from a number-or-pair attribute. */
export function pair(v: number | readonly number[]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0]!, v[1]!];
}

/** The 4-D shape of a tensor, asserted. */
export function shape4(t: TensorInfo, what: string): [number, number, number, number] {
  if (t.shape.length !== 4) throw new Error(`${what} must be 4-D, got shape [${t.shape.join(', ')}]`);
  return t.shape as [number, number, number, number];
}
