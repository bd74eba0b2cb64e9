/**
 * Small helpers for writing Python source: literals, identifiers and keyword-argument lists. Shared by
 * the Keras and PyTorch generators so both print numbers, tuples and names the same way.
 */
import type { ParamValue } from '../format';

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
  // names the generated code itself uses: a node must not shadow them
  'input', 'id', 'type', 'list', 'map', 'filter', 'len', 'sum', 'min', 'max', 'abs', 'round', 'range', 'print', 'format', 'open', 'zip', 'all', 'any', 'next', 'iter', 'object', 'str', 'int', 'float', 'dict', 'set', 'tuple', 'vars', 'dir', 'hash', 'pow',
  'x', 'tf', 'keras', 'layers', 'nn', 'F', 'torch', 'np', 'os', 'math', 'self', 'model', 'inputs', 'outputs',
]);

/** A Python literal for a stored parameter value: tuples for lists, `None`, `True`/`False`, floats as written. */
export function pyValue(value: ParamValue | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyString(value);
  return pyTuple(value as readonly (number | readonly number[])[]);
}

export function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'float("nan")';
  if (!Number.isFinite(n)) return n > 0 ? 'float("inf")' : '-float("inf")';
  return String(n);
}

/** A float literal that always reads as a float (`1.0`, not `1`), for learning rates and the like. */
export function pyFloat(n: number): string {
  const s = pyNumber(n);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

export function pyString(s: string): string {
  // JSON string escapes are valid Python string escapes.
  return JSON.stringify(s);
}

export function pyTuple(items: readonly (number | string | readonly number[])[]): string {
  const parts = items.map((i) => (typeof i === 'number' ? pyNumber(i) : typeof i === 'string' ? pyString(i) : pyTuple(i)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
}

/** A valid, readable Python identifier for a node id (`conv-1` → `conv_1`, `1x1` → `n_1x1`). */
export function pyIdentifier(id: string): string {
  let s = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `n_${s}`;
  if (PYTHON_KEYWORDS.has(s)) s = `${s}_`;
  return s;
}

/** Unique identifiers for a list of node ids (two ids that sanitise to the same name get a suffix). */
export function uniqueIdentifiers(ids: readonly string[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const id of ids) {
    const base = pyIdentifier(id);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    out.set(id, name);
  }
  return out;
}

/** `f(a, b, key=value)` from positional strings and `[key, literal]` pairs. */
export function pyCall(callee: string, positional: readonly string[], keywords: readonly (readonly [string, string])[]): string {
  const args = [...positional, ...keywords.map(([k, v]) => `${k}=${v}`)];
  return `${callee}(${args.join(', ')})`;
}

/** Indents every non-empty line of `code` by `spaces`. */
export function indent(code: string, spaces = 4): string {
  const pad = ' '.repeat(spaces);
  return code
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : pad + l))
    .join('\n');
}

/** A comment block, wrapped at about 100 columns. */
export function pyComment(text: string, width = 100): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '#';
  for (const w of words) {
    if (line.length + 1 + w.length > width && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ' ' + w;
  }
  if (line !== '#') lines.push(line);
  return lines.join('\n');
}
