/**
 * Refuses, before the model is built, a training that cannot fit in memory: core's estimate against the
 * memory free on this machine (and the 4 GB a wasm heap can address). Without it a 3.3-billion-parameter
 * model trained for minutes past 8 GB, and a 1-billion one died after 144 s inside XNNPACK.
 */
import { freemem } from 'node:os';
import { formatByteSize } from '../../core/byteSize';
import type { ModelTotals } from '../../core/analysis';
import type { OptimizerName } from '../../core/format';
import { estimateTrainingMemory, trainingMemoryFix } from '../../core/trainingMemory';
import { EngineUserError } from '../data/errors';

/** The most a wasm32 heap can grow to (tfjs-backend-wasm is built with MAXIMUM_MEMORY=4GB). */
export const WASM_HEAP_LIMIT_BYTES = 4 * 1024 ** 3;

export class MemoryError extends EngineUserError {
  constructor(message: string) {
    super('memory', message);
    this.name = 'MemoryError';
  }
}

/** Memory free for training now: the OS's available memory, within a cgroup (container) limit when there is one. */
export function freeMemoryBytes(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const cgroupFree = constrained && constrained > 0 && constrained < Number.MAX_SAFE_INTEGER ? constrained - process.memoryUsage.rss() : Infinity;
  return Math.min(freemem(), cgroupFree);
}

export function checkTrainingMemory(modelName: string, totals: ModelTotals, batchSize: number, optimizer: OptimizerName, backendName: string): void {
  const estimate = estimateTrainingMemory(totals, batchSize, optimizer);
  const free = freeMemoryBytes();
  const wasm = backendName === 'wasm';
  const limit = wasm ? Math.min(free, WASM_HEAP_LIMIT_BYTES) : free;
  if (estimate.totalBytes <= limit) return;
  const why =
    wasm && WASM_HEAP_LIMIT_BYTES < free
      ? `the wasm backend can address at most ${formatByteSize(WASM_HEAP_LIMIT_BYTES)}`
      : `only ${formatByteSize(free)} is free on this machine`;
  throw new MemoryError(
    `The model '${modelName}' needs about ${formatByteSize(estimate.totalBytes)} of memory to train at batch size ${batchSize} ` +
      `(${totals.params.toLocaleString('en-US')} parameters with their gradients and ${optimizer} slots: ${formatByteSize(estimate.parameterBytes)}; ` +
      `layer outputs: ${formatByteSize(estimate.activationBytes)}), but ${why}. ${trainingMemoryFix(estimate)}`,
  );
}
