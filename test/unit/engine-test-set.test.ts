/**
 * `cnn-studio evaluate RUN --test PATH`: a held-out test set, separate from the validation split, in
 * every format the engine reads (an image folder, a `t10k-*` IDX file and its folder, CIFAR-10's
 * `test_batch.bin` and its folder, a CSV), on real files generated here and runs trained by the CLI.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { runCli } from '../../src/cli/main';
import { createModelFromTemplate } from '../../src/core/templates';
import type { EvaluationReport } from '../../src/protocol/engine';
import { cifarBatch, idx, writeMnist } from './datasetFiles.helpers';

let root: string;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), isTty: false, signal: new AbortController().signal }, out, err };
}

/** Trains `template` for one epoch on `data` with the CLI; returns the run folder. */
async function trainRun(name: string, template: string, data: string): Promise<string> {
  const model = createModelFromTemplate(template, name);
  const modelPath = join(root, `${name}.cnn.json`);
  writeFileSync(modelPath, JSON.stringify(model));
  const t = io();
  const code = await runCli(['train', modelPath, '--data', data, '--epochs', '1', '--batch-size', '16', '--backend', 'wasm', '--json'], t.io);
  assert.equal(code, 0, t.err.join(''));
  return (JSON.parse(t.out.join('').trim().split('\n').pop()!) as { runDir: string }).runDir;
}

async function evaluate(...args: string[]): Promise<{ code: number; report: EvaluationReport | null; text: string }> {
  const e = io();
  const code = await runCli(['evaluate', ...args], e.io);
  const out = e.out.join('');
  return { code, report: code === 0 && args.includes('--json') ? (JSON.parse(out) as EvaluationReport) : null, text: out + e.err.join('') };
}

const supports = (r: EvaluationReport) => r.perClass.map((c) => c.support);

let mnistRun: string;
let cifarRun: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cnn-test-set-'));
  writeMnist(join(root, 'mnist'), 60, false);
  // A separate held-out set: 30 images, labels 0..9 three times, in a folder of its own.
  const t10k = join(root, 'fashion', 't10k');
  mkdirSync(t10k, { recursive: true });
  const images = new Uint8Array(30 * 784).map((_, i) => (i * 7) % 256);
  const labels = new Uint8Array(30).map((_, i) => i % 10);
  writeFileSync(join(t10k, 't10k-images-idx3-ubyte'), idx([30, 28, 28], images));
  writeFileSync(join(t10k, 't10k-labels-idx1-ubyte'), idx([30], labels));
  // Wrong size for the model: 20×20.
  mkdirSync(join(root, 'small'), { recursive: true });
  writeFileSync(join(root, 'small', 't10k-images-idx3-ubyte'), idx([3, 20, 20], new Uint8Array(1200)));
  writeFileSync(join(root, 'small', 't10k-labels-idx1-ubyte'), idx([3], new Uint8Array(3)));
  // A CSV: header, 12 rows of 784 pixels, labels 0..3.
  const rows = ['label,' + Array.from({ length: 784 }, (_, i) => `p${i}`).join(',')];
  for (let r = 0; r < 12; r++) rows.push([r % 4, ...Array.from({ length: 784 }, (_, i) => (i + r) % 256)].join(','));
  writeFileSync(join(root, 'test.csv'), rows.join('\n') + '\n');
  // An image folder with only some of the classes ('3' and '7'), in a test/ sub-folder.
  for (const [cls, n] of [['3', 4], ['7', 2]] as const) {
    const dir = join(root, 'pngs', 'test', cls);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < n; i++) await sharp({ create: { width: 28, height: 28, channels: 3, background: { r: 30 * i, g: 30 * i, b: 30 * i } } }).grayscale().png().toFile(join(dir, `${i}.png`));
  }
  // CIFAR-10: training batches and a test batch of 20.
  const cifar = join(root, 'cifar', 'cifar-10-batches-bin');
  mkdirSync(cifar, { recursive: true });
  writeFileSync(join(cifar, 'data_batch_1.bin'), cifarBatch(40, 0));
  writeFileSync(join(cifar, 'test_batch.bin'), cifarBatch(20, 100));
  mnistRun = await trainRun('digits', 'mnist-small', join(root, 'mnist'));
  cifarRun = await trainRun('cifar', 'tutorial-cifar', join(root, 'cifar'));
});

after(() => rmSync(root, { recursive: true, force: true }));

describe('evaluate --test', () => {
  it('a t10k IDX file (and its folder): every held-out image, labelled as the test set', async () => {
    const file = await evaluate(mnistRun, '--test', join(root, 'fashion', 't10k', 't10k-images-idx3-ubyte'), '--json');
    assert.equal(file.code, 0, file.text);
    const r = file.report!;
    assert.equal(r.split, 'test');
    assert.equal(r.numSamples, 30);
    assert.deepEqual(supports(r), [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    assert.equal(r.dataLabel, 'Test set: fashion/t10k/t10k-images-idx3-ubyte (30 images)');
    const saved = JSON.parse(readFileSync(join(mnistRun, 'evaluation.json'), 'utf8')) as EvaluationReport;
    assert.equal(saved.split, 'test');
    const folder = await evaluate(mnistRun, '--test', join(root, 'fashion', 't10k'));
    assert.equal(folder.code, 0, folder.text);
    assert.match(folder.text, /on 30 test samples/);
    assert.match(folder.text, /Data: Test set: fashion\/t10k\/t10k-images-idx3-ubyte \(30 images\)/);
  });

  it('without --test: the validation split, said so', async () => {
    const v = await evaluate(mnistRun, '--json');
    assert.equal(v.code, 0, v.text);
    assert.equal(v.report!.split, 'validation');
    assert.equal(v.report!.dataLabel, 'Validation split (20%)');
    assert.ok(v.report!.numSamples < 30);
  });

  it('a CSV and an image folder (test/ sub-folder, some classes only)', async () => {
    const csv = await evaluate(mnistRun, '--test', join(root, 'test.csv'), '--json');
    assert.equal(csv.code, 0, csv.text);
    assert.equal(csv.report!.numSamples, 12);
    assert.deepEqual(supports(csv.report!), [3, 3, 3, 3, 0, 0, 0, 0, 0, 0]);
    const pngs = await evaluate(mnistRun, '--test', join(root, 'pngs'), '--json');
    assert.equal(pngs.code, 0, pngs.text);
    assert.equal(pngs.report!.numSamples, 6);
    assert.equal(pngs.report!.perClass[3]!.support, 4);
    assert.equal(pngs.report!.perClass[7]!.support, 2);
    assert.equal(pngs.report!.dataLabel, 'Test set: pngs/test (6 images)');
  });

  it('CIFAR-10: test_batch.bin and the folder holding it', async () => {
    const file = await evaluate(cifarRun, '--test', join(root, 'cifar', 'cifar-10-batches-bin', 'test_batch.bin'), '--json');
    assert.equal(file.code, 0, file.text);
    assert.equal(file.report!.numSamples, 20);
    assert.deepEqual(supports(file.report!), [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    const folder = await evaluate(cifarRun, '--test', join(root, 'cifar'), '--json');
    assert.equal(folder.report!.numSamples, 20);
    assert.equal(folder.report!.split, 'test');
  });

  it('refuses what is not a held-out test set, naming the problem and the fix', async () => {
    // The training folder itself gives its t10k files (never trained on), not its training images.
    const own = await evaluate(mnistRun, '--test', join(root, 'mnist'), '--json');
    assert.equal(own.code, 0, own.text);
    assert.equal(own.report!.numSamples, 10);
    assert.match(own.report!.dataPath, /t10k-images-idx3-ubyte$/);
    const small = await evaluate(mnistRun, '--test', join(root, 'small'));
    assert.equal(small.code, 1);
    assert.match(small.text, /are 20×20×1, but the run's model takes \[28, 28, 1\]/);
    const notData = await evaluate(mnistRun, '--test', join(root, 'digits.cnn.json'));
    assert.equal(notData.code, 1);
    assert.match(notData.text, /is not a test set file CNN Studio reads\. Pass an image folder/);
    const both = await evaluate(mnistRun, '--test', join(root, 'test.csv'), '--data', join(root, 'mnist'));
    assert.equal(both.code, 2);
    assert.match(both.text, /either --test PATH .* or --data DIR, not both/);
  });
});
