/**
 * The engine's dataset summary for the side bar (`describeDataset`) on real generated files: an image
 * folder (RGB and grayscale, flat and train/val), MNIST IDX files; class counts, thumbnails, the image
 * size and colour found against the model's input, the train/validation sizes training will use, the
 * augmentation preview, and the cache that notices new images.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { DatasetDescriber } from '../../src/engine/data/describeDataset';
import { writeSyntheticDataset } from '../../src/engine/data/synthetic';
import type { DescribeDatasetParams } from '../../src/protocol/engine';
import { writeMnist } from './datasetFiles.helpers';

let root: string;
const NO_AUGMENTATION = { horizontalFlip: false, translate: 0, brightness: 0 };

async function pngSize(uri: string): Promise<[number, number, number]> {
  assert.match(uri, /^data:image\/png;base64,/);
  const meta = await sharp(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64')).metadata();
  return [meta.height!, meta.width!, meta.channels!];
}

async function grayPng(path: string, value: number): Promise<void> {
  await sharp({ create: { width: 28, height: 28, channels: 3, background: { r: value, g: value, b: value } } }).toColourspace('b-w').png().toFile(path);
}

function params(path: string, over: Partial<DescribeDatasetParams> = {}): DescribeDatasetParams {
  return {
    modelPath: join(root, 'm.cnn.json'),
    dataset: { kind: 'imageFolder', path, imageSize: [32, 32], colorMode: 'rgb' },
    inputShape: [32, 32, 3],
    validationSplit: 0.2,
    augmentation: NO_AUGMENTATION,
    ...over,
  };
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cnn-describe-'));
  await writeSyntheticDataset('shapes', join(root, 'shapes'), { perClass: 12, size: 28, seed: 5 });
  for (const part of ['train', 'val'] as const) {
    for (const [cls, n] of [['boot', part === 'train' ? 6 : 2], ['shirt', part === 'train' ? 5 : 3]] as const) {
      const dir = join(root, 'fashion', part, cls);
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < n; i++) await grayPng(join(dir, `${i}.png`), 40 + 20 * i);
    }
  }
  writeMnist(join(root, 'mnist'), 60, false);
});

after(() => rmSync(root, { recursive: true, force: true }));

describe('describeDataset', () => {
  it('an RGB image folder: classes, counts, thumbnails, the split, and the mismatch with a 32×32×3 input', async () => {
    const d = await new DatasetDescriber().describe(params('shapes'));
    assert.equal(d.kind, 'imageFolder');
    assert.equal(d.path, join(root, 'shapes'));
    assert.deepEqual(d.classes.map((c) => [c.name, c.count, c.samples.length]), [['circle', 12, 4], ['square', 12, 4], ['triangle', 12, 4]]);
    assert.deepEqual(await pngSize(d.classes[0]!.samples[0]!), [28, 28, 3]);
    assert.deepEqual(d.found, { height: 28, width: 28, channels: 3, uniform: true });
    assert.equal(d.fitsInput, false);
    assert.equal(d.validationSource, 'split');
    // round(12 × 0.2) = 2 per class, as the training split takes them.
    assert.deepEqual([d.numTrain, d.numValidation], [30, 6]);
    assert.match(d.warnings.join('\n'), /The images are 28×28 RGB, the model's input is 32×32 RGB: training converts every image\. Set the Input to 28×28×3/);
    assert.deepEqual(d.augmentationPreview, []);
  });

  it('a grayscale train/val folder that fits a 28×28×1 input: separate validation, no warning', async () => {
    const d = await new DatasetDescriber().describe(params('fashion', { inputShape: [28, 28, 1] }));
    assert.deepEqual(d.classes.map((c) => [c.name, c.count]), [['boot', 8], ['shirt', 8]]);
    assert.deepEqual(d.found, { height: 28, width: 28, channels: 1, uniform: true });
    assert.equal(d.fitsInput, true);
    assert.equal(d.validationSource, 'separate');
    assert.deepEqual([d.numTrain, d.numValidation], [11, 5]);
    assert.deepEqual(d.warnings, []);
  });

  it('MNIST IDX files: ten digit classes, t10k as the validation set, at the input size', async () => {
    const d = await new DatasetDescriber().describe(params('mnist', { dataset: { kind: 'mnistIdx', path: 'mnist', imageSize: [28, 28], colorMode: 'grayscale' }, inputShape: [28, 28, 1] }));
    assert.deepEqual(d.classes.map((c) => c.name), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.ok(d.classes.every((c) => c.count === 7 && c.samples.length === 4), JSON.stringify(d.classes.map((c) => [c.count, c.samples.length])));
    assert.deepEqual(await pngSize(d.classes[3]!.samples[0]!), [28, 28, 1]);
    assert.equal(d.fitsInput, true);
    assert.deepEqual([d.numTrain, d.numValidation, d.validationSource], [60, 10, 'separate']);
  });

  it('previews the augmentation settings on a few images: seeded, and different from the original', async () => {
    const describer = new DatasetDescriber();
    const augmentation = { horizontalFlip: true, translate: 0.2, brightness: 0.3 };
    const d = await describer.describe(params('shapes', { inputShape: [28, 28, 3], augmentation }));
    assert.equal(d.augmentationPreview.length, 3);
    assert.deepEqual(d.augmentationPreview.map((p) => p.className), ['circle', 'square', 'triangle']);
    for (const p of d.augmentationPreview) {
      assert.equal(p.augmented.length, 4);
      assert.deepEqual(await pngSize(p.original), [28, 28, 3]);
      assert.ok(p.augmented.some((a) => a !== p.original), 'some variant differs from the original');
    }
    const again = await describer.describe(params('shapes', { inputShape: [28, 28, 3], augmentation }));
    assert.deepEqual(again.augmentationPreview, d.augmentationPreview);
    const off = await describer.describe(params('shapes', { inputShape: [28, 28, 3] }));
    assert.deepEqual(off.augmentationPreview, []);
  });

  it('is cached, and notices an image added to a class folder', async () => {
    const describer = new DatasetDescriber();
    const first = await describer.describe(params('shapes'));
    const t0 = performance.now();
    const cached = await describer.describe(params('shapes'));
    assert.ok(performance.now() - t0 < 50, 'a cached answer is immediate');
    assert.deepEqual(cached.classes, first.classes);
    await grayPng(join(root, 'shapes', 'square', 'new.png'), 200);
    const after = await describer.describe(params('shapes'));
    assert.equal(after.classes[1]!.count, 13);
    // 'new.png' sorts first among the squares, so it is looked at: a grayscale image among RGB ones is reported.
    assert.equal(after.found.uniform, false);
    assert.match(after.warnings.join('\n'), /not all the same size or colour/);
  });

  it('a missing folder names the path and the fix', async () => {
    await assert.rejects(new DatasetDescriber().describe(params('nowhere')), /The dataset path '.*nowhere' does not exist\. Choose the dataset again/);
  });
});
