/**
 * Damaged and unusual data, on real files (and the CLI as a real child process where it is the CLI's
 * behaviour):
 * - PNGs whose header claims a huge size, or whose data inflates far beyond it, are refused before
 *   decoding (fast path and sharp path), with a limit derived from the model's input;
 * - every skipped file is named: in `train --json`, in the run folder's skipped.json, and the message
 *   gives the count and the first few;
 * - image folders: nested subfolders of a class, symlinked class folders and images (with loop
 *   protection) are used; an unreadable subfolder is named and skipped;
 * - CIFAR-10: a batches.meta.txt with fewer names than the labels, every batch bad; predict with one bad
 *   file among good ones reports it and predicts the rest.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { decodeImages } from '../../src/engine/data/imageFolder';
import { loadRawDataset } from '../../src/engine/data/loadDataset';
import { skippedFilesLog } from '../../src/extension/training/runFiles';
import { bundledCli } from './cliProcess.helpers';

const { tmp, run } = bundledCli('cnn-data-hardening-');

/** A grayscale 8-bit PNG with the given header size and an IDAT holding `raw` (filter bytes included) deflated. */
function handMadePng(width: number, height: number, raw: Buffer): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Input 8×8×1 → Flatten → Dense 2: trains in a second on the cpu backend. */
function tinyModel(name: string): string {
  return JSON.stringify({
    format: 'cnn-studio-model',
    formatVersion: 1,
    name,
    nodes: [
      { id: 'input', type: 'Input', params: { shape: [8, 8, 1] }, inputs: [] },
      { id: 'flat', type: 'Flatten', params: {}, inputs: ['input'] },
      { id: 'out', type: 'Dense', params: { units: 2, activation: 'softmax' }, inputs: ['flat'] },
    ],
  });
}

async function png(path: string, value: number, size = 8): Promise<void> {
  await sharp({ create: { width: size, height: size, channels: 3, background: { r: value, g: value, b: value } } }).png().toFile(path);
}

describe('PNG size limits', () => {
  it('refuses a 28×28 PNG whose data inflates to 128 MB on the fast path, without inflating it all', async () => {
    const file = join(tmp, 'bomb.png');
    writeFileSync(file, handMadePng(28, 28, Buffer.alloc(128 * 1024 * 1024)));
    const { set, skipped } = await decodeImages([file], [0], { shape: [28, 28, 1] });
    assert.equal(set.count, 0);
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]!.reason, /^its image data inflates to more than the 812 bytes a 28×28 PNG holds \(a decompression bomb or a corrupt file\)/);
  });

  it('refuses a PNG whose header says 12000×12000 before decoding it, with the limit from the model input', async () => {
    const file = join(tmp, 'huge.png');
    const rows = Buffer.alloc(12000 * 12001); // one filter byte + 12000 zero pixels per row: ~140 KB deflated
    writeFileSync(file, handMadePng(12000, 12000, rows));
    const { set, skipped } = await decodeImages([file], [0], { shape: [28, 28, 1] });
    assert.equal(set.count, 0);
    assert.match(skipped[0]!.reason, /^the image is 12000×12000 \(144\.0 megapixels\), above the 50\.0 megapixel limit for a 28×28 model input; it was not decoded\. Resize it/);
  });

  it('refuses a JPEG too large for the limit on the sharp path (limitInputPixels)', async () => {
    const file = join(tmp, 'wide.jpg');
    await sharp({ create: { width: 9000, height: 6000, channels: 3, background: { r: 1, g: 2, b: 3 } } }).jpeg().toFile(file);
    const { skipped } = await decodeImages([file], [0], { shape: [28, 28, 1] });
    assert.match(skipped[0]?.reason ?? '', /^the image is 9000×6000 \(54\.0 megapixels\), above the 50\.0 megapixel limit/);
    // A larger model input raises the limit: 224×224 allows 2048 × 50,176 pixels.
    const big = await decodeImages([file], [0], { shape: [224, 224, 3] });
    assert.deepEqual(big.skipped, []);
  });
});

describe('image folders: nested, symlinked, unreadable', () => {
  let data: string;
  before(async () => {
    data = join(tmp, 'folders');
    const real = join(tmp, 'elsewhere');
    mkdirSync(join(real, 'cats'), { recursive: true });
    for (let i = 0; i < 4; i++) await png(join(real, 'cats', `c${i}.png`), 10 + i);
    await png(join(real, 'lone.png'), 99);
    mkdirSync(join(data, 'dogs', 'puppies', 'small'), { recursive: true });
    symlinkSync(join(real, 'cats'), join(data, 'cats')); // a symlinked class folder
    await png(join(data, 'dogs', 'd0.png'), 200);
    await png(join(data, 'dogs', 'puppies', 'p0.png'), 210);
    await png(join(data, 'dogs', 'puppies', 'small', 'p1.png'), 220);
    symlinkSync(join(real, 'lone.png'), join(data, 'dogs', 'linked.png')); // a symlinked image
    symlinkSync(join(data, 'dogs'), join(data, 'dogs', 'puppies', 'loop')); // a loop back to the class folder
  });

  it('uses images in nested subfolders and behind symlinks, each once', async () => {
    const raw = await loadRawDataset(undefined, tmp, { dataDir: data, inputShape: [8, 8, 1] });
    assert.deepEqual(raw.classNames, ['cats', 'dogs']);
    assert.deepEqual(raw.skipped, []);
    const names = raw.train.paths!.map((p) => p.slice(data.length + 1)).sort();
    assert.deepEqual(names, ['cats/c0.png', 'cats/c1.png', 'cats/c2.png', 'cats/c3.png', 'dogs/d0.png', 'dogs/linked.png', 'dogs/puppies/p0.png', 'dogs/puppies/small/p1.png']);
  });
});

describe('every skipped file is named (train --json, skipped.json, the message)', () => {
  it('lists 4 broken images and an unreadable subfolder in the JSON result and the run folder', async () => {
    const dir = join(tmp, 'skips');
    mkdirSync(join(dir, 'data', 'a'), { recursive: true });
    mkdirSync(join(dir, 'data', 'b', 'locked'), { recursive: true });
    for (let i = 0; i < 6; i++) await png(join(dir, 'data', 'a', `a${i}.png`), 20 * i);
    for (let i = 0; i < 6; i++) await png(join(dir, 'data', 'b', `b${i}.png`), 250 - 20 * i);
    await png(join(dir, 'data', 'b', 'locked', 'hidden.png'), 1);
    for (let i = 0; i < 4; i++) writeFileSync(join(dir, 'data', 'a', `broken${i}.png`), `not an image ${i}`);
    writeFileSync(
      join(dir, 'tiny.cnn.json'),
      tinyModel('tiny'),
    );
    chmodSync(join(dir, 'data', 'b', 'locked'), 0);
    // root reads any folder, so the run is made as 'nobody' there (files and folders must be reachable).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) for (const p of [tmp, dir]) chmodSync(p, 0o777);
    const r = asRoot
      ? spawnSync(process.execPath, [join(tmp, 'cli.js'), 'train', 'tiny.cnn.json', '--data', 'data', '--epochs', '1', '--batch-size', '4', '--backend', 'cpu', '--json'], {
          cwd: dir,
          encoding: 'utf8',
          uid: 65534,
          gid: 65534,
          env: { ...process.env, NODE_PATH: join(__dirname, '..', '..', 'node_modules'), HOME: dir },
        })
      : spawnSync(process.execPath, [join(tmp, 'cli.js'), 'train', join(dir, 'tiny.cnn.json'), '--data', join(dir, 'data'), '--epochs', '1', '--batch-size', '4', '--backend', 'cpu', '--json'], {
          encoding: 'utf8',
          env: { ...process.env, NODE_PATH: join(__dirname, '..', '..', 'node_modules') },
        });
    chmodSync(join(dir, 'data', 'b', 'locked'), 0o755);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const result = JSON.parse(lines[lines.length - 1]!) as { runDir: string; skipped: { path: string; reason: string }[] };
    const expected = ['a/broken0.png', 'a/broken1.png', 'a/broken2.png', 'a/broken3.png', 'b/locked'];
    const rel = (s: { path: string }) => s.path.slice(join(dir, 'data').length + 1);
    assert.deepEqual(result.skipped.map(rel), expected);
    assert.match(result.skipped[4]!.reason, /^cannot read the folder \(EACCES\)/);
    const file = join(result.runDir, 'skipped.json');
    assert.ok(existsSync(file), 'skipped.json in the run folder');
    assert.deepEqual((JSON.parse(readFileSync(file, 'utf8')) as { path: string }[]).map(rel), expected);
    // VS Code's output channel prints these lines after the run starts.
    const log = skippedFilesLog(result.runDir);
    assert.equal(log.length, 6);
    assert.match(log[0]!, /^5 data files could not be read and were skipped \(.*skipped\.json\):$/);
    assert.match(log[5]!, /^ {2}.*b\/locked: cannot read the folder \(EACCES\)/);
    assert.match(r.stderr, /warning: 5 files or folders could not be read and were skipped: '.*broken0\.png' \(.*\), '.*broken1\.png' \(.*\), '.*broken2\.png' \(.*\) and 2 more; every one is listed in skipped\.json in the run folder\./);
  });
});

/** CIFAR records with labels 0, 1, … n-1 mod 10. */
function cifarBatch(n: number): Buffer {
  const buf = Buffer.alloc(n * 3073);
  for (let r = 0; r < n; r++) buf[r * 3073] = r % 10;
  return buf;
}

describe('CIFAR-10 messages', () => {
  it('a batches.meta.txt with 3 names says the labels outgrow the names, not "labels are 0–9"', async () => {
    const dir = join(tmp, 'cifar-meta');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'data_batch_1.bin'), cifarBatch(12));
    writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\n');
    await assert.rejects(
      loadRawDataset(undefined, tmp, { dataDir: dir, inputShape: [32, 32, 3] }),
      (err: Error) => {
        assert.doesNotMatch(err.message, /labels are 0–9/);
        assert.equal(
          err.message,
          `A record in '${join(dir, 'data_batch_1.bin')}' has label 3, but '${join(dir, 'batches.meta.txt')}' names only 3 classes (airplane, automobile, bird), so labels can only be 0–2. ` +
            'Put one class name per line in batches.meta.txt, one for every label (CIFAR-10 has 10), or delete the file to use the CIFAR-10 names.',
        );
        return true;
      },
    );
  });

  it('when every batch is bad, the message lists each one with its reason', async () => {
    const dir = join(tmp, 'cifar-bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'data_batch_1.bin'), cifarBatch(2).subarray(0, 100));
    writeFileSync(join(dir, 'data_batch_2.bin'), Buffer.alloc(0));
    await assert.rejects(loadRawDataset(undefined, tmp, { dataDir: dir, inputShape: [32, 32, 3] }), (err: Error) => {
      assert.match(err.message, /^None of the CIFAR-10 batches in '.*' could be read: '.*data_batch_1\.bin' \(size 100 bytes is not a multiple of the 3073-byte CIFAR-10 record/);
      assert.match(err.message, /'.*data_batch_2\.bin' \(size 0 bytes/);
      assert.doesNotMatch(err.message, /see the skipped files/);
      return true;
    });
  });
});

describe('predict with one bad file among good ones', () => {
  it('reports the bad file and predicts the rest (exit 1, like cat with a missing file)', async () => {
    const dir = join(tmp, 'predict');
    mkdirSync(join(dir, 'data', 'dark'), { recursive: true });
    mkdirSync(join(dir, 'data', 'light'), { recursive: true });
    for (let i = 0; i < 4; i++) await png(join(dir, 'data', 'dark', `d${i}.png`), 5 * i);
    for (let i = 0; i < 4; i++) await png(join(dir, 'data', 'light', `l${i}.png`), 255 - 5 * i);
    writeFileSync(
      join(dir, 'p.cnn.json'),
      tinyModel('p'),
    );
    const t = run('train', join(dir, 'p.cnn.json'), '--data', join(dir, 'data'), '--epochs', '1', '--batch-size', '4', '--backend', 'cpu', '--json');
    assert.equal(t.code, 0, t.stderr);
    const runDir = (JSON.parse(t.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;
    writeFileSync(join(dir, 'bad.png'), 'truncated');
    const good = [join(dir, 'data', 'dark', 'd0.png'), join(dir, 'data', 'light', 'l0.png')];
    const p = run('predict', runDir, good[0]!, join(dir, 'bad.png'), good[1]!, '--json');
    assert.equal(p.code, 1, p.stderr);
    const out = JSON.parse(p.stdout) as { imagePath: string; top: unknown[]; error?: string }[];
    assert.deepEqual(out.map((o) => o.imagePath), [good[0], join(dir, 'bad.png'), good[1]]);
    assert.equal(out[0]!.top.length, 2);
    assert.equal(out[2]!.top.length, 2);
    assert.deepEqual(out[1]!.top, []);
    assert.match(out[1]!.error ?? '', /.+/);
    assert.match(p.stderr, new RegExp(`warning: 1 of 3 images could not be read and was skipped: '${join(dir, 'bad.png').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' \\(`));
    const text = run('predict', runDir, good[0]!, join(dir, 'bad.png'));
    assert.equal(text.code, 1);
    assert.match(text.stdout, /bad\.png\n {2}skipped: /);
    assert.match(text.stdout, /d0\.png\n {2}\S+ +\d/);
  });
});
