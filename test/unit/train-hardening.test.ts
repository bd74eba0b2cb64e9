/**
 * Hardening of training runs, in-process with real tfjs (wasm), real files and tiny generated data:
 * a run that cannot learn says so, `--continue` keeps the run's settings, split and optimizer state,
 * a run folder that cannot be written fails before the data is loaded, and a model too big for memory
 * is refused before it is built.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main';
import type { EpochMetrics } from '../../src/protocol/engine';
import { readRunRecord } from '../../src/engine/runs/runStore';
import { learningWarnings } from '../../src/engine/train/learningCheck';
import { writeTinyData, writeTinyModel } from './train-processes.helpers';

let root: string;
let data: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cnn-harden-'));
  data = join(root, 'data');
  await writeTinyData(data);
});

after(() => rmSync(root, { recursive: true, force: true }));

function io(signal = new AbortController().signal) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), isTty: false, signal }, out, err };
}

function jsonLines(out: string[]): Record<string, unknown>[] {
  return out.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('training that cannot learn', () => {
  it('Adam at learning rate 1e6 warns in the output, as a --json line and in run.json, naming the learning rate and the fix', async () => {
    const model = writeTinyModel(root, 'diverge');
    const t = io();
    const code = await runCli(['train', model, '--data', data, '--epochs', '2', '--learning-rate', '1000000', '--backend', 'wasm', '--json'], t.io);
    assert.equal(code, 0, t.err.join(''));
    const lines = jsonLines(t.out);
    const warning = lines.find((l) => l['warning'] === 'loss-far-above-chance');
    assert.ok(warning, `no warning line in:\n${t.out.join('')}`);
    assert.equal(warning['epoch'], 1);
    const message = String(warning['message']);
    assert.match(message, /^The model is not learning: the training loss is \d+(\.\d+)? at epoch 1, far above 1\.1, the loss of guessing evenly among 3 classes\. The likely cause is the learning rate, 1000000 \(adam\), which is far too high: set the learning rate to 0\.001 \(compile\.learningRate in the model file, or --learning-rate 0\.001 with the CLI\) and train again\.$/);
    assert.ok(t.err.join('').includes(`warning: ${message}`), 'also on stderr');
    const summary = lines[lines.length - 1] as { runDir: string };
    const record = readRunRecord(summary.runDir);
    assert.deepEqual(record.warnings?.map((w) => [w.code, w.epoch]), [['loss-far-above-chance', 1]], 'given once, kept in run.json');
  });

  it('a run that learns gets no warning', async () => {
    const model = writeTinyModel(root, 'learns');
    const t = io();
    assert.equal(await runCli(['train', model, '--data', data, '--epochs', '2', '--learning-rate', '0.01', '--backend', 'wasm', '--json'], t.io), 0, t.err.join(''));
    const lines = jsonLines(t.out);
    assert.equal(lines.filter((l) => 'warning' in l).length, 0, t.out.join(''));
    assert.equal(readRunRecord((lines[lines.length - 1] as { runDir: string }).runDir).warnings, undefined);
  });

  it('a loss that has not improved on its first value for 3 epochs is called stuck, once', () => {
    const epoch = (n: number, loss: number): EpochMetrics => ({ epoch: n, loss, accuracy: 0.3, valLoss: null, valAccuracy: null, learningRate: 1e-7, samplesPerSec: 1, seconds: 1, etaSeconds: 0 });
    const ctx = { numClasses: 3, loss: 'sparseCategoricalCrossentropy', outputUnits: 3, optimizer: 'adam', learningRate: 1e-7 } as const;
    const flat = [1.09, 1.1, 1.095, 1.092].map((l, i) => epoch(i + 1, l));
    assert.deepEqual(learningWarnings(flat.slice(0, 3), ctx, new Set()), [], 'not before 3 epochs after the first');
    const [w] = learningWarnings(flat, ctx, new Set());
    assert.equal(w?.code, 'loss-not-improving');
    assert.equal(
      w?.message,
      'The model is not learning: the training loss has not improved on its first value (1.09 at epoch 1) in 3 epochs. The likely cause is the learning rate, 1e-7 (adam), which is too low to move the weights: set the learning rate to 0.001 (compile.learningRate in the model file, or --learning-rate 0.001 with the CLI) and train again.',
    );
    assert.deepEqual(learningWarnings(flat, ctx, new Set(['loss-not-improving'])), [], 'given once');
    const learning = [1.09, 1.0, 0.9, 0.8].map((l, i) => epoch(i + 1, l));
    assert.deepEqual(learningWarnings(learning, ctx, new Set()), []);
  });
});
