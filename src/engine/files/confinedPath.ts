/**
 * Paths found inside a file (a TF.js model.json's weight shards, for one) are resolved against that
 * file's folder and must stay inside it, after following symlinks: a hostile file must not make us read
 * `../secret.bin`, `/etc/passwd` or a symlink pointing outside and copy its bytes into a run.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { UserFacingError } from '../../core/userFacingError';

/** A file named a path that ends outside its own folder; the message names the file, the path and the fix. */
export class PathOutsideFolderError extends UserFacingError {
  constructor(message: string) {
    super(message, 'PathOutsideFolderError');
  }
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for a file not there yet). */
function realPathAllowingMissing(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    if (parent === p) return p;
    return resolve(realPathAllowingMissing(parent), relative(parent, p));
  }
}

function isInside(folder: string, target: string): boolean {
  const rel = relative(folder, target);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/**
 * The absolute path of `named`, a path written inside `namingFile` (relative to its folder), with
 * symlinks followed. Throws PathOutsideFolderError when it ends outside that folder; `what` says what the
 * path is for in the message ("weight file").
 */
export function resolveInsideFolderOf(namingFile: string, named: string, what: string): string {
  const folder = realPathAllowingMissing(dirname(resolve(namingFile)));
  const target = realPathAllowingMissing(resolve(dirname(resolve(namingFile)), named));
  if (!isInside(folder, target)) {
    throw new PathOutsideFolderError(
      `'${namingFile}' names the ${what} '${named}', which is outside the folder of ${namingFile.split(/[\\/]/).pop()} ('${folder}'${target !== named ? `; it resolves to '${target}'` : ''}). ` +
        `CNN Studio only reads files inside the folder of the file that names them: copy the ${what} into that folder and name it by a relative path such as 'weights.bin'.`,
    );
  }
  return target;
}
