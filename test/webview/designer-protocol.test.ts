/**
 * The designer protocol's runtime validators (no browser): the host rejects anything malformed, and
 * the snapshot content is built the same way by the host and the tests.
 */
import { valueOrNull } from '../../src/protocol/parseResult';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelText } from '../../src/core/loader';
import { designerContentFromParse, parseDesignerToHost, parseHostToDesigner } from '../../src/protocol/designer';
import { templateText } from './harness/designerFixtures';

const uri = 'file:///m.cnn.json';

test('valid webview messages pass and come back as the same data', () => {
  const messages = [
    { type: 'ready' },
    { type: 'requestSnapshot', documentUri: uri },
    { type: 'openAsText', documentUri: uri },
    { type: 'undo', documentUri: uri },
    { type: 'redo', documentUri: uri },
    { type: 'showError', message: 'Paste failed: the clipboard holds no layers.' },
    { type: 'runCommand', documentUri: uri, command: 'cnnStudio.train' },
    { type: 'edit', documentUri: uri, baseVersion: 3, edit: { kind: 'setParam', id: 'conv1', param: 'filters', value: 48 } },
    { type: 'edit', documentUri: uri, baseVersion: 3, edit: { kind: 'setParam', id: 'conv1', param: 'filters' } },
    {
      type: 'edit',
      documentUri: uri,
      baseVersion: 0,
      edit: {
        kind: 'batch',
        label: 'Insert Dropout',
        edits: [
          { kind: 'addNode', node: { id: 'dropout1', type: 'Dropout', params: { rate: 0.3 }, inputs: ['dense1'] } },
          { kind: 'disconnect', from: 'dense1', to: 'dense2' },
          { kind: 'connect', from: 'dropout1', to: 'dense2', index: 0 },
        ],
      },
    },
    { type: 'edit', documentUri: uri, baseVersion: 1, edit: { kind: 'moveNodes', positions: { conv1: { x: 10, y: -4.5 } } } },
    { type: 'edit', documentUri: uri, baseVersion: 1, edit: { kind: 'setParam', id: 'pad', param: 'padding', value: [[1, 1], [2, 2]] } },
  ];
  for (const m of messages) assert.deepEqual(valueOrNull(parseDesignerToHost(m)), m, JSON.stringify(m));
});

test('malformed or unknown webview messages are rejected', () => {
  const bad: unknown[] = [
    null,
    'ready',
    [],
    { type: 'nope' },
    { type: 'requestSnapshot' },
    { type: 'edit', documentUri: uri, baseVersion: 1.5, edit: { kind: 'removeNodes', ids: ['a'] } },
    { type: 'edit', documentUri: uri, baseVersion: 1, edit: { kind: 'removeNodes', ids: [] } },
    { type: 'edit', documentUri: uri, baseVersion: 1, edit: { kind: 'explode' } },
    { type: 'edit', documentUri: uri, baseVersion: 1, edit: { kind: 'setParam', id: 'a', param: 'x', value: { nested: true } } },
    { type: 'edit', documentUri: uri, baseVersion: 1, edit: { kind: 'setParam', id: 'a', param: 'x', value: Number.NaN } },
    { type: 'edit', documentUri: uri, baseVersion: 1, edit: { kind: 'renameNode', id: 'a', newId: '1 bad id' } },
    { type: 'edit', documentUri: uri, baseVersion: 1, edit: { kind: 'addNode', node: { id: 'a', type: 'Dense', params: {}, inputs: 'b' } } },
    { type: 'edit', documentUri: uri, baseVersion: 1, edit: { kind: 'moveNodes', positions: { a: { x: 1 } } } },
    { type: 'edit', documentUri: uri, baseVersion: 1, edit: { kind: 'batch', label: 'x', edits: [{ kind: 'nope' }] } },
    { type: 'showError', message: '' },
    { type: 'runCommand', documentUri: uri },
  ];
  for (const m of bad) assert.equal(valueOrNull(parseDesignerToHost(m)), null, JSON.stringify(m));
});

test('typed settings edits pass; a malformed or out-of-range setting edit is rejected before use', () => {
  const good = [
    { kind: 'setCompileSettings', settings: { learningRate: 0.01, optimizer: 'sgd' } },
    { kind: 'setTrainingSettings', settings: { epochs: 3, earlyStopping: { enabled: true, monitor: 'valAccuracy', patience: 2, restoreBestWeights: false } } },
    { kind: 'setDataset', dataset: { kind: 'imageFolder', path: 'data', imageSize: [28, 28], colorMode: 'grayscale' } },
    { kind: 'setDataset', dataset: null },
  ];
  for (const edit of good) {
    const m = { type: 'edit', documentUri: uri, baseVersion: 2, edit };
    assert.deepEqual(valueOrNull(parseDesignerToHost(m)), m, JSON.stringify(edit));
  }
  const bad: unknown[] = [
    { kind: 'setSetting', path: ['training', 'epochs'], value: 3 }, // the untyped edit is gone
    { kind: 'setCompileSettings', settings: { learningRate: 0 } },
    { kind: 'setCompileSettings', settings: { learningRate: '0.1' } },
    { kind: 'setCompileSettings', settings: { optimizer: 'lbfgs' } },
    { kind: 'setCompileSettings', settings: { nodes: [] } },
    { kind: 'setCompileSettings', settings: 'adam' },
    { kind: 'setTrainingSettings', settings: { epochs: 2.5 } },
    { kind: 'setTrainingSettings', settings: { earlyStopping: { patience: 7 } } },
    { kind: 'setTrainingSettings' },
    { kind: 'setDataset', dataset: { kind: 'imageFolder', path: '', imageSize: [28, 28], colorMode: 'grayscale' } },
    { kind: 'setDataset', dataset: { kind: 'imageFolder', path: 'data', imageSize: [28], colorMode: 'grayscale' } },
    { kind: 'setDataset' },
  ];
  for (const edit of bad) assert.equal(valueOrNull(parseDesignerToHost({ type: 'edit', documentUri: uri, baseVersion: 2, edit })), null, JSON.stringify(edit));
});

test('batches nested too deep are rejected (no unbounded recursion from a message)', () => {
  let edit: unknown = { kind: 'setName', name: 'x' };
  for (let i = 0; i < 10; i++) edit = { kind: 'batch', label: 'x', edits: [edit] };
  assert.equal(valueOrNull(parseDesignerToHost({ type: 'edit', documentUri: uri, baseVersion: 1, edit })), null);
});

test('snapshot content: a model, or the parser error with its line and column', () => {
  const ok = designerContentFromParse(parseModelText(templateText('tutorial-cifar')));
  assert.equal(ok.kind, 'model');
  assert.equal(ok.kind === 'model' && ok.model.nodes.length, 11);

  const broken = designerContentFromParse(parseModelText('{\n  "format": "cnn-studio-model",\n  oops\n}'));
  assert.equal(broken.kind, 'invalid');
  if (broken.kind !== 'invalid') return;
  assert.match(broken.message, /not valid JSON/);
  assert.equal(broken.line, 3);
  assert.equal(typeof broken.column, 'number');

  const notModel = designerContentFromParse(parseModelText('{"hello": 1}'));
  assert.equal(notModel.kind, 'invalid');
  assert.match(notModel.kind === 'invalid' ? notModel.message : '', /not a CNN Studio model/);
});

test('the webview accepts host messages and ignores malformed ones', () => {
  const content = designerContentFromParse(parseModelText(templateText('tutorial-cifar')));
  const snap = { type: 'snapshot', documentUri: uri, version: 2, text: '{}', content };
  assert.deepEqual(valueOrNull(parseHostToDesigner(snap)), snap);
  assert.equal(valueOrNull(parseHostToDesigner({ ...snap, version: '2' })), null);
  assert.equal(valueOrNull(parseHostToDesigner({ ...snap, content: { kind: 'weird' } })), null);
  assert.equal(valueOrNull(parseHostToDesigner({ type: 'revealNode', documentUri: uri })), null);
  assert.ok(valueOrNull(parseHostToDesigner({ type: 'revealNode', documentUri: uri, nodeId: 'conv1' })));
  assert.ok(valueOrNull(parseHostToDesigner({ type: 'editRejected', documentUri: uri, baseVersion: 1, message: 'stale' })));
});
