/**
 * How skipped files are named to the user: the count and the first few in a message, every one in
 * `train --json`, the run folder's skipped.json and VS Code's output channel.
 */
import type { SkippedFile } from '../../protocol/engine';

/** How many skipped files a one-line message names before "and N more". */
export const SKIPPED_NAMED_IN_MESSAGE = 3;

/** `'a.png' (not a PNG), 'b.png' (truncated) and 2 more`. */
export function listSkipped(skipped: readonly SkippedFile[], max = SKIPPED_NAMED_IN_MESSAGE): string {
  const named = skipped.slice(0, max).map((s) => `'${s.path}' (${s.reason})`);
  const rest = skipped.length - named.length;
  return rest > 0 ? `${named.join(', ')} and ${rest} more` : named.join(', ');
}

/** "5 files or folders" / "1 file": what the skipped entries are, counted. */
export function countSkipped(skipped: readonly SkippedFile[]): string {
  const n = skipped.length;
  const folders = skipped.some((s) => s.folder === true);
  return `${n} ${folders ? 'files or folders' : n === 1 ? 'file' : 'files'}`;
}
