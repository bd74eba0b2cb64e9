// Fuzzing the loader and the analysis: mutated templates, random values in every field, garbled and
// truncated text. Nothing may throw, prototypes stay clean, and whatever loads saves and loads again
// to the same model.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LAYER_TYPES } from '../../src/core/catalogue';
import { parseModelText } from '../../src/core/loader';
import { serializeModel } from '../../src/core/serialize';
import { analyzeModel } from '../../src/core/shapeInference';
import { formatSummary, summaryJson } from '../../src/core/summary';
import { createModelFromTemplate, TEMPLATES } from '../../src/core/templates';
import { mulberry32 } from '../../src/engine/data/random';


const rnd = mulberry32(20261125);
const int = (n: number): number => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', ''];

function randomValue(depth = 0): unknown {
  switch (int(depth > 2 ? 6 : 9)) {
    case 0:
      return pick([0, 1, -1, 2, 3, 1.5, -0.5, 1e308, -1e308, 2 ** 53, 1e-320, 8193, 65537, 100000]);
    case 1:
      return pick(['', 'relu', 'same', 'valid', 'x'.repeat(500), ...NASTY_KEYS, ...LAYER_TYPES, 'conv1', 'input']);
    case 2:
      return pick([true, false]);
    case 3:
      return null;
    case 4:
      return pick([[], [1], [3, 3], [0, 0], [-1], [1, 2, 3], [[1, 1], [1, 1]], [[0, 0]], ['a', 'b'], [null, 1], [1e9, 1e9, 3]]);
    case 5:
      return int(1000) - 500;
    case 6:
      return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = int(4); i > 0; i--) Object.defineProperty(o, pick([...NASTY_KEYS, 'x', 'filters', 'id', 'type']), { value: randomValue(depth + 1), enumerable: true, configurable: true, writable: true });
      return o;
    }
  }
}

type Json = Record<string, unknown> | unknown[];

/** Every container in the document with its keys, so a mutation can hit any field. */
function containers(v: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(v)) {
    out.push(v);
    for (const x of v) containers(x, out);
  } else if (v && typeof v === 'object') {
    out.push(v as Record<string, unknown>);
    for (const x of Object.values(v)) containers(x, out);
  }
  return out;
}

function mutate(doc: unknown): void {
  const all = containers(doc);
  const target = pick(all);
  const action = int(6);
  if (Array.isArray(target)) {
    if (target.length === 0 || action === 0) target.push(randomValue());
    else if (action === 1) target.splice(int(target.length), 1);
    else if (action === 2) target.push(structuredClone(target[int(target.length)]));
    else if (action === 3) target.reverse();
    else target[int(target.length)] = randomValue();
    return;
  }
  const keys = Object.keys(target);
  if (keys.length === 0 || action === 0) {
    Object.defineProperty(target, pick([...NASTY_KEYS, 'extra', 'filters', 'units', 'inputs']), { value: randomValue(), enumerable: true, configurable: true, writable: true });
  } else if (action === 1) {
    delete target[pick(keys)];
  } else if (action === 2 && 'inputs' in target) {
    target['inputs'] = [pick(['conv1', 'input', 'nope', '__proto__', 'constructor', String(target['id'])])];
  } else if (action === 3 && 'type' in target) {
    target['type'] = pick([...LAYER_TYPES, 'toString', 'constructor', 'Conv3D']);
  } else {
    target[pick(keys)] = randomValue();
  }
}

/** Returns whether the text loaded as a model (so the tests can check they reach the analysis). */
function exercise(text: string, label: string): boolean {
  let result: ReturnType<typeof parseModelText>;
  try {
    result = parseModelText(text);
  } catch (err) {
    assert.fail(`${label}: parseModelText threw ${String(err)} on ${text.slice(0, 300)}`);
  }
  assert.ok(Array.isArray(result.diagnostics));
  if (result.model === null) {
    assert.ok(result.diagnostics.some((d) => d.severity === 'error'), `${label}: no model but no error`);
    return false;
  }
  const model = result.model;
  try {
    const a = analyzeModel(model);
    analyzeModel(model, { numClasses: 1 + int(20) });
    formatSummary(model, a);
    summaryJson(model, a);
    for (const d of a.diagnostics) assert.ok(typeof d.message === 'string' && d.message.length > 0);
    const saved = serializeModel(model);
    const again = parseModelText(saved);
    assert.ok(again.model, `${label}: a loaded model must load again after saving: ${JSON.stringify(again.diagnostics)}`);
    assert.equal(serializeModel(again.model), saved, `${label}: save → load → save is stable`);
  } catch (err) {
    throw new Error(`${label}: ${err instanceof Error ? err.stack : String(err)}\n--- input ---\n${text.slice(0, 2000)}`);
  }
  return true;
}

test('mutated templates (random values in every field) never make the loader or the analysis throw', () => {
  let loaded = 0;
  for (let i = 0; i < 1500; i++) {
    const doc: unknown = JSON.parse(serializeModel(createModelFromTemplate(pick(TEMPLATES).id)));
    for (let k = 1 + int(4); k > 0; k--) mutate(doc);
    if (exercise(JSON.stringify(doc), `mutation ${i}`)) loaded++;
  }
  assert.ok(loaded > 500, `only ${loaded} of 1500 mutated models loaded, so the analysis was barely exercised`);
});

test('truncated and garbled text never makes the loader throw', () => {
  const alphabet = '{}[],:"0123456789-.eE \n\\abcnulltrue_proto';
  for (let i = 0; i < 600; i++) {
    const text = serializeModel(createModelFromTemplate(pick(TEMPLATES).id));
    const cut = text.slice(0, int(text.length));
    exercise(cut, `truncation ${i}`);
    const chars = [...text];
    for (let k = 1 + int(5); k > 0; k--) chars[int(chars.length)] = alphabet[int(alphabet.length)]!;
    exercise(chars.join(''), `garble ${i}`);
  }
});

test('random JSON documents and extreme inputs never make the loader throw', () => {
  for (let i = 0; i < 500; i++) exercise(JSON.stringify(randomValue()) ?? 'null', `random ${i}`);
  const extremes = [
    '',
    ' ',
    '\u0000',
    '['.repeat(100000),
    '{"a":'.repeat(50000),
    `{"format":"cnn-studio-model","formatVersion":1e400,"name":"x","nodes":[]}`,
    `{"format":"cnn-studio-model","formatVersion":-1}`,
    `{"format":"cnn-studio-model","formatVersion":0.5}`,
    `{"format":"cnn-studio-model","formatVersion":"1"}`,
    `{"format":"cnn-studio-model","formatVersion":0,"layers":"x"}`,
    `{"format":"cnn-studio-model","formatVersion":0,"layers":[1,null,{"type":7},{"type":"Conv2D","config":[]}],"inputShape":"x"}`,
    `{"format":"cnn-studio-model","formatVersion":1,"name":"x","nodes":[{"id":"input","type":"Input","params":{"shape":[1e300,1e300,3]},"inputs":[]},{"id":"d","type":"Dense","params":{"units":65536},"inputs":["input"]}]}`,
    `{"format":"cnn-studio-model","formatVersion":1,"name":"x","nodes":[{"id":"a","type":"Add","params":{},"inputs":["a","a"]}]}`,
    `{"__proto__":{"polluted":1},"format":"cnn-studio-model","formatVersion":1,"name":"x","nodes":[{"id":"constructor","type":"toString","params":{"__proto__":1},"inputs":["__proto__"]}]}`,
  ];
  for (const [i, text] of extremes.entries()) exercise(text, `extreme ${i}`);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined, 'Object.prototype was not polluted');
});

test('analyzeModel never throws on in-memory models mid-edit (holes, wrong types, no settings)', () => {
  for (let i = 0; i < 400; i++) {
    const m = createModelFromTemplate(pick(TEMPLATES).id) as unknown as { nodes: unknown[]; [k: string]: unknown };
    for (let k = 1 + int(4); k > 0; k--) {
      const node = m.nodes[int(m.nodes.length)] as Record<string, unknown>;
      const field = pick(['id', 'type', 'params', 'inputs', 'position']);
      if (int(10) === 0) m.nodes[int(m.nodes.length)] = pick([null, 5, 'x', []]);
      else if (node && typeof node === 'object') node[field] = randomValue();
    }
    if (int(5) === 0) delete m['compile'];
    if (int(5) === 0) m['dataset'] = randomValue();
    const model = m as unknown as Parameters<typeof analyzeModel>[0];
    try {
      const a = analyzeModel(model, { numClasses: 1 + int(12) });
      formatSummary(model, a);
      summaryJson(model, a);
    } catch (err) {
      throw new Error(`in-memory model ${i}: ${err instanceof Error ? err.stack : String(err)}\n${JSON.stringify(m).slice(0, 1500)}`);
    }
  }
});
