/**
 * Batches metric deltas for the dashboard: batch and epoch points are merged and sent at most every
 * `intervalMs`; any other message first flushes what is pending, so the order of events is kept. Pure
 * (timers injected) so the batching is unit-tested and reused by the overhead benchmark.
 */
import type { BatchPoint, HostToDashboard } from '../../protocol/dashboard';
import type { EpochMetrics } from '../../protocol/engine';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class DeltaOutbox {
  private points: BatchPoint[] = [];
  private epochs: EpochMetrics[] = [];
  private runId = '';
  private batchesPerEpoch = 0;
  private timer: unknown = undefined;
  /** Messages actually posted (for the benchmark and tests). */
  posted = 0;

  constructor(
    private readonly post: (m: HostToDashboard) => void,
    private readonly intervalMs = 250,
    private readonly timers: Timers = realTimers,
  ) {}

  send(m: HostToDashboard): void {
    if (m.type === 'batchMetrics' || m.type === 'epochMetrics') {
      if (this.runId !== m.runId) this.flush();
      this.runId = m.runId;
      if (m.type === 'batchMetrics') {
        this.points.push(...m.points);
        this.batchesPerEpoch = m.batchesPerEpoch;
      } else {
        this.epochs.push(...m.epochs);
      }
      this.timer ??= this.timers.setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.intervalMs);
      return;
    }
    this.flush();
    this.emit(m);
  }

  flush(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.points.length) this.emit({ type: 'batchMetrics', runId: this.runId, points: this.points, batchesPerEpoch: this.batchesPerEpoch });
    if (this.epochs.length) this.emit({ type: 'epochMetrics', runId: this.runId, epochs: this.epochs });
    this.points = [];
    this.epochs = [];
  }

  /** Drops pending deltas (the view will be hydrated afresh). */
  clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.points = [];
    this.epochs = [];
  }

  private emit(m: HostToDashboard): void {
    this.posted++;
    this.post(m);
  }
}
