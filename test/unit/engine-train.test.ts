/**
 * Training in-process on the wasm backend with real tfjs and generated data: accuracy on a 3-class
 * shapes dataset, the run folder's files, evaluation/prediction/feature maps on the result, seeded
 * repeatability, a NaN stop, schedules and early stopping, and the CLI commands end to end.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createModelFromTemplate } from '../../src/core/templates';
import type { ModelFile } from '../../src/core/format';
import type { EngineEvent, EpochMetrics, EvaluationReport, ImagePrediction, RunRecord } from '../../src/protocol/engine';
import { runCli } from '../../src/cli/main';
import { getTf } from '../../src/engine/backend/selectBackend';
import { writeSyntheticDataset } from '../../src/engine/data/synthetic';
import { computeActivations } from '../../src/engine/eval/activations';
import { evaluateRun } from '../../src/engine/eval/evaluate';
import { predictImages } from '../../src/engine/eval/predict';
import { loadRunModel, openRun } from '../../src/engine/eval/runModel';
import { readEpochMetrics, readRunRecord } from '../../src/engine/runs/runStore';
import { BestTracker, LearningRateScheduler } from '../../src/engine/train/schedules';
import { loadNative } from '../../src/engine/backend/native/loadNative';
import { prepareTraining, runPrepared } from '../../src/engine/train/session';

let root: string;
let data: string;

/** mnist-small with 3 outputs, small batches and light augmentation: learns 3 shapes from 100 images each. */
function shapesModel(name: string, patch: (m: ModelFile) => void = () => undefined): string {
  const m = createModelFromTemplate('mnist-small', name);
  m.nodes.find((n) => n.id === 'output')!.params['units'] = 3;
  m.compile.learningRate = 0.005;
  m.training = { ...m.training, epochs: 25, batchSize: 16, validationSplit: 0.25, seed: 7, augmentation: { horizontalFlip: true, translate: 0.1, brightness: 0.1 } };
  patch(m);
  const path = join(root, `${name}.cnn.json`);
  writeFileSync(path, JSON.stringify(m, null, 2));
  return path;
}

async function train(modelPath: string, overrides: Record<string, number | string> = {}): Promise<{ events: EngineEvent[]; runDir: string; outcome: Awaited<ReturnType<typeof runPrepared>> }> {
  const events: EngineEvent[] = [];
  const prepared = await prepareTraining({ modelPath, dataDir: data, runsRoot: root, overrides: { backend: 'wasm', ...overrides } }, { emit: (e) => events.push(e) });
  const outcome = await runPrepared(prepared);
  return { events, runDir: prepared.started.runDir, outcome };
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cnn-train-'));
  data = join(root, 'shapes');
  await writeSyntheticDataset('shapes', data, { perClass: 100, size: 28, seed: 3 });
});

after(() => rmSync(root, { recursive: true, force: true }));

describe('training on generated shapes (wasm)', () => {
  let runDir: string;

  it('reaches ≥ 90% validation accuracy and writes the whole run folder', async (t) => {
    const { events, runDir: dir, outcome } = await train(shapesModel('shapes'));
    runDir = dir;
    assert.equal(outcome.status, 'finished', outcome.message);
    assert.ok(outcome.bestValAccuracy! >= 0.9, `best validation accuracy ${outcome.bestValAccuracy}`);
    t.diagnostic(`shapes: best validation accuracy ${outcome.bestValAccuracy} at epoch ${outcome.bestEpoch}, ${outcome.seconds.toFixed(1)} s`);
    assert.ok(dir.startsWith(join(root, '.cnn-studio', 'runs', 'shapes')));
    for (const f of ['model.cnn.json', 'config.json', 'metrics.jsonl', 'run.json', 'best/model.json', 'best/weights.bin', 'last/model.json', 'last/weights.bin']) {
      assert.ok(existsSync(join(dir, f)), `${f} missing`);
    }
    const metrics = readEpochMetrics(dir);
    assert.equal(metrics.length, 25);
    assert.ok(metrics.every((m) => m.valAccuracy !== null && m.samplesPerSec > 0 && m.learningRate === 0.005));
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
    assert.equal(record.status, 'finished');
    assert.equal(record.backend.name, 'wasm');
    assert.equal(record.epochsCompleted, 25);
    assert.equal(record.bestValAccuracy, outcome.bestValAccuracy);
    const types = new Set(events.map((e) => e.type));
    for (const t of ['runStarted', 'batchMetrics', 'epochMetrics', 'runFinished']) assert.ok(types.has(t as EngineEvent['type']), `no ${t} event`);
    const started = events.find((e) => e.type === 'runStarted');
    assert.ok(started && started.type === 'runStarted' && started.dataset.numValidation === 75);
  });

  it('evaluates the run (same accuracy as its best epoch), predicts files and computes feature maps', async () => {
    const tf = getTf();
    const report = await evaluateRun(tf, { runDir });
    const best = readEpochMetrics(runDir).find((m) => m.epoch === readRunRecord(runDir).bestEpoch)!;
    assert.equal(report.split, 'validation');
    assert.equal(report.numSamples, 75);
    assert.ok(Math.abs(report.accuracy - best.valAccuracy!) < 1e-9);
    assert.equal(report.confusionMatrix.flat().reduce((a, b) => a + b, 0), 75);
    assert.deepEqual(report.perClass.map((c) => c.support), [25, 25, 25]);
    assert.ok(existsSync(join(runDir, 'evaluation.json')));

    const files = ['circle', 'square', 'triangle'].map((c) => join(data, c, readdirSync(join(data, c))[0]!));
    const preds = await predictImages(tf, { runDir, imagePaths: files, topK: 2 });
    assert.equal(preds.length, 3);
    assert.ok(preds.every((p) => p.top.length === 2 && p.top[0]!.probability >= p.top[1]!.probability));

    const run = openRun(runDir);
    const model = loadRunModel(tf, run, 'best');
    const pixels = new Uint8Array(28 * 28).map((_, i) => (Math.abs((i % 28) - 14) + Math.abs(Math.floor(i / 28) - 14) < 8 ? 230 : 20));
    const act = await computeActivations(tf, model, run.model, { pixels, shape: [28, 28, 1], scale: 1 / 255, classNames: run.config.classNames, samplePath: null, trueClass: null, maxChannels: 4 });
    model.dispose();
    assert.deepEqual(act.featureMaps.map((f) => [f.layerId, ...f.shape]), [['conv1', 24, 24, 4], ['pool1', 12, 12, 4], ['conv2', 8, 8, 4], ['pool2', 4, 4, 4]]);
    assert.equal(act.featureMaps[0]!.totalChannels, 8);
    assert.ok(act.featureMaps.every((f) => f.data instanceof Uint8Array && f.data.length === f.shape[0] * f.shape[1] * f.shape[2]));
    assert.ok(act.featureMaps[0]!.data.some((v) => v === 255), 'each live channel is scaled to reach 255');
    assert.deepEqual(act.filters!.shape, [5, 5, 1, 8]);
    assert.equal(act.gradCam!.layerId, 'conv2');
    assert.deepEqual(act.gradCam!.shape, [28, 28]);
    assert.equal(act.gradCam!.className, act.prediction[0]!.className);
    assert.ok(Math.abs(act.prediction.reduce((a, p) => a + p.probability, 0) - 1) < 1e-4);
  });
});

describe('repeatability and failures', () => {
  it('repeats a seeded run exactly on the same backend', async () => {
    const path = shapesModel('repeat', (m) => {
      m.training.epochs = 2;
      m.nodes.splice(m.nodes.findIndex((n) => n.id === 'output'), 0, { id: 'drop', type: 'Dropout', params: { rate: 0.3 }, inputs: ['flatten'] });
      m.nodes.find((n) => n.id === 'output')!.inputs = ['drop'];
    });
    const a = (await train(path)).outcome.history;
    const b = (await train(path)).outcome.history;
    const c = (await train(path, { seed: 8 })).outcome.history;
    const strip = (h: readonly EpochMetrics[]) => h.map((m) => [m.loss, m.accuracy, m.valLoss, m.valAccuracy]);
    assert.deepEqual(strip(a), strip(b));
    assert.notDeepEqual(strip(a), strip(c));
  });

  const native = loadNative();
  it('repeats a seeded run exactly on the native kernels, and run.json says they ran and with how many threads', { skip: !native.ok && process.env['CI'] !== 'true' && `native kernels not available: ${native.ok ? '' : native.reason}` }, async () => {
    const path = shapesModel('repeat-native', (m) => {
      m.training.epochs = 2;
    });
    // nativeThreads (the cnnStudio.nativeThreads setting) limits the OpenBLAS threads; run.json records it.
    const a = await train(path, { backend: 'native', nativeThreads: 1 });
    const b = await train(path, { backend: 'native', nativeThreads: 1 });
    const strip = (h: readonly EpochMetrics[]) => h.map((m) => [m.loss, m.accuracy, m.valLoss, m.valAccuracy]);
    assert.deepEqual(strip(a.outcome.history), strip(b.outcome.history));
    assert.ok(a.outcome.history.at(-1)!.loss < a.outcome.history[0]!.loss * 1.5, 'it trains');
    const record = JSON.parse(readFileSync(join(a.runDir, 'run.json'), 'utf8')) as RunRecord;
    assert.equal(record.backend.name, 'native');
    assert.match(record.backend.kernels ?? '', /^OpenBLAS \w+$/);
    assert.equal(record.backend.threads, 1);
  });

  it('stops a diverging run with a NaN message and keeps it as failed', async () => {
    // Pixels times 1e38 overflow float32 to Infinity; the convolutions then produce NaN.
    const path = shapesModel('diverge', (m) => {
      m.training.epochs = 3;
      m.nodes.splice(1, 0, { id: 'scale', type: 'Rescaling', params: { scale: 1e38 }, inputs: ['input'] });
      m.nodes.find((n) => n.id === 'conv1')!.inputs = ['scale'];
    });
    const { events, runDir, outcome } = await train(path);
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome.history));
    assert.match(outcome.message!, /NaN/);
    assert.match(outcome.message!, /Lower the learning rate/);
    assert.ok(events.some((e) => e.type === 'error' && e.code === 'nan-loss' && e.userFacing));
    assert.equal(readRunRecord(runDir).status, 'failed');
  });

  it('refuses a model whose errors cannot be fixed for the data, naming the problem', async () => {
    const path = shapesModel('broken', (m) => {
      m.nodes.find((n) => n.id === 'conv2')!.params['kernelSize'] = [40, 40];
    });
    await assert.rejects(prepareTraining({ modelPath: path, dataDir: data, runsRoot: root, overrides: { backend: 'wasm' } }, { emit: () => undefined }), (e: unknown) => {
      const err = e as Error & { userFacing?: boolean };
      return err.userFacing === true && /conv2/.test(err.message);
    });
  });
});

describe('schedules and early stopping', () => {
  const m = (epoch: number, valLoss: number, lr = 0.1): EpochMetrics => ({ epoch, loss: valLoss, accuracy: 0, valLoss, valAccuracy: 1 - valLoss, learningRate: lr, samplesPerSec: 1, seconds: 1, etaSeconds: 0 });

  it('step, cosine and reduce-on-plateau', () => {
    const step = new LearningRateScheduler({ kind: 'step', stepEpochs: 2, factor: 0.5 }, 0.1, 6);
    assert.deepEqual([1, 2, 3, 4, 5].map((e) => step.rateFor(e)), [0.1, 0.1, 0.05, 0.05, 0.025]);
    const cos = new LearningRateScheduler({ kind: 'cosine', minLearningRate: 0.01 }, 0.1, 5);
    assert.ok(Math.abs(cos.rateFor(1) - 0.1) < 1e-12 && Math.abs(cos.rateFor(5) - 0.01) < 1e-12 && Math.abs(cos.rateFor(3) - 0.055) < 1e-12);
    const plateau = new LearningRateScheduler({ kind: 'reduceOnPlateau', factor: 0.5, patience: 2, minLearningRate: 0.02 }, 0.1, 10);
    // best 0.9 at epoch 2; two epochs without improvement halve the rate, twice; then it stops at the minimum
    for (const [i, v] of [1, 0.9, 0.95, 0.93, 0.96, 0.97].entries()) plateau.observe(m(i + 1, v));
    assert.equal(plateau.rateFor(7), 0.025);
    plateau.observe(m(7, 0.98));
    plateau.observe(m(8, 0.99));
    assert.equal(plateau.rateFor(9), 0.02);
  });

  it('tracks the best epoch by the monitored value', () => {
    const byLoss = new BestTracker('valLoss');
    [0.5, 0.4, 0.45, 0.46].forEach((v, i) => byLoss.observe(m(i + 1, v)));
    assert.equal(byLoss.best!.epoch, 2);
    assert.equal(byLoss.epochsSinceBest(), 2);
  });

  it('early stopping ends the run and restores the best weights', async () => {
    const path = shapesModel('early', (mf) => {
      mf.compile.learningRate = 0.5; // far too high: validation loss gets worse after the first epoch
      mf.training.epochs = 10;
      mf.training.earlyStopping = { enabled: true, monitor: 'valLoss', patience: 2, restoreBestWeights: true };
    });
    const { outcome } = await train(path);
    assert.equal(outcome.status, 'finished');
    if (outcome.epochsCompleted < 10) assert.match(outcome.message!, /Early stopping/);
    assert.ok(outcome.epochsCompleted - outcome.bestEpoch! <= 2);
  });
});

describe('CLI: make-dataset, train --json, evaluate, predict, Ctrl+C', () => {
  function io(signal = new AbortController().signal) {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), isTty: false, signal }, out, err };
  }

  it('runs the done-when path on a small dataset', async () => {
    const dir = join(root, 'cli');
    const a = io();
    assert.equal(await runCli(['make-dataset', 'stripes', join(dir, 'data'), '--per-class', '30', '--size', '20', '--seed', '2'], a.io), 0, a.err.join(''));
    assert.equal(readdirSync(join(dir, 'data')).sort().join(), 'diagonal,horizontal,vertical');
    assert.equal(await runCli(['make-dataset', 'stripes', join(dir, 'data')], io().io), 2, 'refuses a non-empty folder');
    const model = createModelFromTemplate('mnist-small', 'cli');
    model.nodes[0]!.params['shape'] = [20, 20, 1];
    model.nodes.find((n) => n.id === 'conv2')!.params['kernelSize'] = [3, 3];
    writeFileSync(join(dir, 'm.cnn.json'), JSON.stringify(model));
    const t = io();
    const code = await runCli(['train', join(dir, 'm.cnn.json'), '--data', join(dir, 'data'), '--epochs', '2', '--batch-size', '16', '--backend', 'wasm', '--json'], t.io);
    assert.equal(code, 0, t.err.join(''));
    const lines = t.out.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 3);
    assert.deepEqual(Object.keys(lines[0]!).filter((k) => ['epoch', 'loss', 'accuracy', 'valLoss', 'valAccuracy', 'samplesPerSec', 'seconds'].includes(k)).length, 7);
    const last = lines[2] as { runDir: string; backend: string; bestValAccuracy: number; epochs: number };
    assert.equal(last.backend, 'wasm');
    assert.equal(last.epochs, 2);
    assert.ok(last.runDir.startsWith(join(dir, '.cnn-studio', 'runs', 'cli')));
    assert.match(t.err.join(''), /has 10 unit\(s\), but the dataset has 3 classes/);

    const e = io();
    assert.equal(await runCli(['evaluate', last.runDir, '--json'], e.io), 0, e.err.join(''));
    const report = JSON.parse(e.out.join('')) as EvaluationReport;
    assert.deepEqual(report.classNames, ['diagonal', 'horizontal', 'vertical']);
    assert.equal(report.confusionMatrix.length, 3);
    const p = io();
    const img = join(dir, 'data', 'vertical', 'vertical_0001.png');
    assert.equal(await runCli(['predict', last.runDir, img, '--top', '2', '--json'], p.io), 0, p.err.join(''));
    const preds = JSON.parse(p.out.join('')) as ImagePrediction[];
    assert.equal(preds[0]!.top.length, 2);
    const bad = io();
    assert.equal(await runCli(['predict', last.runDir, join(dir, 'm.cnn.json')], bad.io), 1);
    assert.match(bad.err.join(''), /Cannot read .*m\.cnn\.json/);

    // Ctrl+C during training: the run stops cleanly and is kept. This model names its data itself
    // (a path relative to the model file), so no --data.
    writeFileSync(join(dir, 'own-data.cnn.json'), JSON.stringify({ ...model, name: 'own-data', dataset: { kind: 'imageFolder', path: 'data', imageSize: [20, 20], colorMode: 'grayscale' } }));
    const ctrl = new AbortController();
    const s = io(ctrl.signal);
    const print = s.io.stdout;
    // "Ctrl+C" once the first epoch is reported, so it lands mid-training however slow the machine is.
    s.io.stdout = (text: string) => {
      print(text);
      if (text.includes('"epoch":1,')) ctrl.abort();
    };
    const stopping = runCli(['train', join(dir, 'own-data.cnn.json'), '--epochs', '50', '--batch-size', '4', '--backend', 'wasm', '--json'], s.io);
    assert.equal(await stopping, 130);
    const summary = JSON.parse(s.out.join('').trim().split('\n').pop()!) as { runDir: string; status: string; epochs: number };
    assert.equal(summary.status, 'stopped');
    assert.ok(summary.epochs >= 1 && summary.epochs < 50);
    assert.equal(readRunRecord(summary.runDir).status, 'stopped');
  });
});
