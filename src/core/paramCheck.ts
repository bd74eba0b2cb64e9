/**
 * Checks a node's params against its catalogue entry: types, ranges, enum values and unknown names.
 * Returns the params with defaults filled in for shape inference, and diagnostics with quick fixes
 * (reset to the default, a corrected value, the right spelling).
 */
import type { LayerSpec, ParamSpec } from './catalogue';
import type { Diagnostic, QuickFix } from './diagnostics';
import type { ModelNode, ParamValue } from './format';

/** Params after the check: every catalogue param present, each of the right kind. */
export type ResolvedParams = ReadonlyMap<string, ParamValue>;

export interface ParamCheckResult {
  params: ResolvedParams;
  /** False when a param is invalid; the node's shape is then not inferred. */
  ok: boolean;
  diagnostics: Diagnostic[];
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function isIntPair(v: unknown, min: number): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && v.every((x) => isInt(x) && x >= min);
}

function show(v: unknown): string {
  if (v === undefined) return 'missing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function rangeText(min: number | undefined, max: number | undefined, exMin = false, exMax = false): string {
  if (min !== undefined && max !== undefined) return `from ${min}${exMin ? ' (exclusive)' : ''} to ${max}${exMax ? ' (exclusive)' : ''}`;
  if (min !== undefined) return exMin ? `greater than ${min}` : `at least ${min}`;
  if (max !== undefined) return exMax ? `less than ${max}` : `at most ${max}`;
  return '';
}

/** A problem with one value, and a corrected value when an obvious one exists. */
interface ValueProblem {
  problem: string;
  suggestion?: ParamValue;
}

export function checkParamValue(spec: ParamSpec, v: unknown): ValueProblem | null {
  switch (spec.kind) {
    case 'int':
    case 'float': {
      if (v === null && spec.kind === 'float' && spec.nullable) return null;
      const whole = spec.kind === 'int';
      const exMin = spec.kind === 'float' && spec.exclusiveMin === true;
      const exMax = spec.kind === 'float' && spec.exclusiveMax === true;
      const range = rangeText(spec.min, spec.max, exMin, exMax);
      const wanted = `${whole ? 'a whole number' : 'a number'}${range ? ` ${range}` : ''}`;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const n = typeof v === 'string' ? Number(v) : NaN;
        return { problem: `is ${show(v)}, but must be ${wanted}`, suggestion: Number.isFinite(n) && v !== '' ? n : undefined };
      }
      if (whole && !Number.isInteger(v)) return { problem: `is ${v}, but must be ${wanted}`, suggestion: Math.round(v) };
      const low = spec.min !== undefined && (exMin ? v <= spec.min : v < spec.min);
      const high = spec.max !== undefined && (exMax ? v >= spec.max : v > spec.max);
      if (low || high) {
        const clamped = low ? (exMin ? undefined : spec.min) : exMax ? undefined : spec.max;
        return { problem: `is ${v}, but must be ${wanted}`, suggestion: clamped };
      }
      return null;
    }
    case 'bool':
      if (typeof v === 'boolean') return null;
      return { problem: `is ${show(v)}, but must be true or false`, suggestion: v === 'true' ? true : v === 'false' ? false : undefined };
    case 'enum': {
      if (typeof v === 'string' && spec.values.includes(v)) return null;
      const lower = typeof v === 'string' ? v.toLowerCase().replace(/[_\s-]/g, '') : '';
      const close = spec.values.find((x) => x.toLowerCase() === lower);
      return { problem: `is ${show(v)}; use one of ${spec.values.map((x) => `'${x}'`).join(', ')}`, suggestion: close };
    }
    case 'pair': {
      if (v === null && spec.nullable) return null;
      if (isIntPair(v, spec.min)) return null;
      const scalar = isInt(v) && v >= spec.min;
      return {
        problem: `is ${show(v)}, but must be [height, width] with whole numbers ≥ ${spec.min}${spec.nullable ? ' (or null)' : ''}`,
        suggestion: scalar ? [v, v] : undefined,
      };
    }
    case 'pair2': {
      if (Array.isArray(v) && v.length === 2 && v.every((p) => isIntPair(p, spec.min))) return null;
      const scalar = isInt(v) && v >= spec.min;
      return {
        problem: `is ${show(v)}, but must be [[top, bottom], [left, right]] with whole numbers ≥ ${spec.min}`,
        suggestion: scalar ? [[v, v], [v, v]] : undefined,
      };
    }
    case 'shape': {
      const len = `${spec.minLength === spec.maxLength ? spec.minLength : `${spec.minLength} to ${spec.maxLength}`} entries`;
      const entries = spec.allowInfer ? 'whole numbers ≥ 1 (one may be -1)' : 'whole numbers ≥ 1';
      const problem = `is ${show(v)}, but must be a list of ${len}, ${entries}`;
      if (!Array.isArray(v) || v.length < spec.minLength || v.length > spec.maxLength) return { problem };
      let inferred = 0;
      for (const x of v) {
        if (!isInt(x)) return { problem };
        if (x === -1 && spec.allowInfer) inferred++;
        else if (x < 1) return { problem };
      }
      if (inferred > 1) return { problem: `is ${show(v)}: only one entry may be -1` };
      return null;
    }
  }
}

/** `kernel_size` → `kernelsize`, so Keras spellings and case slips find the catalogue name. */
function loose(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

export function checkParams(node: ModelNode, spec: LayerSpec): ParamCheckResult {
  const diagnostics: Diagnostic[] = [];
  const resolved = new Map<string, ParamValue>();
  let ok = true;
  const raw: Readonly<Record<string, unknown>> =
    typeof node.params === 'object' && node.params !== null && !Array.isArray(node.params) ? node.params : {};
  for (const [name, p] of Object.entries(spec.params)) {
    const present = Object.prototype.hasOwnProperty.call(raw, name) && raw[name] !== undefined;
    if (!present) {
      resolved.set(name, p.default as ParamValue);
      continue;
    }
    const value = raw[name];
    const bad = checkParamValue(p, value);
    if (!bad) {
      resolved.set(name, value as ParamValue);
      continue;
    }
    ok = false;
    resolved.set(name, p.default as ParamValue);
    const fixes: QuickFix[] = [];
    if (bad.suggestion !== undefined) {
      fixes.push({ kind: 'setParam', title: `Set ${name} to ${show(bad.suggestion)}`, nodeId: node.id, param: name, value: bad.suggestion });
    }
    fixes.push({ kind: 'setParam', title: `Reset ${name} to its default ${show(p.default)}`, nodeId: node.id, param: name, value: p.default });
    diagnostics.push({
      nodeId: node.id,
      code: 'bad-param',
      severity: 'error',
      message: `${spec.type} '${node.id}': ${name} ${bad.problem}${bad.suggestion !== undefined ? ` (e.g. ${show(bad.suggestion)})` : ''}.`,
      fixes,
    });
  }
  for (const name of Object.keys(raw)) {
    if (Object.prototype.hasOwnProperty.call(spec.params, name)) continue;
    const known = Object.keys(spec.params);
    const close = known.find((k) => loose(k) === loose(name));
    const hint = close
      ? ` Did you mean '${close}'?`
      : known.length > 0
        ? ` ${spec.type} takes: ${known.join(', ')}.`
        : ` ${spec.type} takes no params.`;
    diagnostics.push({
      nodeId: node.id,
      code: 'unknown-param',
      severity: 'warning',
      message: `${spec.type} '${node.id}' has an unknown param '${name}', which is ignored: remove it.${hint}`,
    });
  }
  return { params: resolved, ok, diagnostics };
}
