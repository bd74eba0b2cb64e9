/**
 * The engine as the extension uses it: a real forked `engine.js` (bundled here with esbuild) driven
 * through EngineClient. Pause/resume/stop, continuing a stopped run, live feature maps over IPC,
 * typed error replies, and a SIGKILL mid-epoch leaving a readable run marked interrupted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundleNodeEntry } from './bundle.helpers';
import { createModelFromTemplate } from '../../src/core/templates';
import type { EngineClientEvent, RunStatus } from '../../src/protocol/engine';
import { RpcError } from '../../src/protocol/rpc';
import { EngineClient } from '../../src/engine/client/engineClient';
import { writeSyntheticDataset } from '../../src/engine/data/synthetic';
import { listRuns, readEpochMetrics, readRun } from '../../src/engine/runs/runStore';

const repo = join(__dirname, '..', '..');
// Inside the repository so the bundle resolves sharp and the wasm binaries from node_modules.
const enginePath = join(repo, 'out', 'engine-test', 'engine.js');
let root: string;
let data: string;
let modelPath: string;
const clients: EngineClient[] = [];

function startEngine(): { client: EngineClient; events: EngineClientEvent[] } {
  const client = new EngineClient({ enginePath, requestTimeoutMs: 30_000 });
  clients.push(client);
  const events: EngineClientEvent[] = [];
  client.onEvent((e) => events.push(e));
  return { client, events };
}

const isType =
  <T extends EngineClientEvent['type']>(type: T, extra: (e: Extract<EngineClientEvent, { type: T }>) => boolean = () => true) =>
  (e: EngineClientEvent): e is Extract<EngineClientEvent, { type: T }> =>
    e.type === type && extra(e as Extract<EngineClientEvent, { type: T }>);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  await bundleNodeEntry('src/engine/process/main.ts', enginePath);
  root = mkdtempSync(join(tmpdir(), 'cnn-engine-'));
  data = join(root, 'data');
  await writeSyntheticDataset('shapes', data, { perClass: 60, size: 20, seed: 4 });
  const m = createModelFromTemplate('mnist-small', 'proc');
  m.nodes[0]!.params['shape'] = [20, 20, 1];
  m.nodes.find((n) => n.id === 'conv2')!.params['kernelSize'] = [3, 3];
  m.nodes.find((n) => n.id === 'output')!.params['units'] = 3;
  m.training = { ...m.training, batchSize: 4, epochs: 40 };
  modelPath = join(root, 'proc.cnn.json');
  writeFileSync(modelPath, JSON.stringify(m));
});

after(async () => {
  await Promise.all(clients.map((c) => c.dispose(3000)));
  rmSync(root, { recursive: true, force: true });
});

describe('engine process over IPC', () => {
  let stoppedRun: string;

  it('pauses, resumes and stops within a batch; the stopped run is kept', async (t) => {
    const { client, events } = startEngine();
    const started = await client.startTraining({ modelPath, dataDir: data, runsRoot: root, overrides: { backend: 'wasm', batchEventIntervalMs: 0 } });
    assert.equal(started.backend.name, 'wasm');
    assert.equal(started.dataset.numTrain + started.dataset.numValidation, 180);
    await client.waitFor(isType('epochMetrics', (e) => e.metrics.epoch === 1), 60_000);
    await client.waitFor(isType('batchMetrics', (e) => e.epoch === 2 && e.batch >= 2), 30_000);

    assert.equal((await client.pause()).status, 'paused');
    await client.waitFor(isType('runState', (e) => e.status === 'paused'), 5000).catch(() => undefined);
    const atPause = events.filter((e) => e.type === 'batchMetrics').length;
    await sleep(600);
    assert.ok(events.filter((e) => e.type === 'batchMetrics').length <= atPause + 1, 'no batches while paused');
    assert.equal((await client.status()).currentRun?.status, 'paused');
    assert.equal(readRun(started.runDir).record.status, 'paused');

    // Feature maps of the live model while paused travel as Uint8Arrays.
    const live = await client.activations({ target: { kind: 'live' }, sample: { datasetIndex: 0 }, maxChannels: 2 });
    assert.ok(live.featureMaps[0]!.data instanceof Uint8Array);
    assert.ok(live.gradCam!.data instanceof Uint8Array);
    assert.equal(live.input.data.length, 20 * 20);
    assert.ok(live.trueClass !== null);

    assert.equal((await client.resume()).status, 'running');
    const before = events.filter((e) => e.type === 'batchMetrics').length;
    await client.waitFor(isType('batchMetrics'), 60_000);
    assert.ok(events.filter((e) => e.type === 'batchMetrics').length > before);

    // Busy: one training at a time, with a typed error.
    await assert.rejects(client.startTraining({ modelPath, dataDir: data, runsRoot: root }), (e: unknown) => e instanceof RpcError && e.code === 'busy' && e.userFacing);

    const t0 = Date.now();
    await client.stop();
    const finished = await client.waitFor(isType('runFinished'), 30_000);
    assert.equal(finished.status, 'stopped');
    assert.ok(Date.now() - t0 < 15_000, `stop took ${Date.now() - t0} ms`);
    t.diagnostic(`stop -> runFinished in ${Date.now() - t0} ms`);
    assert.ok(finished.epochsCompleted >= 1 && finished.epochsCompleted < 40);
    const rec = readRun(started.runDir).record;
    assert.equal(rec.status, 'stopped');
    assert.equal(readEpochMetrics(started.runDir).length, finished.epochsCompleted);
    stoppedRun = started.runDir;
  });

  it('continues a stopped run from its last checkpoint, appending epochs', async () => {
    const { client, events } = startEngine();
    const done = readEpochMetrics(stoppedRun).length;
    const started = await client.startTraining({ modelPath, continueFrom: stoppedRun, runsRoot: root, overrides: { backend: 'wasm', epochs: done + 1 } });
    assert.equal(started.runDir, stoppedRun);
    // runStarted is sent before the reply, so it is already in `events`.
    const runStarted = events.find(isType('runStarted'));
    assert.equal(runStarted?.startEpoch, done);
    assert.equal(runStarted?.history.length, done);
    const finished = await client.waitFor(isType('runFinished'), 60_000);
    assert.equal(finished.status, 'finished');
    assert.equal(finished.epochsCompleted, done + 1);
    assert.deepEqual(readEpochMetrics(stoppedRun).map((m) => m.epoch), Array.from({ length: done + 1 }, (_, i) => i + 1));
    const rec = readRun(stoppedRun).record;
    assert.equal(rec.status, 'finished');
    assert.equal(rec.epochsCompleted, done + 1);
  });

  it('stop while a run is still starting cancels it without leaving a run folder', async () => {
    const { client } = startEngine();
    const before = listRuns(root).length;
    const starting = client.startTraining({ modelPath, dataDir: data, runsRoot: root, overrides: { backend: 'wasm' } });
    // A fresh engine spends a while starting the wasm backend and decoding: the stop lands in that time.
    const stopped = await client.stop();
    assert.deepEqual(stopped, { runId: null, status: 'stopped' });
    await assert.rejects(starting, (e: unknown) => e instanceof RpcError && e.code === 'cancelled' && e.userFacing);
    assert.equal(listRuns(root).length, before);
    assert.equal((await client.status()).currentRun, null);
  });

  it('answers bad requests with user-facing typed errors', async () => {
    const { client } = startEngine();
    await assert.rejects(client.evaluate({ runDir: root }), (e: unknown) => e instanceof RpcError && e.userFacing && /not a run folder/.test(e.message));
    await assert.rejects(client.stop(), (e: unknown) => e instanceof RpcError && e.code === 'no-run');
    const runs = await client.listRuns({ runsRoot: root });
    assert.ok(runs.some((r) => r.runDir === stoppedRun));
  });

  it('a SIGKILL mid-epoch leaves a readable run marked interrupted, which can be continued', async () => {
    const { client } = startEngine();
    const started = await client.startTraining({ modelPath, dataDir: data, runsRoot: root, overrides: { backend: 'wasm', batchEventIntervalMs: 0 } });
    await client.waitFor(isType('epochMetrics', (e) => e.metrics.epoch === 1), 60_000);
    await client.waitFor(isType('batchMetrics', (e) => e.epoch === 2), 30_000);
    const crashed = client.waitFor(isType('engineCrashed'), 10_000);
    const interrupted = client.waitFor(isType('runInterrupted'), 10_000);
    client.kill('SIGKILL');
    const crash = await crashed;
    assert.equal(crash.signal, 'SIGKILL');
    assert.equal(crash.runId, started.runId);
    assert.equal((await interrupted).runDir, started.runDir);
    await client.exited;
    await assert.rejects(client.status(), (e: unknown) => e instanceof RpcError && e.code === 'disposed');

    const run = readRun(started.runDir);
    const status: RunStatus = run.record.status;
    assert.equal(status, 'interrupted');
    assert.match(run.record.message!, /ended while the run was going/);
    assert.ok(readEpochMetrics(started.runDir).length >= 1);
    assert.equal(listRuns(root).find((r) => r.runDir === started.runDir)?.record.status, 'interrupted');

    const again = startEngine();
    const done = readEpochMetrics(started.runDir).length;
    await again.client.startTraining({ modelPath, continueFrom: started.runDir, runsRoot: root, overrides: { backend: 'wasm', epochs: done + 1 } });
    const finished = await again.client.waitFor(isType('runFinished'), 60_000);
    assert.equal(finished.status, 'finished');
    assert.equal(readRun(started.runDir).record.status, 'finished');
  });
});
