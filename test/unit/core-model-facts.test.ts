// core/modelFacts.ts: the exported script's placeholder dataset, Use Folder as Dataset / `new --data`,
// and training read the Input's image format and the "rescales itself" rule from one place, so they agree.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { effectiveDataset } from '../../src/core/codegen/options';
import { imageFolderDatasetFor } from '../../src/core/datasetFolder';
import { DEFAULT_COMPILE, DEFAULT_TRAINING, type LayerParams, type ModelFile } from '../../src/core/format';
import { imageFormatOfShape, inputPixelScale, modelRescalesItself } from '../../src/core/modelFacts';

function model(inputParams: LayerParams, firstType = 'Flatten'): ModelFile {
  return {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name: 'facts',
    nodes: [
      { id: 'input', type: 'Input', params: inputParams, inputs: [] },
      { id: 'first', type: firstType, params: {}, inputs: ['input'] },
      { id: 'out', type: 'Dense', params: { units: 2, activation: 'softmax' }, inputs: ['first'] },
    ],
    compile: structuredClone(DEFAULT_COMPILE),
    training: structuredClone(DEFAULT_TRAINING),
  };
}

test('the image format comes from the Input: 1 channel grayscale, more rgb, the default Input when it is not an image', () => {
  const cases: [LayerParams, { imageSize: [number, number]; colorMode: 'grayscale' | 'rgb' }][] = [
    [{ shape: [32, 24, 3] }, { imageSize: [32, 24], colorMode: 'rgb' }],
    [{ shape: [16, 16, 1] }, { imageSize: [16, 16], colorMode: 'grayscale' }],
    [{ shape: [8, 8, 4] }, { imageSize: [8, 8], colorMode: 'rgb' }],
    [{}, { imageSize: [28, 28], colorMode: 'grayscale' }],
    [{ shape: [784] }, { imageSize: [28, 28], colorMode: 'grayscale' }],
  ];
  for (const [params, expected] of cases) {
    const m = model(params);
    const exported = effectiveDataset(m, {}).dataset;
    const folder = imageFolderDatasetFor(m, '/w/m.cnn.json', '/w/data');
    assert.deepEqual({ imageSize: exported.imageSize, colorMode: exported.colorMode }, expected, JSON.stringify(params));
    assert.deepEqual({ imageSize: folder.imageSize, colorMode: folder.colorMode }, expected, JSON.stringify(params));
  }
  assert.deepEqual(imageFormatOfShape(undefined), { imageSize: [28, 28], colorMode: 'grayscale' });
});

test('a model whose Input feeds only Rescaling layers takes raw pixels; any other takes 0–1', () => {
  assert.equal(modelRescalesItself(model({}, 'Rescaling')), true);
  assert.equal(inputPixelScale(model({}, 'Rescaling')), 1);
  assert.equal(modelRescalesItself(model({})), false);
  assert.equal(inputPixelScale(model({})), 1 / 255);
});
