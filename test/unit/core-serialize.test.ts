// Saving: round trips, determinism, one-hunk diffs, templates valid against the committed JSON Schema.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Ajv from 'ajv';
import type { ModelFile } from '../../src/core/format';
import { parseModelText } from '../../src/core/loader';
import { buildModelSchema, EDITOR_ONLY_KEYWORDS } from '../../src/core/schema';
import { serializeModel } from '../../src/core/serialize';
import { createModelFromTemplate, TEMPLATES } from '../../src/core/templates';
import { schemaFileText, SCHEMA_PATH, validatorFileText, VALIDATOR_PATH } from '../../scripts/gen-schema';

const tmp = mkdtempSync(join(tmpdir(), 'cnn-serialize-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Hunks of `git diff --no-index` between two texts (git's own hunking, 3 lines of context). */
function gitHunks(a: string, b: string): string[] {
  const fa = join(tmp, 'a.cnn.json');
  const fb = join(tmp, 'b.cnn.json');
  writeFileSync(fa, a);
  writeFileSync(fb, b);
  let out = '';
  try {
    execFileSync('git', ['diff', '--no-index', '--no-color', '--unified=3', fa, fb], { encoding: 'utf8' });
  } catch (err) {
    out = (err as { stdout: string }).stdout; // exit code 1 means "differences found"
  }
  return out.split('\n').filter((l) => l.startsWith('@@'));
}

/** Same data, every object's keys in reverse order. */
function reverseKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reverseKeys) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)])) as T;
  return v;
}

test('every template round-trips through serialize and parse unchanged, without diagnostics', () => {
  for (const t of TEMPLATES) {
    const m = createModelFromTemplate(t.id);
    const text = serializeModel(m);
    const r = parseModelText(text);
    assert.deepEqual(r.diagnostics, [], t.id);
    assert.deepEqual(r.model, m, t.id);
    assert.equal(serializeModel(r.model!), text, `${t.id}: stable`);
  }
});

test('serialization is deterministic whatever the key order in memory', () => {
  for (const t of TEMPLATES) {
    const m = createModelFromTemplate(t.id);
    m.nodes[1]!.position = { x: 10, y: 20.5 };
    assert.equal(serializeModel(reverseKeys(m)), serializeModel(m), t.id);
  }
});

test('the text is 2-space JSON with a trailing newline, node keys and params in a fixed order', () => {
  const m = createModelFromTemplate('tutorial-cifar');
  const text = serializeModel(m);
  assert.ok(text.endsWith('}\n'));
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(m)));
  assert.ok(text.split('\n').every((l) => /^( {2})*\S/.test(l) || l === ''), 'indentation in steps of 2 spaces');
  assert.match(text, /\{\n {6}"id": "conv1",\n {6}"type": "Conv2D",\n {6}"params": \{\n {8}"filters": 32,\n {8}"kernelSize": \[3, 3\],\n {8}"activation": "relu"\n {6}\},\n {6}"inputs": \["input"\]\n {4}\}/);
  assert.ok(text.indexOf('"format"') < text.indexOf('"compile"') && text.indexOf('"training"') < text.indexOf('"nodes"'));
});

test('changing one layer is a one-hunk git diff', () => {
  const m = createModelFromTemplate('vgg-mini');
  const before = serializeModel(m);
  const changed = structuredClone(m);
  changed.nodes.find((n) => n.id === 'conv2b')!.params['filters'] = 96;
  const hunks = gitHunks(before, serializeModel(changed));
  assert.equal(hunks.length, 1, hunks.join('\n'));
  // Adding a param, changing a type and moving a node are each one hunk too.
  for (const edit of [
    (x: ModelFile) => (x.nodes[3]!.params['strides'] = [2, 2]),
    (x: ModelFile) => (x.nodes[4]!.type = 'AveragePooling2D'),
    (x: ModelFile) => (x.nodes[5]!.position = { x: 1, y: 2 }),
  ]) {
    const c = structuredClone(m);
    edit(c);
    assert.equal(gitHunks(before, serializeModel(c)).length, 1);
  }
});

test('the committed media/schema file is what buildModelSchema generates (run npm run -s gen:schema)', () => {
  assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), schemaFileText());
});

test('the committed precompiled validator is what ajv generates from buildModelSchema (run npm run -s gen:schema)', () => {
  assert.equal(readFileSync(VALIDATOR_PATH, 'utf8'), validatorFileText());
});

test('every template is valid against the full JSON Schema (including per-layer params)', () => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addVocabulary([...EDITOR_ONLY_KEYWORDS]);
  const validate = ajv.compile(buildModelSchema());
  for (const t of TEMPLATES) {
    const ok = validate(JSON.parse(serializeModel(createModelFromTemplate(t.id))));
    assert.ok(ok, `${t.id}: ${JSON.stringify(validate.errors)}`);
  }
  // …and the schema really checks params per layer type.
  const bad = JSON.parse(serializeModel(createModelFromTemplate('mnist-small')));
  bad.nodes[1].params.filters = 0;
  bad.nodes[1].params.poolSize = [2, 2];
  assert.equal(validate(bad), false);
  const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
  assert.ok(paths.includes('/nodes/1/params/filters minimum'), paths.join('\n'));
  assert.ok(paths.includes('/nodes/1/params additionalProperties'), paths.join('\n'));
});
