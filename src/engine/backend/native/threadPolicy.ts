/**
 * How many OpenBLAS threads the native kernels use, re-decided every few seconds while training.
 *
 * A BLAS splits each product across its threads and waits for the slowest, so a thread that the OS
 * deschedules for another process stalls the others. Measured on the 2-core CI machine with other
 * work keeping the load at ~16: the Fashion-MNIST convnet trained at 142 samples/s on 2 threads and at
 * 268 on 1 (`npm run bench -- --backend native`, CNN_STUDIO_NATIVE_THREADS=2 vs 1). So by default the
 * kernels use the physical cores minus those other processes keep busy (the 1-minute load average less
 * our own threads), at least 1; on a quiet machine that is every physical core. A limit set by the user
 * (CNN_STUDIO_NATIVE_THREADS, BackendOptions.nativeThreads) is used as it is.
 */
import { loadavg } from 'node:os';

const RECHECK_MS = 3000;

export class NativeThreadPolicy {
  private current: number;
  private lastCheck = 0;

  /**
   * `max`: the physical cores (or the user's limit); `fixed`: the user chose, never adapt.
   * `apply` sets the thread count in the addon.
   */
  constructor(
    readonly max: number,
    private readonly fixed: boolean,
    private readonly apply: (threads: number) => void,
    private readonly load: () => number = () => loadavg()[0] ?? 0,
    private readonly now: () => number = Date.now,
  ) {
    this.current = max;
  }

  /** The thread count now in use. */
  get threads(): number {
    return this.current;
  }

  /** Called before each native kernel; cheap except every RECHECK_MS. */
  tick(): void {
    if (this.fixed) return;
    const t = this.now();
    if (t - this.lastCheck < RECHECK_MS) return;
    this.lastCheck = t;
    const next = threadsForLoad(this.max, this.load(), this.current);
    if (next !== this.current) {
      this.current = next;
      this.apply(next);
    }
  }
}

/** Physical cores minus the cores other processes use (load average less our own `ours` threads). */
export function threadsForLoad(physical: number, loadAverage: number, ours: number): number {
  const others = Math.max(0, loadAverage - ours);
  return Math.min(physical, Math.max(1, Math.round(physical - others)));
}
