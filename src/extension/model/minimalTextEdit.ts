/**
 * The smallest set of replacements that turns one text into another, for applying a designer edit as
 * a WorkspaceEdit: one designer action becomes one WorkspaceEdit (one undo step) whose replacements
 * touch only what changed, so a text editor on the same file keeps its cursor and git shows a small diff.
 *
 * How: the common prefix and suffix stay; the middle is diffed line by line (longest common
 * subsequence), and each changed run of lines is trimmed again to the characters that differ. Inserting
 * a layer between two others is then two small replacements (the new node, the consumer's input id)
 * instead of one that also rewrites the unchanged node between them.
 *
 * Pure (no vscode): offsets are UTF-16 code units, as `TextDocument.positionAt` expects.
 */
export interface TextReplacement {
  /** Offset in the old text where the replaced range starts. */
  readonly start: number;
  /** Offset in the old text where the replaced range ends (exclusive). */
  readonly end: number;
  readonly text: string;
}

/** Above this many line pairs the line diff is skipped (one replacement of the middle instead). */
const MAX_DIFF_CELLS = 4_000_000;

/** Non-overlapping replacements in ascending order; empty when the texts are equal. */
export function minimalReplacements(oldText: string, newText: string): TextReplacement[] {
  const outer = trimCommon(oldText, 0, oldText.length, newText, 0, newText.length);
  if (!outer) return [];
  const oldLines = splitLines(oldText, outer.oldStart, outer.oldEnd);
  const newLines = splitLines(newText, outer.newStart, outer.newEnd);
  if (oldLines.length * newLines.length > MAX_DIFF_CELLS || oldLines.length <= 1 || newLines.length <= 1) {
    return [{ start: outer.oldStart, end: outer.oldEnd, text: newText.slice(outer.newStart, outer.newEnd) }];
  }
  const result: TextReplacement[] = [];
  for (const hunk of lineHunks(oldLines, newLines)) {
    const oldStart = hunk.oldFrom < oldLines.length ? oldLines[hunk.oldFrom]!.start : outer.oldEnd;
    const oldEnd = hunk.oldTo > hunk.oldFrom ? oldLines[hunk.oldTo - 1]!.end : oldStart;
    const newStart = hunk.newFrom < newLines.length ? newLines[hunk.newFrom]!.start : outer.newEnd;
    const newEnd = hunk.newTo > hunk.newFrom ? newLines[hunk.newTo - 1]!.end : newStart;
    const inner = trimCommon(oldText, oldStart, oldEnd, newText, newStart, newEnd);
    if (inner) result.push({ start: inner.oldStart, end: inner.oldEnd, text: newText.slice(inner.newStart, inner.newEnd) });
  }
  return result;
}

/** Applies replacements made against `text` (ascending, non-overlapping). */
export function applyReplacements(text: string, replacements: readonly TextReplacement[]): string {
  let out = '';
  let at = 0;
  for (const r of replacements) {
    out += text.slice(at, r.start) + r.text;
    at = r.end;
  }
  return out + text.slice(at);
}

interface Span {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** The differing middle of two ranges, or null when they are equal. Never splits a surrogate pair. */
function trimCommon(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): Span | null {
  let p = 0;
  const max = Math.min(aEnd - aStart, bEnd - bStart);
  while (p < max && a.charCodeAt(aStart + p) === b.charCodeAt(bStart + p)) p++;
  if (p === aEnd - aStart && p === bEnd - bStart) return null;
  let s = 0;
  while (s < max - p && a.charCodeAt(aEnd - 1 - s) === b.charCodeAt(bEnd - 1 - s)) s++;
  if (p > 0 && isHighSurrogate(a.charCodeAt(aStart + p - 1))) p--;
  if (s > 0 && isLowSurrogate(a.charCodeAt(aEnd - s))) s--;
  return { oldStart: aStart + p, oldEnd: aEnd - s, newStart: bStart + p, newEnd: bEnd - s };
}

interface Line {
  start: number;
  end: number;
  text: string;
}

/** Lines of `text[from, to)`, each with its `\n`. */
function splitLines(text: string, from: number, to: number): Line[] {
  const lines: Line[] = [];
  let start = from;
  while (start < to) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 || nl >= to ? to : nl + 1;
    lines.push({ start, end, text: text.slice(start, end) });
    start = end;
  }
  return lines;
}

interface Hunk {
  oldFrom: number;
  oldTo: number;
  newFrom: number;
  newTo: number;
}

/** Runs of lines that differ, from a longest-common-subsequence table. */
function lineHunks(a: readonly Line[], b: readonly Line[]): Hunk[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..], stored flat.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[at(i, j)] = a[i]!.text === b[j]!.text ? lcs[at(i + 1, j + 1)]! + 1 : Math.max(lcs[at(i + 1, j)]!, lcs[at(i, j + 1)]!);
    }
  }
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let open: Hunk | null = null;
  const close = () => {
    if (open) hunks.push(open);
    open = null;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i]!.text === b[j]!.text) {
      close();
      i++;
      j++;
      continue;
    }
    if (!open) open = { oldFrom: i, oldTo: i, newFrom: j, newTo: j };
    if (j < m && (i >= n || lcs[at(i, j + 1)]! >= lcs[at(i + 1, j)]!)) {
      j++;
      open.newTo = j;
    } else {
      i++;
      open.oldTo = i;
    }
  }
  close();
  return hunks;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
