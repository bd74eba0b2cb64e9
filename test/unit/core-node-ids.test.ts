// The one node-id rule (src/core/nodeIds.ts), checked end to end: every place that meets a new id (the
// designer protocol, the model edit, the schema through the loader, the analysis and real tfjs) accepts
// and refuses the same ids. Before, `_conv1` passed the protocol and the edit and then failed the schema.
import { valueOrNull } from '../../src/protocol/parseResult';
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { applyModelEdit, ModelEditError } from '../../src/core/applyModelEdit';
import { DEFAULT_COMPILE, DEFAULT_TRAINING, type ModelFile } from '../../src/core/format';
import { parseModelText } from '../../src/core/loader';
import { isValidNodeId, NODE_ID_RULE, suggestNodeId } from '../../src/core/nodeIds';
import { serializeModel } from '../../src/core/serialize';
import { analyzeModel } from '../../src/core/shapeInference';
import { buildTfModel } from '../../src/engine/model/buildTfModel';
import { parseDesignerToHost } from '../../src/protocol/designer';

before(async () => {
  await tf.setBackend('cpu');
});

function chain(): ModelFile {
  return {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name: 'ids',
    nodes: [
      { id: 'input', type: 'Input', params: { shape: [8, 8, 1] }, inputs: [] },
      { id: 'conv1', type: 'Conv2D', params: { filters: 2 }, inputs: ['input'] },
      { id: 'flat', type: 'Flatten', params: {}, inputs: ['conv1'] },
      { id: 'dense', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['flat'] },
    ],
    compile: structuredClone(DEFAULT_COMPILE),
    training: structuredClone(DEFAULT_TRAINING),
  };
}

const renameMessage = (newId: string): unknown => ({
  type: 'edit',
  documentUri: 'file:///m.cnn.json',
  baseVersion: 1,
  edit: { kind: 'renameNode', id: 'conv1', newId },
});

const accepted = ['a', 'conv1', 'Conv_1', 'block1.conv-2', `c${'x'.repeat(63)}`];
const refused = ['', '_conv1', '1conv', '-conv', '.conv', 'conv 1', 'conv/1', 'convé', 'конв', `c${'x'.repeat(64)}`];

test('ids the rule accepts pass the protocol, the edit, the schema, the analysis and tfjs', () => {
  for (const id of accepted) {
    assert.equal(isValidNodeId(id), true, id);
    assert.notEqual(valueOrNull(parseDesignerToHost(renameMessage(id))), null, `protocol refused "${id}"`);
    const renamed = applyModelEdit(chain(), { kind: 'renameNode', id: 'conv1', newId: id });
    const parsed = parseModelText(serializeModel(renamed));
    assert.deepEqual(parsed.diagnostics, [], `loading a model with "${id}"`);
    assert.ok(parsed.model, id);
    assert.deepEqual(analyzeModel(parsed.model).diagnostics, [], `analysing a model with "${id}"`);
    const built = buildTfModel(tf, parsed.model);
    try {
      assert.equal(built.getLayer(id).name, id, 'tfjs uses the id as the layer name');
    } finally {
      built.dispose();
    }
  }
});

test('ids the rule refuses are refused by the protocol, the edit, the schema and the analysis alike', () => {
  for (const id of refused) {
    assert.equal(isValidNodeId(id), false, id);
    assert.equal(valueOrNull(parseDesignerToHost(renameMessage(id))), null, `protocol accepted "${JSON.stringify(id)}"`);
    assert.throws(
      () => applyModelEdit(chain(), { kind: 'renameNode', id: 'conv1', newId: id }),
      (e: unknown) => e instanceof ModelEditError && e.code === 'bad-id' && e.message === `"${id}" is not a usable layer id: ${NODE_ID_RULE}.`,
      id,
    );
    if (id === '') continue; // an empty id is "no text id", reported by its own check
    const model = chain();
    model.nodes[1] = { ...model.nodes[1]!, id };
    model.nodes[2] = { ...model.nodes[2]!, inputs: [id] };
    const parsed = parseModelText(serializeModel(model));
    assert.ok(parsed.model, `a bad id still loads (${id})`);
    // The loader leaves id-pattern errors to the analysis, which names the node and suggests an id.
    const codes = [...parsed.diagnostics, ...analyzeModel(parsed.model).diagnostics].map((d) => d.code);
    assert.ok(codes.includes('invalid-id'), `"${id}" is reported as invalid-id (got ${codes.join(', ')})`);
  }
});

test('tfjs itself refuses a leading underscore, the reason the rule wants a letter first', () => {
  const model = applyModelEdit(chain(), { kind: 'renameNode', id: 'conv1', newId: 'ok' });
  model.nodes[1] = { ...model.nodes[1]!, id: '_conv1' };
  model.nodes[2] = { ...model.nodes[2]!, inputs: ['_conv1'] };
  assert.throws(() => buildTfModel(tf, model).dispose(), /_conv1/);
});

test('suggestNodeId turns text into an id the rule accepts', () => {
  assert.equal(suggestNodeId('conv 1'), 'conv_1');
  assert.equal(suggestNodeId('_conv1'), 'conv1');
  assert.equal(suggestNodeId('12 dense'), 'dense');
  assert.equal(suggestNodeId('x'.repeat(100)).length, 64);
  for (const text of ['conv 1', '_conv1', '12 dense', 'x'.repeat(100), 'a/b/c']) assert.equal(isValidNodeId(suggestNodeId(text)), true, text);
});
