import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyModelEdit, ModelEditError } from '../../src/core/applyModelEdit';
import { DEFAULT_COMPILE, DEFAULT_TRAINING, type ModelFile } from '../../src/core/format';

function chain(): ModelFile {
  return {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name: 'chain',
    nodes: [
      { id: 'input', type: 'Input', params: { shape: [28, 28, 1] }, inputs: [] },
      { id: 'conv', type: 'Conv2D', params: { filters: 8 }, inputs: ['input'] },
      { id: 'flat', type: 'Flatten', params: {}, inputs: ['conv'] },
      { id: 'dense', type: 'Dense', params: { units: 10 }, inputs: ['flat'] },
    ],
    compile: structuredClone(DEFAULT_COMPILE),
    training: structuredClone(DEFAULT_TRAINING),
  };
}

const ids = (m: ModelFile) => m.nodes.map((n) => n.id);
const inputsOf = (m: ModelFile, id: string) => m.nodes.find((n) => n.id === id)!.inputs;

function throwsCode(fn: () => unknown, code: string) {
  assert.throws(fn, (e: unknown) => e instanceof ModelEditError && e.code === code && e.userFacing && e.message.length > 10);
}

test('addNode on an edge goes between the two layers and right after the first in the file', () => {
  const before = chain();
  const after = applyModelEdit(before, {
    kind: 'addNode',
    node: { id: 'drop', type: 'Dropout', params: { rate: 0.5 }, inputs: [] },
    insertOnEdge: { from: 'flat', to: 'dense' },
  });
  assert.deepEqual(ids(after), ['input', 'conv', 'flat', 'drop', 'dense']);
  assert.deepEqual(inputsOf(after, 'drop'), ['flat']);
  assert.deepEqual(inputsOf(after, 'dense'), ['drop']);
  assert.deepEqual(before, chain(), 'the input model is not mutated');
});

test('addNode rejects duplicate ids, unknown types, unknown inputs and edges that do not exist', () => {
  const m = chain();
  throwsCode(() => applyModelEdit(m, { kind: 'addNode', node: { id: 'conv', type: 'Dense', params: {}, inputs: [] } }), 'duplicate-id');
  throwsCode(() => applyModelEdit(m, { kind: 'addNode', node: { id: 'x', type: 'Conv5D', params: {}, inputs: [] } }), 'unknown-layer');
  throwsCode(() => applyModelEdit(m, { kind: 'addNode', node: { id: 'x', type: 'Dense', params: {}, inputs: ['nope'] } }), 'unknown-node');
  throwsCode(() => applyModelEdit(m, { kind: 'addNode', node: { id: '1 bad', type: 'Dense', params: {}, inputs: [] } }), 'bad-id');
  throwsCode(
    () => applyModelEdit(m, { kind: 'addNode', node: { id: 'x', type: 'Dense', params: {}, inputs: [] }, insertOnEdge: { from: 'input', to: 'dense' } }),
    'not-connected',
  );
});

test('addNode with inputs is placed after its last input; addNodes appends', () => {
  const m = applyModelEdit(chain(), { kind: 'addNode', node: { id: 'side', type: 'Flatten', params: {}, inputs: ['conv'] } });
  assert.deepEqual(ids(m), ['input', 'conv', 'side', 'flat', 'dense']);
  const m2 = applyModelEdit(chain(), {
    kind: 'addNodes',
    nodes: [
      { id: 'a', type: 'Dense', params: {}, inputs: [] },
      { id: 'b', type: 'Dense', params: {}, inputs: [] },
    ],
  });
  assert.deepEqual(ids(m2).slice(-2), ['a', 'b']);
  throwsCode(
    () => applyModelEdit(chain(), { kind: 'addNodes', nodes: [{ id: 'a', type: 'Dense', params: {}, inputs: [] }, { id: 'a', type: 'Dense', params: {}, inputs: [] }] }),
    'duplicate-id',
  );
});

test('removeNodes bridges single-input layers, also through removed chains', () => {
  const m = applyModelEdit(chain(), { kind: 'removeNodes', ids: ['flat'] });
  assert.deepEqual(ids(m), ['input', 'conv', 'dense']);
  assert.deepEqual(inputsOf(m, 'dense'), ['conv']);
  const m2 = applyModelEdit(chain(), { kind: 'removeNodes', ids: ['conv', 'flat'] });
  assert.deepEqual(inputsOf(m2, 'dense'), ['input']);
  const m3 = applyModelEdit(chain(), { kind: 'removeNodes', ids: ['input'] });
  assert.deepEqual(inputsOf(m3, 'conv'), [], 'a removed node without inputs is just dropped from its consumers');
  throwsCode(() => applyModelEdit(chain(), { kind: 'removeNodes', ids: ['ghost'] }), 'unknown-node');
});

test('setParam sets and removes; unknown params are refused with the list of real ones', () => {
  const m = applyModelEdit(chain(), { kind: 'setParam', id: 'conv', param: 'padding', value: 'same' });
  assert.equal(m.nodes[1]!.params['padding'], 'same');
  const m2 = applyModelEdit(m, { kind: 'setParam', id: 'conv', param: 'filters', value: undefined });
  assert.deepEqual(m2.nodes[1]!.params, { padding: 'same' });
  assert.throws(
    () => applyModelEdit(chain(), { kind: 'setParam', id: 'conv', param: 'units', value: 3 }),
    (e: unknown) => e instanceof ModelEditError && e.code === 'unknown-param' && /filters/.test(e.message),
  );
  const m3 = applyModelEdit(chain(), { kind: 'setParams', id: 'dense', params: { units: 4, activation: 'softmax' } });
  assert.deepEqual(m3.nodes[3]!.params, { units: 4, activation: 'softmax' });
});

test('connect and disconnect keep the graph acyclic and report missing edges', () => {
  const m = applyModelEdit(chain(), { kind: 'disconnect', from: 'flat', to: 'dense' });
  assert.deepEqual(inputsOf(m, 'dense'), []);
  const m2 = applyModelEdit(m, { kind: 'connect', from: 'flat', to: 'dense' });
  assert.deepEqual(inputsOf(m2, 'dense'), ['flat']);
  const m3 = applyModelEdit(m2, { kind: 'connect', from: 'conv', to: 'dense', index: 0 });
  assert.deepEqual(inputsOf(m3, 'dense'), ['conv', 'flat']);
  throwsCode(() => applyModelEdit(chain(), { kind: 'connect', from: 'dense', to: 'conv' }), 'cycle');
  throwsCode(() => applyModelEdit(chain(), { kind: 'connect', from: 'conv', to: 'conv' }), 'cycle');
  throwsCode(() => applyModelEdit(chain(), { kind: 'connect', from: 'conv', to: 'flat' }), 'already-connected');
  throwsCode(() => applyModelEdit(chain(), { kind: 'connect', from: 'input', to: 'flat', index: 5 }), 'bad-index');
  throwsCode(() => applyModelEdit(chain(), { kind: 'disconnect', from: 'input', to: 'dense' }), 'not-connected');
});

test('renameNode follows every reference; moveNodes sets positions', () => {
  const m = applyModelEdit(chain(), { kind: 'renameNode', id: 'flat', newId: 'flatten_1' });
  assert.deepEqual(ids(m), ['input', 'conv', 'flatten_1', 'dense']);
  assert.deepEqual(inputsOf(m, 'dense'), ['flatten_1']);
  throwsCode(() => applyModelEdit(chain(), { kind: 'renameNode', id: 'flat', newId: 'conv' }), 'duplicate-id');
  const moved = applyModelEdit(chain(), { kind: 'moveNodes', positions: { conv: { x: 10, y: 20 } } });
  assert.deepEqual(moved.nodes[1]!.position, { x: 10, y: 20 });
  throwsCode(() => applyModelEdit(chain(), { kind: 'moveNodes', positions: { ghost: { x: 0, y: 0 } } }), 'unknown-node');
});

test('settings edits merge typed fields and are checked when made; setName trims', () => {
  const m = applyModelEdit(chain(), { kind: 'setTrainingSettings', settings: { epochs: 3 } });
  assert.equal(m.training.epochs, 3);
  assert.equal(m.training.batchSize, DEFAULT_TRAINING.batchSize);
  assert.equal(chain().training.epochs, DEFAULT_TRAINING.epochs);
  const m2 = applyModelEdit(chain(), { kind: 'setTrainingSettings', settings: { earlyStopping: { ...DEFAULT_TRAINING.earlyStopping, patience: 7 } } });
  assert.equal(m2.training.earlyStopping.patience, 7);
  const m3 = applyModelEdit(chain(), { kind: 'setCompileSettings', settings: { loss: 'categoricalCrossentropy' } });
  assert.equal(m3.compile.loss, 'categoricalCrossentropy');
  assert.equal(m3.compile.optimizer, chain().compile.optimizer);
  const dataset = { kind: 'imageFolder', path: 'data', imageSize: [32, 32], colorMode: 'rgb' } as const;
  const m4 = applyModelEdit(chain(), { kind: 'setDataset', dataset: { ...dataset, imageSize: [32, 32] } });
  assert.deepEqual(m4.dataset, { ...dataset, imageSize: [32, 32] });
  assert.equal(applyModelEdit(m4, { kind: 'setDataset', dataset: null }).dataset, undefined);
  // Values the schema refuses are refused now, with the loader's message (not on the next parse).
  throwsCode(() => applyModelEdit(chain(), { kind: 'setTrainingSettings', settings: { epochs: 0 } }), 'bad-setting');
  throwsCode(() => applyModelEdit(chain(), { kind: 'setCompileSettings', settings: { learningRate: -1 } }), 'bad-setting');
  assert.throws(() => applyModelEdit(chain(), { kind: 'setTrainingSettings', settings: { batchSize: 0 } }), /training\.batchSize.*>= 1/);
  assert.equal(applyModelEdit(chain(), { kind: 'setName', name: '  net ' }).name, 'net');
  throwsCode(() => applyModelEdit(chain(), { kind: 'setName', name: '  ' }), 'bad-name');
});

test('batch applies in order and fails as a whole', () => {
  const m = applyModelEdit(chain(), {
    kind: 'batch',
    label: 'insert and tune',
    edits: [
      { kind: 'addNode', node: { id: 'drop', type: 'Dropout', params: {}, inputs: [] }, insertOnEdge: { from: 'flat', to: 'dense' } },
      { kind: 'setParam', id: 'drop', param: 'rate', value: 0.25 },
    ],
  });
  assert.equal(m.nodes.find((n) => n.id === 'drop')!.params['rate'], 0.25);
  const original = chain();
  throwsCode(
    () => applyModelEdit(original, { kind: 'batch', label: 'bad', edits: [{ kind: 'setName', name: 'x' }, { kind: 'removeNodes', ids: ['ghost'] }] }),
    'unknown-node',
  );
  assert.equal(original.name, 'chain');
});
