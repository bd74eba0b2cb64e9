/** The side bar's message validation and the dataset entry made from a chosen folder. */
import { valueOrNull } from '../../src/protocol/parseResult';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSettingValue, parseSidebarToHost } from '../../src/protocol/sidebar';
import { imageFolderDataset } from '../../src/core/datasetFolder';

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
