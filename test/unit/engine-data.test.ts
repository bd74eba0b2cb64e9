/**
 * Dataset loaders on files generated here: image folders (PNG/JPEG/WebP, a broken PNG, a text file
 * named .png), MNIST IDX plain and gzipped, CIFAR-10 binary batches (one truncated), CSV with bad rows;
 * the typed errors for missing/empty/mismatched data; the seeded split, batches and augmentation.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { fillBatch } from '../../src/engine/data/batches';
import { allIndices } from '../../src/engine/data/dataset';
import { DatasetError } from '../../src/engine/data/errors';
import { decodeImages } from '../../src/engine/data/imageFolder';
import { detectDatasetKind, loadDataset, loadRawDataset, splitDataset } from '../../src/engine/data/loadDataset';
import { decodeSmallPng } from '../../src/engine/data/pngFast';
import { writeSyntheticDataset } from '../../src/engine/data/synthetic';
import { cifarBatch, writeMnist } from './datasetFiles.helpers';

let root: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cnn-data-'));
  await writeSyntheticDataset('shapes', join(root, 'shapes'), { perClass: 12, size: 28, seed: 5 });
  const circle = join(root, 'shapes', 'circle');
  const good = readFileSync(join(circle, readdirSync(circle)[0]!));
  writeFileSync(join(circle, 'broken.png'), good.subarray(0, 60)); // truncated mid-data
  writeFileSync(join(circle, 'notes.png'), 'this is not an image');
  await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 10, b: 10 } } }).jpeg().toFile(join(root, 'shapes', 'square', 'big.jpg'));
  await sharp({ create: { width: 28, height: 28, channels: 4, background: { r: 10, g: 200, b: 10, alpha: 1 } } }).webp().toFile(join(root, 'shapes', 'triangle', 'x.webp'));
  writeMnist(join(root, 'mnist'), 50, false);
  writeMnist(join(root, 'mnist-gz'), 50, true);
  const cifar = join(root, 'cifar', 'cifar-10-batches-bin');
  mkdirSync(cifar, { recursive: true });
  writeFileSync(join(cifar, 'data_batch_1.bin'), cifarBatch(30, 0));
  writeFileSync(join(cifar, 'data_batch_2.bin'), cifarBatch(5, 30).subarray(0, 3073 * 2 + 100)); // truncated
  writeFileSync(join(cifar, 'test_batch.bin'), cifarBatch(10, 100));
  writeFileSync(join(cifar, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
  const rows = ['label,p0,p1,p2,p3'];
  for (let i = 0; i < 20; i++) rows.push(`${i % 2 ? 'dog' : 'cat'},${i},${i * 2},${i * 3},255`);
  rows.push('cat,1,2,x,4', 'dog,1,2,3', '');
  writeFileSync(join(root, 'train.csv'), rows.join('\n'));
  mkdirSync(join(root, 'empty-class', 'a'), { recursive: true });
  mkdirSync(join(root, 'empty-class', 'b'), { recursive: true });
  writeFileSync(join(root, 'empty-class', 'a', 'x.png'), good);
});

after(() => rmSync(root, { recursive: true, force: true }));

const opts = { inputShape: [28, 28, 1] as const, validationSplit: 0.25, seed: 1 };

describe('image folder', () => {
  it('decodes PNG/JPEG/WebP to the model size, skips broken files by path, splits per class', async () => {
    const d = await loadDataset(undefined, root, { ...opts, dataDir: join(root, 'shapes') });
    assert.deepEqual(d.classNames, ['circle', 'square', 'triangle']);
    assert.deepEqual(d.summary.skipped.map((s) => s.path.split('/').pop()).sort(), ['broken.png', 'notes.png']);
    assert.ok(d.summary.warnings.some((w) => /could not be read/.test(w)));
    assert.equal(d.summary.numTrain + d.summary.numValidation, 12 * 3 + 2);
    assert.deepEqual(d.summary.validationCounts, [3, 3, 3]);
    assert.equal(d.train.set.pixels.length, d.train.set.count * 28 * 28);
    assert.ok(d.train.set.paths!.some((p) => p.endsWith('big.jpg')));
  });

  it('gives the same split for the same seed and another for another seed', async () => {
    const a = await loadDataset(undefined, root, { ...opts, dataDir: join(root, 'shapes') });
    const b = await loadDataset(undefined, root, { ...opts, dataDir: join(root, 'shapes') });
    const c = await loadDataset(undefined, root, { ...opts, seed: 2, dataDir: join(root, 'shapes') });
    assert.deepEqual([...a.validation.indices], [...b.validation.indices]);
    assert.notDeepEqual([...a.validation.indices], [...c.validation.indices]);
  });

  it('decodes small PNGs on the fast path exactly like sharp (grayscale within 1 level, RGB exact)', async () => {
    const dir = join(root, 'shapes', 'square');
    for (const f of readdirSync(dir).filter((n) => n.startsWith('square_')).slice(0, 5)) {
      const buf = readFileSync(join(dir, f));
      for (const c of [1, 3] as const) {
        const fast = new Uint8Array(28 * 28 * c);
        assert.equal(decodeSmallPng(buf, 28, 28, c, fast), true);
        const img = sharp(buf).resize(28, 28, { fit: 'fill' });
        const ref = await (c === 1 ? img.grayscale() : img.removeAlpha().toColourspace('srgb')).raw().toBuffer();
        const worst = fast.reduce((m, v, i) => Math.max(m, Math.abs(v - ref[i]!)), 0);
        assert.ok(worst <= (c === 1 ? 1 : 0), `${f} c=${c}: differs by ${worst}`);
      }
    }
  });

  it('leaves palette, 16-bit and interlaced PNGs to sharp and still decodes them', async () => {
    const base = sharp({ create: { width: 28, height: 28, channels: 3, background: { r: 30, g: 160, b: 90 } } });
    const variants = {
      palette: await base.clone().png({ palette: true }).toBuffer(),
      sixteen: await base.clone().toColourspace('rgb16').png().toBuffer(),
      interlaced: await base.clone().png({ progressive: true }).toBuffer(),
    };
    const files: string[] = [];
    for (const [name, buf] of Object.entries(variants)) {
      assert.equal(decodeSmallPng(buf, 28, 28, 3, new Uint8Array(28 * 28 * 3)), false, `${name} must not take the fast path`);
      const path = join(root, `${name}.png`);
      writeFileSync(path, buf);
      files.push(path);
    }
    const { set, skipped } = await decodeImages(files, [0, 0, 0], { shape: [28, 28, 3] });
    assert.deepEqual(skipped, []);
    for (let i = 0; i < 3; i++) {
      const px = [...set.pixels.subarray(i * 28 * 28 * 3, i * 28 * 28 * 3 + 3)];
      assert.ok(Math.abs(px[0]! - 30) <= 2 && Math.abs(px[1]! - 160) <= 2 && Math.abs(px[2]! - 90) <= 2, `${files[i]}: ${px}`);
    }
  });

  it('reports an unreadable image by path and reason', async () => {
    const { set, skipped } = await decodeImages([join(root, 'shapes', 'circle', 'broken.png')], [0], { shape: [28, 28, 1] });
    assert.equal(set.count, 0);
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]!.path, /broken\.png$/);
    assert.ok(skipped[0]!.reason.length > 0);
  });

  it('names the fix for a missing folder, an empty class and loose images', async () => {
    await assert.rejects(loadDataset(undefined, root, { ...opts, dataDir: join(root, 'nope') }), (e: unknown) => e instanceof DatasetError && /does not exist/.test(e.message) && /--data/.test(e.message));
    await assert.rejects(loadDataset(undefined, root, { ...opts, dataDir: join(root, 'empty-class') }), (e: unknown) => e instanceof DatasetError && /'.*empty-class\/b'/.test(e.message) && /Add images or remove the folder/.test(e.message));
    await assert.rejects(loadDataset(undefined, root, { ...opts, dataDir: join(root, 'shapes', 'circle') }), (e: unknown) => e instanceof DatasetError && /subfolder/.test(e.message));
    await assert.rejects(loadDataset(undefined, root, opts), (e: unknown) => e instanceof DatasetError && /--data/.test(e.message));
  });

  it('refuses an input with a channel count images cannot have', async () => {
    await assert.rejects(loadDataset(undefined, root, { ...opts, inputShape: [28, 28, 2], dataDir: join(root, 'shapes') }), (e: unknown) => e instanceof DatasetError && e.code === 'shape-mismatch');
  });
});

describe('MNIST IDX', () => {
  for (const dir of ['mnist', 'mnist-gz']) {
    it(`reads ${dir} with t10k as the validation set`, async () => {
      assert.equal(detectDatasetKind(join(root, dir)), 'mnistIdx');
      const d = await loadDataset(undefined, root, { ...opts, dataDir: join(root, dir) });
      assert.equal(d.summary.kind, 'mnistIdx');
      assert.equal(d.summary.numTrain, 50);
      assert.equal(d.summary.numValidation, 10);
      assert.equal(d.classNames.length, 10);
      assert.equal(d.train.set.pixels[300], 300 % 251);
      assert.equal(d.train.set.labels[13], 3);
    });
  }

  it('says what to change when the model input does not fit', async () => {
    await assert.rejects(loadDataset(undefined, root, { ...opts, inputShape: [32, 32, 1], dataDir: join(root, 'mnist') }), (e: unknown) => e instanceof DatasetError && e.code === 'shape-mismatch' && /\[28, 28, 1\]/.test(e.message));
  });

  it('rejects a truncated file with a clear message', async () => {
    const dir = join(root, 'mnist-bad');
    writeMnist(dir, 20, false);
    const path = join(dir, 'train-images-idx3-ubyte');
    writeFileSync(path, readFileSync(path).subarray(0, 2000));
    await assert.rejects(loadDataset(undefined, root, { ...opts, dataDir: dir }), (e: unknown) => e instanceof DatasetError && /truncated/.test(e.message));
  });
});

describe('CIFAR-10 binary', () => {
  it('reads batches as HWC RGB, skips a truncated batch, uses test_batch for validation and the meta class names', async () => {
    const raw = await loadRawDataset(undefined, root, { dataDir: join(root, 'cifar'), inputShape: [32, 32, 3] });
    assert.equal(raw.kind, 'cifar10');
    assert.equal(raw.train.count, 30);
    assert.equal(raw.validation!.count, 10);
    assert.equal(raw.classNames[9], 'truck');
    assert.equal(raw.skipped.length, 1);
    assert.match(raw.skipped[0]!.path, /data_batch_2\.bin$/);
    const px = raw.train.pixels;
    const r = 7;
    assert.deepEqual([px[r * 3072], px[r * 3072 + 1], px[r * 3072 + 2]], [7, 7, 200]);
    assert.equal(raw.train.labels[r], 7);
  });

  it('converts to grayscale for a 1-channel model', async () => {
    const raw = await loadRawDataset(undefined, root, { dataDir: join(root, 'cifar'), inputShape: [32, 32, 1] });
    assert.equal(raw.train.pixels.length, 30 * 1024);
    assert.equal(raw.train.pixels[5 * 1024], Math.round(0.299 * 5 + 0.587 * 5 + 0.114 * 200));
  });
});

describe('CSV', () => {
  it('reads labels and pixels, reports bad rows as file:line', async () => {
    const d = await loadDataset(undefined, root, { ...opts, inputShape: [2, 2, 1], dataDir: join(root, 'train.csv') });
    assert.deepEqual(d.classNames, ['cat', 'dog']);
    assert.equal(d.summary.numTrain + d.summary.numValidation, 20);
    assert.deepEqual(
      d.summary.skipped.map((s) => s.path.split('/').pop()),
      ['train.csv:22', 'train.csv:23'],
    );
    const i = 3;
    assert.deepEqual([...d.train.set.pixels.subarray(i * 4, i * 4 + 4)], [3, 6, 9, 255]);
  });

  it('says how many pixel columns the model needs', async () => {
    await assert.rejects(loadDataset(undefined, root, { ...opts, dataDir: join(root, 'train.csv') }), (e: unknown) => e instanceof DatasetError && /784/.test(e.message) && /4 pixel columns/.test(e.message));
  });
});

describe('summary, batches and augmentation', () => {
  it('warns about imbalanced classes', () => {
    const labels = Int32Array.from([...new Array(30).fill(0), 1, 1, 1, 1, 1]);
    const raw = {
      kind: 'csv' as const,
      path: 'x',
      classNames: ['big', 'small'],
      train: { shape: [1, 1, 1] as const, pixels: new Uint8Array(35), labels, count: 35, paths: null },
      validation: null,
      skipped: [],
    };
    const d = splitDataset(raw, 0.2, 1, 0);
    assert.ok(d.summary.warnings.some((w) => /imbalanced/.test(w) && /'small'/.test(w)));
    assert.deepEqual(d.summary.validationCounts, [6, 1]);
  });

  it('normalises per batch and flips/translates/brightens only when asked', () => {
    const pixels = Uint8Array.from([0, 50, 100, 150, 200, 250]); // one 2x3 grayscale image
    const set = { shape: [2, 3, 1] as const, pixels, labels: Int32Array.of(1), count: 1, paths: null };
    const subset = { set, indices: allIndices(1) };
    const x = new Float32Array(6);
    const y = new Int32Array(1);
    fillBatch(subset, [0], x, y, { scale: 1 / 255 });
    assert.deepEqual([...x].map((v) => Math.round(v * 255)), [0, 50, 100, 150, 200, 250]);
    assert.equal(y[0], 1);
    fillBatch(subset, [0], x, y, { scale: 1, augmentation: { horizontalFlip: true, translate: 0, brightness: 0 }, rng: () => 0.1 });
    assert.deepEqual([...x], [100, 50, 0, 250, 200, 150]);
    fillBatch(subset, [0], x, y, { scale: 1, augmentation: { horizontalFlip: false, translate: 0, brightness: 0.2 }, rng: () => 1 });
    assert.deepEqual([...x], [51, 101, 151, 201, 251, 255]);
    fillBatch(subset, [0], x, y, { scale: 1, augmentation: { horizontalFlip: false, translate: 0.5, brightness: 0 }, rng: () => 1 });
    // shifted one row down and two columns right (rounded 0.5 * size), zeros shifted in
    assert.deepEqual([...x], [0, 0, 0, 0, 0, 0]);
  });
});
