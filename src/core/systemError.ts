/**
 * Errors whose cause is outside the program: the operating system refused a file operation (missing
 * path, no permission, a file where a folder should be, a full or read-only disk). Node throws them as
 * plain errors with `code`, `syscall` and `path`; told as they are they read like our bugs ("internal
 * error: EEXIST: file already exists, mkdir …"). This turns them into a message naming the path, what
 * was being done and the fix. Pure: it reads the error's fields and imports nothing from Node.
 */
import { UserFacingError } from './userFacingError';

/** A file operation the system refused; `code` is the system's (ENOENT, EACCES, …). */
export class SystemFileError extends UserFacingError {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message, 'SystemFileError');
  }
}

interface ErrnoFields {
  code?: unknown;
  syscall?: unknown;
  path?: unknown;
  dest?: unknown;
}

const DOING: Readonly<Record<string, string>> = {
  open: 'open it',
  read: 'read it',
  write: 'write it',
  close: 'close it',
  mkdir: 'create it as a folder',
  scandir: 'list the folder',
  opendir: 'list the folder',
  rename: 'rename it',
  unlink: 'delete it',
  rmdir: 'delete the folder',
  rm: 'delete it',
  stat: 'look at it',
  lstat: 'look at it',
  realpath: 'resolve it',
  access: 'check it',
  copyfile: 'copy it',
  symlink: 'create a link',
  fsync: 'save it to disk',
};

/**
 * The user-facing form of a system file error, or null when `err` is something else (maybe our bug).
 * `pathIfUnknown` names the file for errors that carry none (a `write` to an open file has only its fd).
 */
export function describeSystemError(err: unknown, pathIfUnknown?: string): SystemFileError | null {
  if (!(err instanceof Error)) return null;
  const { code, syscall, dest } = err as Error & ErrnoFields;
  const path = typeof (err as ErrnoFields).path === 'string' ? (err as ErrnoFields).path : pathIfUnknown;
  if (typeof code !== 'string' || typeof path !== 'string') return null;
  const doing = typeof syscall === 'string' ? `, while trying to ${Object.hasOwn(DOING, syscall) ? DOING[syscall] : syscall}` : '';
  const where = `'${path}'${typeof dest === 'string' ? ` (to '${dest}')` : ''}`;
  const said = (text: string): SystemFileError => new SystemFileError(text, code);
  switch (code) {
    case 'ENOENT':
      return said(`${where} does not exist (ENOENT${doing}). Check the path (a folder in it may be missing), or create it first.`);
    case 'EACCES':
    case 'EPERM':
      return said(`Permission denied for ${where} (${code}${doing}). Give this user access (e.g. chmod u+rw for a file, u+rwx for a folder) or use another path.`);
    case 'ENOTDIR':
      return said(`Part of ${where} is a file where a folder is needed (ENOTDIR${doing}). Move or rename that file, or use another path.`);
    case 'EEXIST':
      return said(
        syscall === 'mkdir'
          ? `${where} is a file where a folder is needed (EEXIST${doing}). Move or rename that file, or use another path.`
          : `${where} already exists (EEXIST${doing}). Remove it or choose another name.`,
      );
    case 'EISDIR':
      return said(`${where} is a folder where a file is needed (EISDIR${doing}). Give the path of a file.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return said(`The disk holding ${where} is full (${code}${doing}). Free some space, or use a folder on another disk.`);
    case 'EROFS':
      return said(`${where} is on a read-only file system (EROFS${doing}). Use a writable folder, or remount that disk read-write.`);
    case 'ELOOP':
      return said(`${where} goes through a symbolic link loop (ELOOP${doing}). Fix or remove the link.`);
    case 'ENAMETOOLONG':
      return said(`${where} is too long a path for this system (ENAMETOOLONG${doing}). Use a shorter path.`);
    case 'EMFILE':
    case 'ENFILE':
      return said(`Too many files are open (${code}) to use ${where}${doing}. Raise the limit (ulimit -n) or close other programs, then try again.`);
    case 'EIO':
      return said(`The disk reported an input/output error for ${where} (EIO${doing}). The disk or the file may be damaged: check it, or copy the data elsewhere.`);
    case 'EBUSY':
      return said(`${where} is busy (EBUSY${doing}): another program is using it. Close that program, or use another path.`);
    default:
      return null;
  }
}

/** `err` itself when it is already user-facing or not a system error; else its user-facing form. */
export function withSystemErrorExplained(err: unknown): unknown {
  if (err instanceof Error && (err as { userFacing?: unknown }).userFacing === true) return err;
  return describeSystemError(err) ?? err;
}
