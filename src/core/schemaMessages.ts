/**
 * A JSON Schema error (ajv) as a sentence for the user that names the place and the fix. Shared by the
 * loader (the whole model) and the settings edit check (the settings sections alone).
 */
import type { ErrorObject } from 'ajv';
import { isJsonObject, own } from './migrations';

function pointerToPath(pointer: string): string {
  if (pointer === '') return 'the top level';
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc === '' ? p : `${acc}.${p}`), '');
}

export function valueAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const p = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isJsonObject(cur)) cur = own(cur, p);
    else return undefined;
  }
  return cur;
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${typeof v} ${text.slice(0, 37)}…` : `${typeof v} ${text}`;
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

const EXAMPLES: Readonly<Record<string, string>> = {
  id: '"id": "conv1"',
  type: '"type": "Conv2D"',
  inputs: '"inputs": ["input"] (or [] for the Input node)',
  name: '"name": "my-model"',
  nodes: '"nodes": []',
  x: '"x": 0',
  y: '"y": 0',
};

export function schemaMessage(e: ErrorObject, doc: unknown): string {
  const path = pointerToPath(e.instancePath);
  const value = valueAt(doc, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String(p['missingProperty']);
      return `${path} is missing "${missing}": add ${EXAMPLES[missing] ?? `"${missing}"`}.`;
    }
    case 'additionalProperties': {
      const extra = String(p['additionalProperty']);
      return `Unknown property "${extra}" in ${path}: it is ignored and dropped when the designer saves; remove it or correct its spelling.`;
    }
    case 'type':
      return `${path} must be ${withArticle(String(p['type']))}, but is ${describeValue(value)}: change it to ${withArticle(String(p['type']))}.`;
    case 'enum':
      return `${path} is ${describeValue(value)}; use one of: ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'const':
      return `${path} must be ${JSON.stringify(p['allowedValue'])}.`;
    case 'pattern':
      return `${path} ${describeValue(value)} is not a valid node id: start with a letter, then use letters, digits, _ . or - (e.g. "conv1").`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${path} is ${describeValue(value)}; it must be ${String(p['comparison'])} ${String(p['limit'])}.`;
    case 'minItems':
    case 'maxItems':
      return `${path} must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p['limit'])} entries.`;
    case 'minLength':
      return `${path} must not be empty.`;
    case 'uniqueItems':
      return `${path} lists the same entry twice: remove the duplicate.`;
    default:
      return `${path}: ${e.message ?? 'is not valid'}.`;
  }
}
