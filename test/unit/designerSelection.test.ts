/**
 * The designer's `selectionChanged` message (validator) and the host's decision to narrow an open
 * training dashboard to the selected layer (src/extension/training/layerReveal.ts).
 */
import { valueOrNull } from '../../src/protocol/parseResult';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SELECTION_IDS, parseDesignerToHost } from '../../src/protocol/designer';
import { dashboardShowsModel, featureMapLayerFromSelection } from '../../src/extension/training/layerReveal';

const uri = 'file:///w/m.cnn.json';

test('selectionChanged with string ids passes and comes back as the same data', () => {
  for (const nodeIds of [[], ['conv1'], ['conv1', 'pool1']]) {
    const m = { type: 'selectionChanged', documentUri: uri, nodeIds };
    assert.deepEqual(valueOrNull(parseDesignerToHost(m)), m);
  }
  // Extra fields are dropped, not passed on.
  assert.deepEqual(valueOrNull(parseDesignerToHost({ type: 'selectionChanged', documentUri: uri, nodeIds: ['a'], extra: 1 })), {
    type: 'selectionChanged',
    documentUri: uri,
    nodeIds: ['a'],
  });
});

test('malformed selectionChanged messages are rejected', () => {
  const bad: unknown[] = [
    { type: 'selectionChanged', nodeIds: ['a'] },
    { type: 'selectionChanged', documentUri: 3, nodeIds: ['a'] },
    { type: 'selectionChanged', documentUri: uri },
    { type: 'selectionChanged', documentUri: uri, nodeIds: 'a' },
    { type: 'selectionChanged', documentUri: uri, nodeIds: [1] },
    { type: 'selectionChanged', documentUri: uri, nodeIds: [''] },
    { type: 'selectionChanged', documentUri: uri, nodeIds: ['a\nb'] },
    { type: 'selectionChanged', documentUri: uri, nodeIds: ['x'.repeat(201)] },
    { type: 'selectionChanged', documentUri: uri, nodeIds: { 0: 'a' } },
    { type: 'selectionChanged', documentUri: uri, nodeIds: Array.from({ length: MAX_SELECTION_IDS + 1 }, (_, i) => `n${i}`) },
  ];
  for (const m of bad) assert.equal(valueOrNull(parseDesignerToHost(m)), null, JSON.stringify(m).slice(0, 120));
});

test('only a single conv/pool layer is forwarded to the feature maps', () => {
  assert.equal(featureMapLayerFromSelection([{ id: 'conv1', type: 'Conv2D' }]), 'conv1');
  assert.equal(featureMapLayerFromSelection([{ id: 'pool1', type: 'MaxPooling2D' }]), 'pool1');
  assert.equal(featureMapLayerFromSelection([{ id: 'avg', type: 'AveragePooling2D' }]), 'avg');
  assert.equal(featureMapLayerFromSelection([{ id: 'dense1', type: 'Dense' }]), null);
  assert.equal(featureMapLayerFromSelection([]), null);
  assert.equal(featureMapLayerFromSelection([{ id: 'conv1', type: 'Conv2D' }, { id: 'conv2', type: 'Conv2D' }]), null);
});

test('a dashboard is targeted only when it is open and belongs to the selected model', () => {
  assert.equal(dashboardShowsModel({ open: true, modelUri: uri }, uri), true);
  assert.equal(dashboardShowsModel({ open: false, modelUri: uri }, uri), false, 'a closed dashboard is never opened by a selection');
  assert.equal(dashboardShowsModel({ open: true, modelUri: 'file:///w/other.cnn.json' }, uri), false, 'another model’s dashboard is left alone');
  assert.equal(dashboardShowsModel({ open: true, modelUri: undefined }, uri), false, 'a dashboard not opened by training this model');
});
