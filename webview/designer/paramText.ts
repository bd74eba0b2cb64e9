/**
 * Text <-> value for the inspector's text fields, checked against the catalogue's param specs as the
 * user types. An invalid text gives a message (shown under the field) and is never sent as an edit.
 */
import type { ParamSpec } from '../../src/core/catalogue';
import type { ParamValue } from '../../src/core/format';

export type ParsedParam = { readonly ok: true; readonly value: ParamValue } | { readonly ok: false; readonly message: string };

/** How a value is shown in a text field: numbers as typed, pairs/shapes as comma lists. */
export function paramToText(spec: ParamSpec, value: ParamValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((v) => (Array.isArray(v) ? v.join(', ') : String(v))).join(', ');
  if (spec.kind === 'float' && typeof value === 'number') return formatFloat(value);
  return String(value);
}

/**
 * A key param as shown on a graph node, e.g. `32 filters`, `3×3`, `stride 2×2`, `relu`; `null` when it
 * says nothing worth the space (a default stride of 1).
 */
export function keyParamLabel(name: string, spec: ParamSpec, value: ParamValue): string | null {
  const text = paramToLabel(spec, value);
  const isDefault = sameParamValue(value, spec.default as ParamValue);
  switch (name) {
    case 'filters':
      return `${text} filters`;
    case 'units':
      return `${text} units`;
    case 'strides':
      return isDefault || value === null ? null : `stride ${text}`;
    case 'depthMultiplier':
      return isDefault ? null : `×${text} depth`;
    case 'activation':
      return value === 'linear' ? null : text; // linear = no activation: nothing to show
    case 'rate':
      return `rate ${text}`;
    case 'alpha':
      return `α ${text}`;
    case 'axis':
      return `axis ${text}`;
    case 'scale':
      return `× ${text}`;
    case 'padding':
      return spec.kind === 'pair2' ? `pad ${text}` : text;
    case 'cropping':
      return `crop ${text}`;
    case 'size':
      return `×${text}`;
    case 'targetShape':
      return `→ ${text}`;
    default:
      return text;
  }
}

/** Short text for a param value, e.g. `3×3`, `0.5`, `relu`. */
export function paramToLabel(spec: ParamSpec, value: ParamValue): string {
  if (value === null) return spec.kind === 'pair' ? 'auto' : '–';
  if (spec.kind === 'pair' && Array.isArray(value)) return value.join('×');
  if (spec.kind === 'pair2' && Array.isArray(value)) {
    const rows = value as readonly (readonly number[])[];
    const flat = rows.flat();
    return flat.every((v) => v === flat[0]) ? String(flat[0]) : rows.map((r) => r.join('/')).join(', ');
  }
  if (spec.kind === 'shape' && Array.isArray(value)) return value.join('×');
  if (spec.kind === 'float' && typeof value === 'number') return formatFloat(value);
  return String(value);
}

function formatFloat(v: number): string {
  // 1/255 would show as 0.00392156862745098: 6 significant digits are what a user typed or needs.
  return String(Number(v.toPrecision(6)));
}

function parseNumber(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  // Allow "1/255" for scales, which users think in.
  const frac = /^(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(t);
  if (frac) {
    const d = Number(frac[2]);
    return d === 0 ? null : Number(frac[1]) / d;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function splitList(text: string): string[] {
  return text
    .replace(/[[\]()]/g, ' ')
    .split(/[\s,×x*]+/i)
    .filter((p) => p !== '');
}

function checkRange(spec: { min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean }, n: number): string | null {
  if (spec.min !== undefined && (spec.exclusiveMin ? n <= spec.min : n < spec.min)) {
    return spec.exclusiveMin ? `Must be greater than ${spec.min}.` : `Must be at least ${spec.min}.`;
  }
  if (spec.max !== undefined && (spec.exclusiveMax ? n >= spec.max : n > spec.max)) {
    return spec.exclusiveMax ? `Must be less than ${spec.max}.` : `Must be at most ${spec.max}.`;
  }
  return null;
}

function parseInts(parts: string[], min: number, what: string): number[] | string {
  const out: number[] = [];
  for (const p of parts) {
    const n = parseNumber(p);
    if (n === null || !Number.isInteger(n)) return `"${p}" is not a whole number: ${what}.`;
    if (n < min) return `Every entry must be at least ${min}: ${what}.`;
    out.push(n);
  }
  return out;
}

/** Parses and checks what the user typed for a text-field param (int, float, pair, pair2, shape). */
export function parseParamText(spec: ParamSpec, text: string): ParsedParam {
  switch (spec.kind) {
    case 'int': {
      const n = parseNumber(text);
      if (n === null || !Number.isInteger(n)) return { ok: false, message: 'Enter a whole number, e.g. 32.' };
      const range = checkRange(spec, n);
      return range ? { ok: false, message: range } : { ok: true, value: n };
    }
    case 'float': {
      if (spec.nullable && text.trim() === '') return { ok: true, value: null };
      const n = parseNumber(text);
      if (n === null) return { ok: false, message: 'Enter a number, e.g. 0.5 (or a fraction like 1/255).' };
      const range = checkRange(spec, n);
      return range ? { ok: false, message: range } : { ok: true, value: n };
    }
    case 'pair': {
      const parts = splitList(text);
      if (parts.length === 0) {
        return spec.nullable ? { ok: true, value: null } : { ok: false, message: 'Enter height and width, e.g. 3, 3 (or one number for both).' };
      }
      if (parts.length > 2) return { ok: false, message: 'Enter two numbers, height and width, e.g. 3, 3.' };
      const nums = parseInts(parts, spec.min, 'enter height and width, e.g. 3, 3');
      if (typeof nums === 'string') return { ok: false, message: nums };
      const [a, b = a] = nums as [number, number?];
      return { ok: true, value: [a, b as number] };
    }
    case 'pair2': {
      const parts = splitList(text);
      const example = 'enter one number for all sides, or top, bottom, left, right, e.g. 1, 1, 2, 2';
      const nums = parseInts(parts, spec.min, example);
      if (typeof nums === 'string') return { ok: false, message: nums };
      if (nums.length === 1) return { ok: true, value: [[nums[0]!, nums[0]!], [nums[0]!, nums[0]!]] };
      if (nums.length === 2) return { ok: true, value: [[nums[0]!, nums[0]!], [nums[1]!, nums[1]!]] };
      if (nums.length === 4) return { ok: true, value: [[nums[0]!, nums[1]!], [nums[2]!, nums[3]!]] };
      return { ok: false, message: `Give 1, 2 or 4 numbers: ${example}.` };
    }
    case 'shape': {
      const parts = splitList(text);
      if (parts.length < spec.minLength || parts.length > spec.maxLength) {
        const count = spec.minLength === spec.maxLength ? `${spec.minLength}` : `${spec.minLength} to ${spec.maxLength}`;
        return { ok: false, message: `Give ${count} sizes separated by commas, e.g. 32, 32, 3.` };
      }
      const out: number[] = [];
      let inferred = 0;
      for (const p of parts) {
        const n = parseNumber(p);
        if (n === -1 && spec.allowInfer) {
          inferred++;
          out.push(-1);
          continue;
        }
        if (n === null || !Number.isInteger(n) || n < 1) {
          return { ok: false, message: `"${p}" is not a positive whole number${spec.allowInfer ? ' (or -1 for "infer")' : ''}.` };
        }
        out.push(n);
      }
      if (inferred > 1) return { ok: false, message: 'Only one size may be -1 (inferred).' };
      return { ok: true, value: out };
    }
    case 'bool':
      return { ok: true, value: /^(true|1|yes|on)$/i.test(text.trim()) };
    case 'enum':
      return spec.values.includes(text) ? { ok: true, value: text } : { ok: false, message: `Choose one of ${spec.values.join(', ')}.` };
  }
}

/** True when two param values are the same (for "is this the default?" and "did it change?"). */
export function sameParamValue(a: ParamValue | undefined, b: ParamValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Placeholder/hint describing a param's allowed values, e.g. "1 – 8192". */
export function rangeHint(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const lo = spec.min === undefined ? '' : `${spec.kind === 'float' && spec.exclusiveMin ? '>' : '≥'} ${spec.min}`;
      const hi = spec.max === undefined ? '' : `${spec.kind === 'float' && spec.exclusiveMax ? '<' : '≤'} ${spec.max}`;
      return [lo, hi].filter(Boolean).join(', ');
    }
    case 'pair':
      return spec.nullable ? 'height, width (empty = auto)' : 'height, width';
    case 'pair2':
      return 'top, bottom, left, right';
    case 'shape':
      return spec.allowInfer ? 'sizes, one may be -1' : 'height, width, channels';
    default:
      return '';
  }
}
