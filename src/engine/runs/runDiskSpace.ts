/**
 * The disk space a run needs, and the check made before any data is loaded. A run keeps two
 * checkpoints (best/ and last/) and writes a third beside them while saving, so it needs three times
 * the weights (float32) plus room for its small files (metrics, run.json, config, model snapshot).
 */
import { statfsSync } from 'node:fs';
import { formatByteSize } from '../../core/byteSize';
import { DiskError } from './writeFailure';

const SMALL_FILES_BYTES = 256 * 1024;

export function runSpaceNeeded(params: number): number {
  return 3 * params * 4 + SMALL_FILES_BYTES;
}

/** Throws a DiskError naming the folder, the free space and the space needed when it does not fit. */
export function checkFreeSpace(runDir: string, params: number): void {
  let free: number;
  try {
    const fs = statfsSync(runDir);
    free = fs.bavail * fs.bsize;
  } catch {
    return; // a file system that cannot say: the writes themselves will tell
  }
  const needed = runSpaceNeeded(params);
  if (free < needed) {
    throw new DiskError(
      `Cannot train into '${runDir}': only ${formatByteSize(free)} is free on that disk and the run needs about ${formatByteSize(needed)} ` +
        `(checkpoints of ${params.toLocaleString('en-US')} parameters). Free some space, or pass --out with a folder on another disk.`,
    );
  }
}
