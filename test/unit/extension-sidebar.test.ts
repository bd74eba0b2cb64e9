/** The side bar's message validation and the dataset entry made from a chosen folder. */
import { valueOrNull } from '../../src/protocol/parseResult';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSettingValue, parseSidebarToHost } from '../../src/protocol/sidebar';
import { imageFolderDataset, setInputToDataEdit } from '../../src/core/datasetFolder';
import { applyModelEdit } from '../../src/core/applyModelEdit';
import { createModelFromTemplate } from '../../src/core/templates';

test('side bar intents are validated before the host acts on them', () => {
  assert.deepEqual(valueOrNull(parseSidebarToHost({ type: 'setSetting', documentUri: 'file:///m.cnn.json', baseVersion: 3, setting: 'epochs', value: 5 })), {
    type: 'setSetting',
    documentUri: 'file:///m.cnn.json',
    baseVersion: 3,
    setting: 'epochs',
    value: 5,
  });
  assert.equal(valueOrNull(parseSidebarToHost({ type: 'setSetting', documentUri: 'file:///m', baseVersion: 3, setting: 'nodes', value: 5 })), null);
  assert.equal(valueOrNull(parseSidebarToHost({ type: 'setSetting', documentUri: 'file:///m', baseVersion: 1.5, setting: 'epochs', value: 5 })), null);
  assert.equal(valueOrNull(parseSidebarToHost({ type: 'command', command: 'rm -rf' })), null);
  assert.deepEqual(valueOrNull(parseSidebarToHost({ type: 'command', command: 'train', documentUri: 'file:///m' })), { type: 'command', command: 'train', documentUri: 'file:///m' });
  assert.equal(valueOrNull(parseSidebarToHost({ type: 'addLayer', documentUri: 'file:///m' })), null);
  assert.equal(valueOrNull(parseSidebarToHost(null)), null);
});

test('setting values are checked with a message that names the limit', () => {
  assert.equal(checkSettingValue('epochs', 10), null);
  assert.match(checkSettingValue('epochs', 2.5)!, /whole number/);
  assert.match(checkSettingValue('batchSize', 0)!, /between 1 and/);
  assert.equal(checkSettingValue('learningRate', 0.001), null);
  assert.match(checkSettingValue('learningRate', Number.NaN)!, /number/);
});

test('a chosen image folder becomes a dataset entry relative to the model, sized by its Input', () => {
  assert.deepEqual(imageFolderDataset('/w/models/net.cnn.json', '/w/models/data/train', [32, 32, 3]), {
    kind: 'imageFolder',
    path: 'data/train',
    imageSize: [32, 32],
    colorMode: 'rgb',
  });
  assert.equal(imageFolderDataset('/w/models/net.cnn.json', '/w/datasets/mnist', [28, 28, 1]).path, '../datasets/mnist');
  assert.equal(imageFolderDataset('/w/models/net.cnn.json', '/w/models', [28, 28, 1]).path, '.');
  assert.equal(imageFolderDataset('/w/net.cnn.json', '/other/place', [28, 28, 1]).path, '/other/place', 'unrelated trees keep the absolute path');
  assert.equal(imageFolderDataset('/w/net.cnn.json', '/w/x', [28, 28, 1]).colorMode, 'grayscale');
});

test('dataset panel intents: Set the Input to the data, augmentation settings within their bounds', () => {
  const base = { documentUri: 'file:///m.cnn.json', baseVersion: 2 };
  assert.deepEqual(valueOrNull(parseSidebarToHost({ type: 'setInputToData', ...base, shape: [28, 28, 1] })), { type: 'setInputToData', ...base, shape: [28, 28, 1] });
  assert.equal(valueOrNull(parseSidebarToHost({ type: 'setInputToData', ...base, shape: [28, 28] })), null);
  assert.equal(valueOrNull(parseSidebarToHost({ type: 'setInputToData', ...base, shape: [28, 0, 1] })), null);
  const augmentation = { horizontalFlip: true, translate: 0.1, brightness: 0.2 };
  assert.deepEqual(valueOrNull(parseSidebarToHost({ type: 'setAugmentation', ...base, augmentation })), { type: 'setAugmentation', ...base, augmentation });
  assert.equal(valueOrNull(parseSidebarToHost({ type: 'setAugmentation', ...base, augmentation: { ...augmentation, translate: 0.9 } })), null);
  assert.equal(valueOrNull(parseSidebarToHost({ type: 'setAugmentation', ...base, augmentation: { ...augmentation, horizontalFlip: 'yes' } })), null);
});

test('Set the Input to the data: the Input shape and the dataset entry follow the data, in one edit', () => {
  const model = createModelFromTemplate('tutorial-cifar', 'm');
  model.dataset = imageFolderDataset('/w/m.cnn.json', '/w/data/fashion', [32, 32, 3]);
  const edit = setInputToDataEdit(model, [28, 28, 1]);
  assert.ok(edit && edit.kind === 'batch');
  const after = applyModelEdit(model, edit);
  assert.deepEqual(after.nodes.find((n) => n.type === 'Input')!.params['shape'], [28, 28, 1]);
  assert.deepEqual(after.dataset, { kind: 'imageFolder', path: 'data/fashion', imageSize: [28, 28], colorMode: 'grayscale' });
  assert.equal(setInputToDataEdit({ ...model, nodes: model.nodes.filter((n) => n.type !== 'Input') }, [28, 28, 1]), null);
});
