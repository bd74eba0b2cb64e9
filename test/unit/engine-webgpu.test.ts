/**
 * The `webgpu` backend (Dawn through the optional `webgpu` package) trains exactly as `cpu`: one training
 * step through every catalogue layer, the gradients of pooling (negative and tied windows), dilated,
 * strided and depthwise convolutions, no tensor growth over 1,000 steps, and what a lost device does.
 *
 * CI has no GPU: scripts/install.sh --test installs Mesa 25's software Vulkan driver (lavapipe), which
 * Dawn accepts, so these run on a software adapter there. Where no adapter can be had at all, every test
 * here is skipped with "skipped: no WebGPU adapter (<why>)" rather than passing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { BackendUnavailableError, getTf, initBackend, type BackendInfo } from '../../src/engine/backend/selectBackend';
import { createModelFromTemplate } from '../../src/core/templates';
import { writeSyntheticDataset } from '../../src/engine/data/synthetic';
import { prepareTraining, runPrepared } from '../../src/engine/train/session';
import { formatBenchReport, runBench } from '../../src/engine/bench/runBench';
import { describeGpuAdapter } from '../../src/protocol/engine';
import { closeEnough, compareBackends, values } from './engine-kernels.helpers';
import { BATCH, convNet, graphModel, spatialModel, trainOnBoth } from './engine-layers.helpers';

type Shape4 = [number, number, number, number];
type Stride = number | [number, number];
type Pad = 'same' | 'valid';

/** Starts webgpu once for the file; undefined when this machine has no adapter (the reason is kept). */
let unavailable: string | undefined;
const started: Promise<BackendInfo | undefined> = initBackend('webgpu').catch((err: unknown) => {
  if (!(err instanceof BackendUnavailableError)) throw err;
  unavailable = err.message;
  return undefined;
});

/** The webgpu backend info, or undefined after marking the test skipped (no adapter on this machine). */
async function webgpuOrSkip(t: TestContext): Promise<BackendInfo | undefined> {
  const info = await started;
  if (!info) t.skip(`skipped: no WebGPU adapter (${unavailable})`);
  return info;
}

const t4 = (shape: Shape4, seed: number, kind: 'normal' | 'ties' = 'normal'): Tensor4D =>
  getTf().tensor4d(values(shape.reduce((a, b) => a * b, 1), seed, kind), shape);

test('webgpu names its adapter; an explicit choice takes a software adapter with a warning', async (t) => {
  const info = await webgpuOrSkip(t);
  if (!info) return;
  assert.equal(info.name, 'webgpu');
  assert.ok(info.adapter, 'no adapter described');
  assert.ok(info.adapter.vendor.length > 0 || info.adapter.description.length > 0, `adapter without a name: ${JSON.stringify(info.adapter)}`);
  if (info.adapter.software) assert.match(info.warning ?? '', /software adapter, .* trains slower than wasm/);
  else assert.equal(info.warning, undefined);
});

test('auto never picks a software adapter: on a software-only machine it says why and runs on the CPU (native or wasm)', async (t) => {
  const info = await webgpuOrSkip(t);
  if (!info?.adapter) return;
  const auto = await initBackend('auto');
  if (info.adapter.software) {
    assert.ok(auto.name === 'native' || auto.name === 'wasm', auto.name);
    assert.match(auto.fallbackReason ?? '', /webgpu: the only GPU adapter is a software one, slower than wasm: /);
  } else {
    assert.equal(auto.name, 'webgpu');
  }
  await initBackend('webgpu');
});

test('one training step through every spatial layer gives the same weights on webgpu and cpu', async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const { maxErr, scale } = await trainOnBoth(spatialModel, 1, 'sgd', 'webgpu');
  assert.ok(maxErr <= 1e-4 * Math.max(1, scale), `max weight difference ${maxErr} (scale ${scale})`);
});

test('a training step through merges, reshapes and every activation gives the same weights on webgpu and cpu', async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const { maxErr, scale } = await trainOnBoth(graphModel, 1, 'sgd', 'webgpu');
  assert.ok(maxErr <= 1e-4 * Math.max(1, scale), `max weight difference ${maxErr} (scale ${scale})`);
});

test('three adam steps of a small conv net on webgpu match the same steps on cpu', async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const { maxErr, scale } = await trainOnBoth(convNet, 3, 'adam', 'webgpu');
  assert.ok(maxErr <= 2e-4 * Math.max(1, scale), `max weight difference ${maxErr} (scale ${scale})`);
});

test('MaxPool and AvgPool gradients on webgpu match cpu on negative and tied windows', async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const tf = getTf();
  for (const [xs, size, s, p] of [
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[2, 9, 9, 4], 3, 2, 'same'],
    [[1, 7, 7, 2], 2, 1, 'valid'],
    [[1, 6, 5, 2], [3, 2], [2, 1], 'same'],
  ] as Array<[Shape4, number | [number, number], Stride, Pad]>) {
    for (const kind of ['ties', 'normal'] as const) {
      const d = await compareBackends(() => {
        const x = t4(xs, 10, kind);
        const y = tf.maxPool(x, size, s, p);
        const r = tf.tensor(values(y.size, 11), y.shape);
        const dMax = tf.grad((a: Tensor) => tf.sum(tf.mul(tf.maxPool(a as Tensor4D, size, s, p), r)))(x);
        const dAvg = tf.grad((a: Tensor) => tf.sum(tf.mul(tf.avgPool(a as Tensor4D, size, s, p), r)))(x);
        return [y, dMax, dAvg];
      }, 'webgpu');
      assert.ok(d.maxAbsErr <= 1e-5 * Math.max(1, d.maxAbsRef), `pool x=${xs} size=${size} s=${s} ${p} ${kind}: max err ${d.maxAbsErr}`);
    }
  }
  // The window [-3, -1, -2, -4] must send the whole gradient to the -1.
  await tf.setBackend('webgpu');
  const g = tf.tidy(() => tf.grad((a: Tensor) => tf.sum(tf.mul(tf.maxPool(a as Tensor4D, 2, 2, 'valid'), 5)))(tf.tensor4d([-3, -1, -2, -4], [1, 2, 2, 1])));
  assert.deepEqual(Array.from(await g.data()), [0, 5, 0, 0]);
  g.dispose();
});

test('strided, dilated, depthwise and transposed convolutions: forward and gradients on webgpu match cpu', async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const tf = getTf();
  const cases: Array<{ name: string; x: Shape4; f: Shape4; s: Stride; p: Pad; dil: number; op: 'conv' | 'depthwise' }> = [
    { name: 'conv stride 2 same', x: [2, 9, 8, 3], f: [3, 3, 3, 5], s: 2, p: 'same', dil: 1, op: 'conv' },
    { name: 'conv stride [3,2] valid', x: [1, 11, 9, 2], f: [5, 4, 2, 3], s: [3, 2], p: 'valid', dil: 1, op: 'conv' },
    { name: 'conv dilation 2 same', x: [2, 9, 9, 3], f: [3, 3, 3, 4], s: 1, p: 'same', dil: 2, op: 'conv' },
    { name: 'conv dilation 3 valid', x: [1, 12, 10, 2], f: [3, 2, 2, 3], s: 1, p: 'valid', dil: 3, op: 'conv' },
    { name: 'depthwise ×2 stride 2 same', x: [2, 8, 8, 4], f: [3, 3, 4, 2], s: 2, p: 'same', dil: 1, op: 'depthwise' },
  ];
  for (const c of cases) {
    const run = (a: Tensor4D, b: Tensor4D): Tensor4D =>
      c.op === 'conv' ? tf.conv2d(a, b, c.s, c.p, 'NHWC', c.dil) : tf.depthwiseConv2d(a, b, c.s, c.p, 'NHWC', c.dil);
    const d = await compareBackends(() => {
      const x = t4(c.x, 1);
      const f = t4(c.f, 2);
      const y = run(x, f);
      const r = tf.tensor(values(y.size, 3), y.shape);
      const [dx, df] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(run(a as Tensor4D, b as Tensor4D), r)))([x, f]);
      return [y, dx!, df!];
    }, 'webgpu');
    assert.ok(closeEnough(d, 1e-4), `${c.name}: max err ${d.maxAbsErr} (max |ref| ${d.maxAbsRef})`);
  }
  const outShape: Shape4 = [2, 10, 10, 3];
  const d = await compareBackends(() => {
    const y = t4([2, 5, 5, 4], 4);
    const f = t4([3, 3, 3, 4], 5);
    const r = tf.tensor(values(600, 6), outShape);
    const fwd = tf.conv2dTranspose(y, f, outShape, 2, 'same');
    const [dy, df] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(tf.conv2dTranspose(a as Tensor4D, b as Tensor4D, outShape, 2, 'same'), r)))([y, f]);
    return [fwd, dy!, df!];
  }, 'webgpu');
  assert.ok(closeEnough(d, 1e-4), `conv2dTranspose: max err ${d.maxAbsErr}`);
});

/**
 * 1,000 steps by default (about a minute on lavapipe); CNN_STUDIO_WEBGPU_LEAK_STEPS lowers it where CI
 * time matters more (scripts/test.sh sets 200: a leak of one tensor per step shows either way).
 */
const STEPS = Number(process.env['CNN_STUDIO_WEBGPU_LEAK_STEPS'] ?? 1000);

test(`${STEPS} webgpu training steps leave the tensor count where the first step left it`, async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const tf = getTf();
  await tf.setBackend('webgpu');
  const L = tf.layers;
  // Small on purpose: this measures bookkeeping, not speed (lavapipe runs on the CPU).
  const model = tf.sequential({
    layers: [
      L.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.tensor(values(BATCH * 64, 5), [BATCH, 8, 8, 1]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
  await model.trainOnBatch(x, y); // the first step creates the optimizer's slots
  const before = tf.memory().numTensors;
  for (let i = 0; i < STEPS; i++) await model.trainOnBatch(x, y);
  assert.equal(tf.memory().numTensors, before, `tensors leaked over ${STEPS} steps`);
  tf.dispose([x, y]);
  model.dispose();
});

test('the bench measures webgpu and names its adapter', async (t) => {
  const info = await webgpuOrSkip(t);
  if (!info?.adapter) return;
  const report = await runBench({ backends: ['webgpu'], models: ['mnist-small'], images: false, batchSize: 8, groups: 2 });
  const entry = report.backends[0]!;
  assert.equal(entry.unavailable, undefined);
  assert.deepEqual(entry.info?.adapter, info.adapter);
  assert.ok(entry.models[0]!.samplesPerSec > 0);
  assert.ok(formatBenchReport(report).includes(`webgpu: ${describeGpuAdapter(info.adapter)}`));
});

// Last on purpose: it destroys this process's GPU device.
test('a GPU device lost mid-run stops the run with a message, and the next run falls back to wasm', async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const root = mkdtempSync(join(tmpdir(), 'cnn-webgpu-lost-'));
  try {
    const data = join(root, 'shapes');
    await writeSyntheticDataset('shapes', data, { perClass: 8, size: 28, seed: 3 });
    const modelPath = join(root, 'm.cnn.json');
    writeFileSync(modelPath, JSON.stringify(createModelFromTemplate('mnist-small', 'm'), null, 2));
    let destroyed = false;
    const prepared = await prepareTraining(
      { modelPath, dataDir: data, runsRoot: root, overrides: { backend: 'webgpu', epochs: 2, batchSize: 4, batchEventIntervalMs: 0 } },
      {
        emit: (e) => {
          // What a driver reset does to the device, after the first batch.
          if (e.type === 'batchMetrics' && !destroyed) {
            destroyed = true;
            (getTf().backend() as unknown as { device: { destroy(): void } }).device.destroy();
          }
        },
      },
    );
    const outcome = await runPrepared(prepared);
    assert.ok(destroyed, 'no batch ran');
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.message ?? '', /The GPU device was lost during training \(destroyed.*\); the run stopped .* The next run of this engine uses wasm/);
    const next = await initBackend('webgpu');
    assert.ok(next.name === 'native' || next.name === 'wasm', next.name);
    assert.match(next.fallbackReason ?? '', /webgpu: the GPU device was lost earlier in this engine process/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
