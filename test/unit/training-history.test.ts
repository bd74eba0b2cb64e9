/** The host's training history and delta batching (pure parts of src/extension/training). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeatureMapSnapshot, HostToDashboard } from '../../src/protocol/dashboard';
import type { EngineClientEvent, EpochMetrics } from '../../src/protocol/engine';
import { DeltaOutbox, type Timers } from '../../src/extension/training/deltaOutbox';
import { describeBackend, emptyRunInfo, RunHistory } from '../../src/extension/training/runHistory';
import { metricsCsv } from '../../src/extension/training/runFiles';
import { etaSeconds, progressLine } from '../../src/extension/training/runStatusText';

function manualTimers(): Timers & { fire(): void } {
  let pending: (() => void) | null = null;
  return {
    setTimeout: (fn) => ((pending = fn), 1),
    clearTimeout: () => (pending = null),
    fire: () => {
      const p = pending;
      pending = null;
      p?.();
    },
  };
}

const epoch = (n: number): EpochMetrics => ({ epoch: n, loss: 1 / n, accuracy: 0.5, valLoss: null, valAccuracy: null, learningRate: 0.01, samplesPerSec: 100, seconds: 2, etaSeconds: 1 });
const batch = (e: number, b: number): EngineClientEvent => ({ type: 'batchMetrics', runId: 'r1', epoch: e, batch: b, batchesPerEpoch: 10, loss: 1, accuracy: 0.5, learningRate: 0.01, samplesPerSec: 320 });

test('RunHistory keeps batches with global steps, ignores other runs, and hydrates with copies', () => {
  const h = new RunHistory(emptyRunInfo({ runId: 'r1', runDir: '/runs/r1', modelName: 'm', epochsPlanned: 3, batchSize: 32 }));
  assert.deepEqual(h.apply(batch(2, 3)).map((m) => m.type), ['batchMetrics']);
  assert.equal(h.batches[0]!.step, 13);
  assert.equal(h.info.batchesPerEpoch, 10);
  assert.deepEqual(h.apply({ ...batch(1, 1), runId: 'other' } as EngineClientEvent), []);
  const snap = h.hydrate();
  h.apply(batch(2, 4));
  assert.equal(snap.batches.length, 1, 'a hydrate taken earlier does not grow');
  h.apply({ type: 'epochMetrics', runId: 'r1', epochs: 3, metrics: epoch(2), isBest: true });
  h.apply({ type: 'epochMetrics', runId: 'r1', epochs: 3, metrics: { ...epoch(2), loss: 0.1 }, isBest: true });
  assert.equal(h.epochs.length, 1, 'a resent epoch replaces the old one');
  const end = h.apply({ type: 'runFinished', runId: 'r1', runDir: '/runs/r1', status: 'stopped', epochsCompleted: 2, bestEpoch: 2, bestValAccuracy: null, seconds: 4, message: 'Stopped by the user.' });
  assert.deepEqual(end, [{ type: 'runStatus', runId: 'r1', status: 'stopped', message: 'Stopped by the user.', activity: null }]);
});

test('progress line and ETA come from the latest batch', () => {
  const h = new RunHistory(emptyRunInfo({ runId: 'r1', runDir: '/r', modelName: 'm', epochsPlanned: 3, batchSize: 32 }));
  assert.ok(Number.isNaN(etaSeconds(h)));
  h.apply(batch(2, 5));
  // 15 batches left × 32 samples / 320 samples/s.
  assert.equal(etaSeconds(h), 1.5);
  assert.equal(progressLine(h), 'epoch 2/3 · batch 5/10 · loss 1.000 · ETA 0:02');
});

test('DeltaOutbox merges batch and epoch deltas per interval and keeps order around other messages', () => {
  const sent: HostToDashboard[] = [];
  const timers = manualTimers();
  const box = new DeltaOutbox((m) => sent.push(m), 250, timers);
  const p = (step: number) => ({ step, epoch: 1, batch: step, loss: 1, accuracy: 0, learningRate: 0.1, samplesPerSec: 1 });
  box.send({ type: 'batchMetrics', runId: 'r1', points: [p(1)], batchesPerEpoch: 10 });
  box.send({ type: 'batchMetrics', runId: 'r1', points: [p(2)], batchesPerEpoch: 10 });
  box.send({ type: 'epochMetrics', runId: 'r1', epochs: [epoch(1)] });
  assert.equal(sent.length, 0, 'nothing before the interval');
  timers.fire();
  assert.deepEqual(sent.map((m) => m.type), ['batchMetrics', 'epochMetrics']);
  const first = sent[0]!;
  assert.equal(first.type === 'batchMetrics' ? first.points.length : -1, 2);
  box.send({ type: 'batchMetrics', runId: 'r1', points: [p(3)], batchesPerEpoch: 10 });
  box.send({ type: 'runStatus', runId: 'r1', status: 'paused' });
  assert.deepEqual(sent.slice(2).map((m) => m.type), ['batchMetrics', 'runStatus'], 'pending deltas go out before a status');
  box.send({ type: 'batchMetrics', runId: 'r1', points: [p(4)], batchesPerEpoch: 10 });
  box.clear();
  timers.fire();
  assert.equal(sent.length, 4, 'cleared deltas are not sent');
});

test('metrics CSV has one row per epoch and empty cells without validation', () => {
  const csv = metricsCsv([epoch(1), { ...epoch(2), valLoss: 0.5, valAccuracy: 0.75 }]);
  assert.equal(csv, 'epoch,loss,accuracy,valLoss,valAccuracy,learningRate,samplesPerSec,seconds\n1,1,0.5,,,0.01,100,2\n2,0.5,0.5,0.5,0.75,0.01,100,2\n');
});

test('Open Run: a run whose process is gone reads as interrupted; one still running elsewhere has no controls', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { historyFromRunFolder } = await import('../../src/extension/training/runFiles');
  const dir = mkdtempSync(join(tmpdir(), 'run-'));
  try {
    const record = (pid: number) => ({
      runId: 'r9', modelName: 'm', status: 'running', pid, backend: { name: 'wasm', tfjsVersion: '4.22.0', threads: 1, simd: true },
      versions: { cnnStudio: '0.1.0', tfjs: '4.22.0', node: '20' }, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
      trainingSeconds: 3, epochsCompleted: 2, epochsPlanned: 5, bestEpoch: 2, bestValAccuracy: 0.5, bestValLoss: 1,
    });
    writeFileSync(join(dir, 'metrics.jsonl'), `${JSON.stringify(epoch(1))}\n${JSON.stringify(epoch(2))}\n{"epoch": 3, "lo`);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ batchSize: 32, learningRate: 0.01, classNames: ['a', 'b'] }));
    // A pid that cannot exist: the window that trained it was reloaded and its engine died.
    writeFileSync(join(dir, 'run.json'), JSON.stringify(record(2 ** 22 + 12345)));
    const gone = historyFromRunFolder(dir);
    assert.equal(gone.status, 'interrupted');
    assert.equal(gone.epochs.length, 2, 'the torn last line is ignored');
    assert.equal(gone.info.controllable, undefined);
    assert.deepEqual(gone.info.classNames, ['a', 'b']);
    assert.equal(gone.info.settings['batch size'], '32');
    // The parent of this test process is alive: a run another process is still training.
    writeFileSync(join(dir, 'run.json'), JSON.stringify(record(process.ppid)));
    const elsewhere = historyFromRunFolder(dir);
    assert.equal(elsewhere.status, 'running');
    assert.equal(elsewhere.info.controllable, false);
    assert.match(elsewhere.info.message ?? '', /another process/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the backend line names the GPU adapter for webgpu (dashboard header, status bar tooltip, run list)', () => {
  const adapter = { vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7', software: true };
  assert.equal(describeBackend({ name: 'webgpu', tfjsVersion: '4.22.0', threads: 1, simd: false, adapter }), 'webgpu on mesa software (llvmpipe: Mesa 25.0.7)');
  assert.equal(describeBackend({ name: 'webgpu', tfjsVersion: '4.22.0', threads: 1, simd: false, adapter: { ...adapter, description: '' } }), 'webgpu on mesa software');
  assert.equal(describeBackend({ name: 'wasm', tfjsVersion: '4.22.0', threads: 2, simd: true }), 'wasm (simd, 2 threads)');
});

test('"Saving checkpoints of epoch n" ends with the epoch: the epoch message also clears the header activity', () => {
  const h = new RunHistory(emptyRunInfo({ runId: 'r1', runDir: '/runs/r1', modelName: 'm', epochsPlanned: 2, batchSize: 32 }));
  const saving = h.apply({ type: 'progress', runId: 'r1', phase: 'saving', message: 'Saving checkpoints of epoch 2', fraction: null });
  assert.deepEqual(saving.map((m) => (m.type === 'runStatus' ? m.activity : m.type)), ['Saving checkpoints of epoch 2']);
  const done = h.apply({ type: 'epochMetrics', runId: 'r1', epochs: 2, metrics: epoch(2), isBest: true });
  assert.deepEqual(done.map((m) => m.type), ['epochMetrics', 'runStatus']);
  assert.equal(h.activity, null);
  assert.equal((done[1] as { activity: string | null }).activity, null);
  // Nothing to clear: only the epoch.
  assert.deepEqual(h.apply({ type: 'epochMetrics', runId: 'r1', epochs: 2, metrics: epoch(2), isBest: false }).map((m) => m.type), ['epochMetrics']);
});

test('a sample picked in the evaluation is kept apart: the series of the training sample stays, and a reopened dashboard gets both', () => {
  const h = new RunHistory(emptyRunInfo({ runId: 'r1', runDir: '/runs/r1', modelName: 'm', epochsPlanned: 3, batchSize: 32 }));
  const snap = (epochNo: number, datasetIndex: number): FeatureMapSnapshot => ({
    epoch: epochNo,
    sample: { datasetIndex, path: null, trueClass: 'circle' },
    input: { shape: [1, 1, 1], data: new Uint8Array([0]) },
    prediction: [],
    layers: [],
    filters: null,
    gradCam: null,
  });
  h.addFeatureMaps(snap(1, 0));
  h.addFeatureMaps(snap(2, 0));
  assert.deepEqual(h.setPicked(snap(2, 7)), { type: 'featureMaps', runId: 'r1', snapshot: snap(2, 7), picked: true });
  assert.deepEqual(h.featureMaps.map((s) => [s.epoch, s.sample.datasetIndex]), [[1, 0], [2, 0]], 'the series is not replaced');
  assert.equal(h.hydrate().pickedFeatureMaps?.sample.datasetIndex, 7);
  h.addFeatureMaps(snap(3, 0));
  assert.equal(h.featureMaps.length, 3, 'later epochs still grow the series');
  h.picked = null;
  assert.equal(h.hydrate().pickedFeatureMaps, null);
});

const epochEvent = (n: number): EngineClientEvent => ({ type: 'epochMetrics', runId: 'r1', epochs: 3, metrics: epoch(n), isBest: true });

test("the side bar's training line is about the model it shows: another model's run is named as such", async () => {
  const { sidebarStatusLine } = await import('../../src/extension/training/runStatusText');
  const h = new RunHistory(emptyRunInfo({ runId: 'r1', runDir: '/runs/r1', modelName: 'mnist-small', epochsPlanned: 3, batchSize: 32 }));
  h.apply(batch(1, 2));
  const a = 'file:///ws/a.cnn.json';
  const b = 'file:///ws/b.cnn.json';
  assert.equal(sidebarStatusLine(a, null), 'No run yet.');
  assert.match(sidebarStatusLine(a, { h, live: true, modelKey: a }), /^mnist-small: epoch 1\/3 · batch 2\/10/);
  assert.match(sidebarStatusLine(b, { h, live: true, modelKey: a }), /^Another model is training: mnist-small \(epoch 1\/3 · batch 2\/10/);
  h.apply(epochEvent(1));
  h.apply({ type: 'runFinished', runId: 'r1', runDir: '/runs/r1', status: 'finished', epochsCompleted: 1, bestEpoch: 1, bestValAccuracy: null, seconds: 4 });
  assert.match(sidebarStatusLine(a, { h, live: false, modelKey: a }), /^mnist-small: finished · 1 epoch/);
  assert.equal(sidebarStatusLine(b, { h, live: false, modelKey: a }), 'Not trained in this window yet; its earlier runs are listed under it in the Models view.');
});
