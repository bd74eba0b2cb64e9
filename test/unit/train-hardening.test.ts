/**
 * Hardening of training runs, in-process with real tfjs (wasm), real files and tiny generated data:
 * a run that cannot learn says so, `--continue` keeps the run's settings, split and optimizer state,
 * a run folder that cannot be written fails before the data is loaded, and a model too big for memory
 * is refused before it is built.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { runCli } from '../../src/cli/main';
import type { EpochMetrics } from '../../src/protocol/engine';
import { hasCheckpoint } from '../../src/engine/runs/checkpoints';
import { readEpochMetrics, readRunRecord, RUN_FILES } from '../../src/engine/runs/runStore';
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

/** A tmpfs mounted at `dir` (we run as root in CI); the reason when this machine does not allow it. */
function mountTmpfs(dir: string, options: string): string | null {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    const why = err instanceof Error ? ((err as { stderr?: Buffer }).stderr?.toString().trim() || err.message) : String(err);
    return `cannot mount a tmpfs here (${why}); a real read-only or full disk cannot be made on this machine`;
  }
}

/** Runs `body` on a fresh tmpfs mounted with `options`, or skips the test saying why one cannot be mounted. */
async function onTmpfs(t: TestContext, name: string, options: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = join(root, name);
  const skip = mountTmpfs(dir, options);
  if (skip) return t.skip(skip);
  try {
    await body(dir);
  } finally {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  }
}

/** The tiny model with a hidden Dense(64): 9,475 parameters, a 38 KB checkpoint. */
function hiddenLayerModel(name: string): string {
  return writeTinyModel(root, name, (m) => {
    m.nodes = [
      { id: 'input', type: 'Input', params: { shape: [12, 12, 1] }, inputs: [] },
      { id: 'flatten', type: 'Flatten', params: {}, inputs: ['input'] },
      { id: 'hidden', type: 'Dense', params: { units: 64, activation: 'relu' }, inputs: ['flatten'] },
      { id: 'output', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['hidden'] },
    ];
  });
}

describe('a run folder that cannot be written', () => {
  it('a read-only file system fails at once, before the data is loaded, naming the folder and the fix', (t) =>
    onTmpfs(t, 'ro', 'ro,size=1m', async (ro) => {
      const model = writeTinyModel(root, 'readonly');
      const r = io();
      // The data folder does not exist: the run folder is checked first, so the error is about the disk.
      assert.equal(await runCli(['train', model, '--data', join(root, 'no-such-data'), '--out', join(ro, 'run'), '--backend', 'wasm'], r.io), 1);
      assert.equal(r.err.join(''), `cnn-studio train: Cannot create the run folder '${join(ro, 'run')}': the file system is read-only (EROFS). Pass --out with a writable folder, or remount that disk read-write.\n`);
    }));

  it('a file where the runs folder should be (ENOTDIR) is named too', async () => {
    writeFileSync(join(root, 'a-file'), 'not a folder');
    const r = io();
    assert.equal(await runCli(['train', writeTinyModel(root, 'notdir'), '--data', data, '--out', join(root, 'a-file', 'run'), '--backend', 'wasm'], r.io), 1);
    assert.match(r.err.join(''), /^cnn-studio train: Cannot create the runs folder '.*a-file': part of that path is a file, not a folder \((ENOTDIR|EEXIST)\)\. Move that file away, or pass --out with another folder\.\n$/);
  });

  it('too little free space is refused before the data is loaded, with the space needed', (t) =>
    onTmpfs(t, 'small', 'size=64k', async (small) => {
      const r = io();
      assert.equal(await runCli(['train', hiddenLayerModel('small'), '--data', join(root, 'no-such-data'), '--out', join(small, 'run'), '--backend', 'wasm'], r.io), 1);
      assert.equal(
        r.err.join(''),
        `cnn-studio train: Cannot train into '${join(small, 'run')}': only 64 KB is free on that disk and the run needs about 367 KB (checkpoints of 9,475 parameters). Free some space, or pass --out with a folder on another disk.\n`,
      );
      assert.deepEqual(readdirSync(small), [], 'the claimed run folder is given back');
    }));

  it('a disk that fills up mid-run ends the run as failed, keeps the last good checkpoint and leaves no temp files', (t) =>
    onTmpfs(t, 'filling', 'size=1m', async (disk) => {
      const runDir = join(disk, 'run');
      const r = io();
      let epoch1Weights: Buffer | undefined;
      const print = r.io.stdout;
      r.io.stdout = (text: string) => {
        print(text);
        if (!epoch1Weights && text.includes('"epoch":1,')) {
          // Epoch 1 is saved; now fill the disk, leaving 16 KB: enough for run.json, not for a 38 KB checkpoint.
          epoch1Weights = readFileSync(join(runDir, RUN_FILES.last, 'weights.bin'));
          const fs = statfsSync(disk);
          writeFileSync(join(disk, 'filler'), Buffer.alloc(fs.bavail * fs.bsize - 16 * 1024));
        }
      };
      assert.equal(await runCli(['train', hiddenLayerModel('filling'), '--data', data, '--epochs', '3', '--out', runDir, '--backend', 'wasm', '--json'], r.io), 1);
      const expected = new RegExp(
        `^Cannot write the checkpoint of epoch 2 to '${runDir}/(best|last)': the disk is full \\(ENOSPC\\)\\. The run needs about 367 KB free there\\. Free some space, or pass --out with a folder on another disk\\. The checkpoints of epoch 1 are kept\\.$`,
      );
      const record = readRunRecord(runDir);
      assert.equal(record.status, 'failed');
      assert.match(record.message ?? '', expected);
      assert.equal(record.epochsCompleted, 1);
      assert.match(r.err.join(''), /error: Cannot write the checkpoint of epoch 2/);
      assert.ok(hasCheckpoint(join(runDir, RUN_FILES.last)));
      assert.deepEqual(readFileSync(join(runDir, RUN_FILES.last, 'weights.bin')), epoch1Weights, 'last/ still holds epoch 1');
      assert.deepEqual(readdirSync(runDir).filter((n) => /\.(tmp|old)-/.test(n)), [], 'no temp files left');
      assert.ok(readEpochMetrics(runDir).length >= 1);
    }));
});

describe('train --continue', () => {
  const started = ['--batch-size', '4', '--learning-rate', '0.002', '--seed', '5', '--backend', 'wasm', '--json'];

  async function train(args: string[]): Promise<{ code: number; runDir: string; err: string }> {
    const t = io();
    const code = await runCli(['train', ...args], t.io);
    const lines = t.out.join('').trim().split('\n');
    const last = lines[lines.length - 1] ?? '';
    return { code, runDir: last.startsWith('{"runDir"') ? (JSON.parse(last) as { runDir: string }).runDir : '', err: t.err.join('') };
  }

  it('refuses a flag that would change the run, names it and the fix, and leaves config.json as it was', async () => {
    const model = hiddenLayerModel('keep-settings');
    const first = await train([model, '--data', data, '--epochs', '1', ...started]);
    assert.equal(first.code, 0, first.err);
    const config = readFileSync(join(first.runDir, RUN_FILES.config), 'utf8');
    const refused = await train([first.runDir, '--continue', '--epochs', '2', '--batch-size', '64', '--learning-rate', '0.001', '--seed', '5']);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.err,
      'cnn-studio train: A continued run keeps the settings it started with:\n' +
        '  - --batch-size 64 would change its batch size from 4.\n' +
        '  - --learning-rate 0.001 would change its learning rate from 0.002.\n' +
        'Drop --batch-size, --learning-rate to continue the run as it was, or train the model again without --continue to start a new run with the new settings.\n',
    );
    const otherData = join(root, 'other-data');
    await writeTinyData(otherData, 6);
    const moved = await train([first.runDir, '--continue', '--epochs', '2', '--data', otherData]);
    assert.equal(moved.code, 1);
    assert.match(moved.err, /A continued run keeps its data: --data '.*other-data' is not the run's data '.*\/data' \(its validation split would change\)\. Drop --data/);
    assert.equal(readRunRecord(first.runDir).epochsCompleted, 1);
    assert.equal(readFileSync(join(first.runDir, RUN_FILES.config), 'utf8'), config);
  });

  it('continues with the run\'s settings, split and Adam state: the same weights as one uninterrupted run', async () => {
    const model = hiddenLayerModel('resume');
    const whole = await train([model, '--data', data, '--epochs', '3', ...started]);
    assert.equal(whole.code, 0, whole.err);
    const part = await train([model, '--data', data, '--epochs', '1', ...started]);
    assert.equal(part.code, 0, part.err);
    const config = readFileSync(join(part.runDir, RUN_FILES.config), 'utf8');
    const resumed = await train([part.runDir, '--continue', '--epochs', '3', '--backend', 'wasm', '--json']);
    assert.equal(resumed.code, 0, resumed.err);
    assert.equal(resumed.runDir, part.runDir);
    assert.equal(readFileSync(join(part.runDir, RUN_FILES.config), 'utf8'), config, 'config.json is not rewritten');
    const metrics = readEpochMetrics(part.runDir);
    assert.deepEqual(metrics.map((m) => [m.epoch, m.learningRate]), [[1, 0.002], [2, 0.002], [3, 0.002]]);
    // Same batches (batch size, seed), same split (the validation numbers), same Adam moments and step.
    const wholeMetrics = readEpochMetrics(whole.runDir);
    assert.deepEqual(metrics.map((m) => [m.loss, m.valLoss, m.valAccuracy]), wholeMetrics.map((m) => [m.loss, m.valLoss, m.valAccuracy]));
    const bytes = (dir: string, file: string) => readFileSync(join(dir, RUN_FILES.last, file));
    assert.ok(bytes(part.runDir, 'optimizer.bin').length > 2 * 9475 * 4, 'Adam m and v of every weight are saved');
    assert.deepEqual(bytes(part.runDir, 'optimizer.bin'), bytes(whole.runDir, 'optimizer.bin'), 'optimizer state bit-identical');
    // (optimizer.json differs only in the variable names tfjs numbers per process: 'hidden_1/kernel/m'.)
    const steps = (dir: string) => (JSON.parse(bytes(dir, 'optimizer.json').toString()) as { betaPowers: number[] }).betaPowers;
    assert.deepEqual(steps(part.runDir), steps(whole.runDir), "Adam's beta powers");
    assert.deepEqual(bytes(part.runDir, 'weights.bin'), bytes(whole.runDir, 'weights.bin'), 'weights bit-identical');
  });
});

describe('a model too big for memory', () => {
  /** A 224×224 grey image flattened into Dense(65,536): 3,288,596,483 parameters. */
  function hugeModel(name: string): string {
    return writeTinyModel(root, name, (m) => {
      m.dataset = { kind: 'imageFolder', path: 'data', imageSize: [224, 224], colorMode: 'grayscale' };
      m.nodes = [
        { id: 'input', type: 'Input', params: { shape: [224, 224, 1] }, inputs: [] },
        { id: 'flatten', type: 'Flatten', params: {}, inputs: ['input'] },
        { id: 'huge', type: 'Dense', params: { units: 65_536, activation: 'relu' }, inputs: ['flatten'] },
        { id: 'output', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['huge'] },
      ];
    });
  }

  it('train refuses a 3.3-billion-parameter model before loading data or building it, with the figure and the fix', async () => {
    const model = hugeModel('huge');
    const r = io();
    // The data folder does not exist: the memory check comes first, so the error is about memory.
    assert.equal(await runCli(['train', model, '--data', join(root, 'no-such-data'), '--backend', 'wasm'], r.io), 1);
    assert.match(
      r.err.join(''),
      /^cnn-studio train: The model 'huge' needs about 49 GB of memory to train at batch size 8 \(3,288,596,483 parameters with their gradients and adam slots: 49 GB; layer outputs: \d+(\.\d)? MB\), but (the wasm backend can address at most 4\.0 GB|only [\d.]+ [KMG]B is free on this machine)\. Make the model smaller: fewer units in its Dense layers or fewer filters in its Conv2D layers \(a Flatten into a large Dense layer is the usual culprit; pooling before it helps\)\.\n$/,
    );
    assert.deepEqual(readdirSync(join(root, '.cnn-studio', 'runs', 'huge')), [], 'no run folder is left');
  });

  it('validate warns that it exceeds the free memory; summary shows the training memory', async () => {
    const model = hugeModel('huge-validate');
    const v = io();
    assert.equal(await runCli(['validate', model], v.io), 0, 'a warning, not an error');
    assert.match(v.out.join(''), /warning \[training-memory\]: Training needs about 49 GB of memory at batch size 8 \(weights, gradients and adam slots 49 GB; layer outputs \d+(\.\d)? MB\), more than the [\d.]+ [KMG]B free on this machine; training would be refused\. Make the model smaller/);
    const s = io();
    assert.equal(await runCli(['summary', hiddenLayerModel('summary-memory')], s.io), 0);
    assert.match(s.out.join(''), /\nTraining memory: ≈ 4\.2 MB at batch size 8 with adam \(weights, gradients and optimizer slots 148 KB; layer outputs 4\.1 MB\)\n$/);
  });
});
