/**
 * A failed write into a run folder, told as what the user can do about it: the disk is full, the file
 * system is read-only, permission is missing, or a file sits where a folder should be. Anything else
 * stays the original error (a bug of ours, reported as such).
 */
import { formatByteSize } from '../../core/byteSize';
import { EngineUserError } from '../data/errors';

export class DiskError extends EngineUserError {
  constructor(message: string) {
    super('disk', message);
    this.name = 'DiskError';
  }
}

/**
 * `action` completes "Cannot … '<path>'", e.g. "write the checkpoint to". `neededBytes`, when known,
 * is the space the run needs, so a full disk says how much to free.
 */
export function describeWriteFailure(err: unknown, path: string, action: string, neededBytes?: number): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `Cannot ${action} '${path}'`;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new DiskError(
        `${where}: the disk is full (${code}).${neededBytes !== undefined ? ` The run needs about ${formatByteSize(neededBytes)} free there.` : ''} Free some space, or pass --out with a folder on another disk.`,
      );
    case 'EROFS':
      return new DiskError(`${where}: the file system is read-only (EROFS). Pass --out with a writable folder, or remount that disk read-write.`);
    case 'EACCES':
    case 'EPERM':
      return new DiskError(`${where}: permission denied (${code}). Make the folder writable for this user, or pass --out with a folder you can write.`);
    case 'ENOTDIR':
    case 'EEXIST':
      return new DiskError(`${where}: part of that path is a file, not a folder (${code}). Move that file away, or pass --out with another folder.`);
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}
