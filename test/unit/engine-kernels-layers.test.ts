/**
 * Every layer type of the catalogue (src/core/catalogue.ts) TRAINS on wasm exactly as on cpu: models
 * that contain each layer (and each activation) take training steps from the same initial weights on
 * both backends, and the weights afterwards must agree. Also a small conv net over several steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { getTf } from '../../src/engine/backend/selectBackend';
import type { Tf } from '../../src/engine/backend/tfNamespace';
import { ACTIVATIONS, LAYER_TYPES } from '../../src/core/catalogue';
import { ensureWasm, values } from './engine-kernels.helpers';

const BATCH = 4;

/** Sequential stack through the spatial layers. */
function spatialModel(tf: Tf): LayersModel {
  const L = tf.layers;
  return tf.sequential({
    layers: [
      L.inputLayer({ inputShape: [12, 12, 3] }),
      L.rescaling({ scale: 0.5, offset: -0.25 }),
      L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', dilationRate: 2, activation: 'linear' }),
      L.batchNormalization({}),
      L.leakyReLU({ alpha: 0.3 }),
      L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, activation: 'linear' }),
      L.separableConv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2dTranspose({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      L.upSampling2d({ size: [2, 2], interpolation: 'nearest' }),
      L.cropping2D({ cropping: [[1, 2], [2, 1]] }),
      L.zeroPadding2d({ padding: [[1, 0], [0, 1]] }),
      L.averagePooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 4, kernelSize: 3, strides: 2, activation: 'elu' }),
      L.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }),
      L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }),
      L.dropout({ rate: 0.25, noiseShape: [BATCH, 1, 1, 4], seed: 7 }), // SpatialDropout2D as the model builder makes it
      L.globalMaxPooling2d({}),
      L.dense({ units: 8, activation: 'selu' }),
      L.dropout({ rate: 0.3, seed: 3 }),
      L.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

/** Graph with merges, reshapes and every activation of the catalogue on its own branch. */
function graphModel(tf: Tf): LayersModel {
  const L = tf.layers;
  const input = tf.input({ shape: [8, 8, 2] });
  const a = L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'linear' }).apply(input) as SymbolicTensor;
  const b = L.conv2d({ filters: 3, kernelSize: 1, activation: 'tanh' }).apply(input) as SymbolicTensor;
  const sum = L.add().apply([a, b]) as SymbolicTensor;
  const cat = L.concatenate({ axis: -1 }).apply([sum, input]) as SymbolicTensor;
  const gap = L.globalAveragePooling2d({}).apply(cat) as SymbolicTensor;
  const flat = L.flatten().apply(L.reshape({ targetShape: [32, 2, 5] }).apply(cat) as SymbolicTensor) as SymbolicTensor;
  const trunk = L.concatenate().apply([gap, L.dense({ units: 6, activation: 'linear' }).apply(flat) as SymbolicTensor]) as SymbolicTensor;
  const branches = ACTIVATIONS.map(
    (act) => L.activation({ activation: act }).apply(L.dense({ units: 3, activation: 'linear' }).apply(trunk) as SymbolicTensor) as SymbolicTensor,
  );
  const out = L.dense({ units: 3, activation: 'softmax' }).apply(L.concatenate().apply(branches) as SymbolicTensor) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** The ten-class conv net of the tutorials, small. */
function convNet(tf: Tf): LayersModel {
  const L = tf.layers;
  return tf.sequential({
    layers: [
      L.inputLayer({ inputShape: [16, 16, 3] }),
      L.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 16, activation: 'relu' }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/**
 * Builds `make` on cpu, copies its initial weights to a wasm-built twin, runs `steps` training steps on
 * each with the same batches, and returns the largest weight difference relative to the weights' scale.
 */
async function trainOnBoth(make: (tf: Tf) => LayersModel, steps: number, optimizer: 'sgd' | 'adam'): Promise<{ maxErr: number; scale: number }> {
  await ensureWasm();
  const tf = getTf();
  let init: Float32Array[] | undefined;
  const finals: Float32Array[][] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    const model = make(tf);
    if (!init) init = model.getWeights().map((w) => w.dataSync() as Float32Array);
    else model.setWeights(model.getWeights().map((w, i) => tf.tensor(init![i]!, w.shape)));
    model.compile({ optimizer: optimizer === 'sgd' ? tf.train.sgd(0.05) : tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const inShape = model.inputs[0]!.shape.slice(1) as number[];
    const classes = model.outputs[0]!.shape[1] as number;
    for (let s = 0; s < steps; s++) {
      const x = tf.tensor(values(BATCH * inShape.reduce((p, q) => p * q, 1), 100 + s), [BATCH, ...inShape]);
      const labels = Array.from({ length: BATCH }, (_, i) => (i + s) % classes);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
      await model.trainOnBatch(x, y);
      tf.dispose([x, y]);
    }
    finals.push(model.getWeights().map((w) => w.dataSync() as Float32Array));
    model.dispose();
  }
  let maxErr = 0;
  let scale = 0;
  finals[0]!.forEach((ref, k) => {
    const got = finals[1]![k]!;
    for (let i = 0; i < ref.length; i++) {
      const e = Math.abs(ref[i]! - got[i]!);
      maxErr = Number.isNaN(e) ? Infinity : Math.max(maxErr, e);
      scale = Math.max(scale, Math.abs(ref[i]!));
    }
  });
  // the step must have changed the weights, or the comparison proves nothing
  const moved = finals[0]!.some((w, k) => w.some((v, i) => v !== init![k]![i]));
  assert.ok(moved, 'training did not change any weight');
  return { maxErr, scale };
}

test('the two models below cover every layer type of the catalogue', async () => {
  await ensureWasm();
  const tf = getTf();
  const classes = new Set<string>();
  for (const m of [spatialModel(tf), graphModel(tf)]) {
    for (const l of m.layers) classes.add(l.getClassName());
    m.dispose();
  }
  // catalogue type -> tfjs-layers class name (SpatialDropout2D is a Dropout with a noise shape)
  const alias: Record<string, string> = { Input: 'InputLayer', SpatialDropout2D: 'Dropout' };
  const missing = LAYER_TYPES.filter((t) => !classes.has(alias[t] ?? t));
  assert.deepEqual(missing, []);
});

test('one training step through every spatial layer gives the same weights on wasm and cpu', async () => {
  const { maxErr, scale } = await trainOnBoth(spatialModel, 2, 'sgd');
  assert.ok(maxErr <= 1e-4 * Math.max(1, scale), `max weight difference ${maxErr} (scale ${scale})`);
});

test('training steps through merges, reshapes and every activation give the same weights on wasm and cpu', async () => {
  const { maxErr, scale } = await trainOnBoth(graphModel, 2, 'sgd');
  assert.ok(maxErr <= 1e-4 * Math.max(1, scale), `max weight difference ${maxErr} (scale ${scale})`);
});

test('five adam steps of a small conv net on wasm match the same steps on cpu', async () => {
  const { maxErr, scale } = await trainOnBoth(convNet, 5, 'adam');
  assert.ok(maxErr <= 2e-4 * Math.max(1, scale), `max weight difference ${maxErr} (scale ${scale})`);
});

test('a wasm training step leaks no tensors', async () => {
  await ensureWasm();
  const tf = getTf();
  await tf.setBackend('wasm');
  const model = convNet(tf);
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.tensor(values(BATCH * 16 * 16 * 3, 5), [BATCH, 16, 16, 3]);
  const y = tf.oneHot(tf.tensor1d([1, 2, 3, 4], 'int32'), 10);
  await model.trainOnBatch(x, y); // first step creates the optimizer's slots
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, y] as Tensor[]);
  model.dispose();
});
