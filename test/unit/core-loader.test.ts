// The loader: format tag, versions, migrations, defaults and schema messages.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkModelText, mergeDiagnostics } from '../../src/core/checkModel';
import { parseModelText, serializeModel } from '../../src/core/loader';
import { buildModelSchema } from '../../src/core/schema';
import { DEFAULT_TRAINING } from '../../src/core/format';

const fixtures = join(__dirname, '..', 'fixtures', 'models');

const minimal = {
  format: 'cnn-studio-model',
  formatVersion: 1,
  name: 'm',
  nodes: [
    { id: 'input', type: 'Input', params: { shape: [8, 8, 1] }, inputs: [] },
    { id: 'flatten1', type: 'Flatten', params: {}, inputs: ['input'] },
    { id: 'dense1', type: 'Dense', params: { units: 2, activation: 'softmax' }, inputs: ['flatten1'] },
  ],
};

test('invalid JSON gives a located invalid-json error', () => {
  const r = parseModelText('{\n  "format": \n}');
  assert.equal(r.model, null);
  assert.equal(r.diagnostics[0]!.code, 'invalid-json');
  assert.match(r.diagnostics[0]!.message, /line 3, column 1/);
});

test('a JSON file that is not a model is refused with how to make one', () => {
  for (const t of ['[]', '42', '{"format":"other"}', 'null']) {
    const r = parseModelText(t);
    assert.equal(r.model, null);
    assert.equal(r.diagnostics[0]!.code, 'not-a-model');
    assert.match(r.diagnostics[0]!.message, /cnn-studio new/);
  }
});

test('a newer format version is refused with the exact message', () => {
  const r = parseModelText(JSON.stringify({ ...minimal, formatVersion: 3 }));
  assert.equal(r.model, null);
  assert.equal(r.diagnostics[0]!.code, 'unsupported-version');
  assert.equal(
    r.diagnostics[0]!.message,
    'This file was written by a newer CNN Studio (format version 3); update the extension to open it.',
  );
});

test('missing compile and training settings are filled with defaults', () => {
  const r = parseModelText(JSON.stringify({ ...minimal, training: { epochs: 3, earlyStopping: { enabled: true } } }));
  assert.ok(r.model, JSON.stringify(r.diagnostics));
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.model.compile.loss, 'sparseCategoricalCrossentropy');
  assert.equal(r.model.training.epochs, 3);
  assert.equal(r.model.training.batchSize, DEFAULT_TRAINING.batchSize);
  assert.equal(r.model.training.earlyStopping.enabled, true);
  assert.equal(r.model.training.earlyStopping.patience, DEFAULT_TRAINING.earlyStopping.patience);
});

test('version 0 drafts migrate to a chain of nodes with readable ids', () => {
  const r = parseModelText(readFileSync(join(fixtures, 'v0-draft.cnn.json'), 'utf8'));
  assert.ok(r.model, JSON.stringify(r.diagnostics));
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.severity]),
    [['migrated', 'info']],
  );
  const m = r.model;
  assert.equal(m.formatVersion, 1);
  assert.deepEqual(
    m.nodes.map((n) => [n.id, n.type, n.inputs.join(',')]),
    [
      ['input', 'Input', ''],
      ['conv1', 'Conv2D', 'input'],
      ['pool_a', 'MaxPooling2D', 'conv1'],
      ['conv2', 'Conv2D', 'pool_a'],
      ['pool1', 'MaxPooling2D', 'conv2'],
      ['flatten1', 'Flatten', 'pool1'],
      ['dense1', 'Dense', 'flatten1'],
    ],
  );
  assert.deepEqual(m.nodes[1]!.params['kernelSize'], [5, 5], 'scalar kernel sizes become pairs');
  assert.deepEqual(m.nodes[2]!.params['poolSize'], [2, 2]);
  assert.equal(m.compile.optimizer, 'sgd');
  assert.equal(m.compile.learningRate, 0.01);
  assert.equal(m.training.epochs, 3);
  assert.equal(m.training.batchSize, 32);
  // The migrated model loads again as version 1 without any diagnostics.
  const again = parseModelText(serializeModel(m));
  assert.deepEqual(again.diagnostics, []);
  assert.deepEqual(again.model, m);
});

test('schema errors name the JSON path and the fix, and block loading', () => {
  const bad = { ...minimal, name: 3, compile: { loss: 'hinge' }, nodes: [{ id: '9x', type: 'Input', inputs: 'a' }] };
  const r = parseModelText(JSON.stringify(bad));
  assert.equal(r.model, null);
  const messages = r.diagnostics.filter((d) => d.code === 'schema').map((d) => d.message);
  assert.ok(messages.includes('name must be a string, but is number 3: change it to a string.'), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('compile.loss is string "hinge"; use one of: "sparseCategoricalCrossentropy"')));
  assert.ok(messages.some((m) => m.startsWith('nodes[0].inputs must be an array')));
});

test('unknown properties are warnings, dropped on save; param problems are left to analyzeModel', () => {
  const doc = structuredClone(minimal) as { nodes: Record<string, unknown>[] } & Record<string, unknown>;
  doc['colour'] = 'red';
  doc['training'] = { epochs: 2, earlyStopping: { enabled: true, patienc: 9 } };
  doc.nodes[2]!['params'] = { units: -4, activation: 'nope', kernelSize: 3 };
  const r = parseModelText(JSON.stringify(doc));
  assert.ok(r.model);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.code, d.severity]),
    [
      ['schema', 'warning'],
      ['schema', 'warning'],
    ],
  );
  assert.match(r.diagnostics[0]!.message, /Unknown property "colour" in the top level/);
  assert.match(r.diagnostics[1]!.message, /Unknown property "patienc" in training\.earlyStopping/);
  assert.ok(!serializeModel(r.model).includes('"patienc"'));
  assert.equal(r.model.training.earlyStopping.enabled, true);
  assert.deepEqual(r.model.nodes[2]!.params, { units: -4, activation: 'nope', kernelSize: 3 });
  assert.ok(!serializeModel(r.model).includes('colour'));
});

test('__proto__ keys stay data and never pollute prototypes', () => {
  const text = JSON.stringify(minimal).replace('"units":2', '"__proto__":{"polluted":true},"units":2');
  const r = parseModelText(text);
  assert.ok(r.model);
  const params = r.model.nodes[2]!.params;
  assert.ok(Object.prototype.hasOwnProperty.call(params, '__proto__'));
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal(Object.getPrototypeOf(params), Object.prototype);
  assert.ok(serializeModel(r.model).includes('"__proto__"'), 'the odd key is kept, not lost');
});

test('the schema is valid draft-07 with per-type params (if/then on type)', () => {
  const schema = buildModelSchema() as { properties: { nodes: { items: { allOf: unknown[] } } } };
  assert.ok(schema.properties.nodes.items.allOf.length >= 20);
  const text = JSON.stringify(schema);
  assert.ok(text.includes('"Number of output channels (feature maps)."'), 'help text is in the schema');
});

test('a node id tfjs cannot use still loads (analyzeModel reports it on the node, so the designer can rename it)', () => {
  const text = JSON.stringify(minimal).replace(/"flatten1"/g, '"flatten 1"');
  const r = parseModelText(text);
  assert.ok(r.model);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.model.nodes[1]!.id, 'flatten 1');
});

test('checkModelText: the loader\'s problems, then the analysis\'s, each once; no model, no analysis', () => {
  // An unknown top-level key is a loader warning; a Dense on 4-D maps is an analysis error.
  const text = JSON.stringify({
    ...minimal,
    extra: true,
    nodes: [minimal.nodes[0], { id: 'dense1', type: 'Dense', params: { units: 2, activation: 'softmax' }, inputs: ['input'] }],
  });
  const check = checkModelText(text, { numClasses: 2 });
  assert.ok(check.model && check.analysis);
  const loaded = parseModelText(text).diagnostics;
  assert.ok(loaded.length > 0 && check.analysis.diagnostics.length > 0);
  assert.deepEqual(check.diagnostics, [...loaded, ...check.analysis.diagnostics]);
  assert.deepEqual(mergeDiagnostics(check.diagnostics, check.diagnostics), check.diagnostics, 'repeats are dropped');
  const broken = checkModelText('{');
  assert.equal(broken.model, null);
  assert.equal(broken.analysis, null);
  assert.equal(broken.diagnostics[0]!.code, 'invalid-json');
});
