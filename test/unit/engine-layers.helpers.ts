/**
 * Test helper: models that together hold every layer type of the catalogue, and a trainer that takes the
 * same training steps on cpu and on another backend (wasm, webgpu) from the same initial weights.
 */
import assert from 'node:assert/strict';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { getTf } from '../../src/engine/backend/selectBackend';
import type { Tf } from '../../src/engine/backend/tfNamespace';
import { ACTIVATIONS } from '../../src/core/catalogue';
import type { ModelFile } from '../../src/core/format';
import { buildTfModel } from '../../src/engine/model/buildTfModel';
import { mulberry32 } from '../../src/engine/data/random';
import { ensureWasm, values } from './engine-kernels.helpers';
import { coverageModels } from './export-coverage.helpers';

export const BATCH = 4;

/** Sequential stack through the spatial layers. */
export function spatialModel(tf: Tf): LayersModel {
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
export function graphModel(tf: Tf): LayersModel {
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

/**
 * The layer types built by the engine's own tfjs classes or newer tfjs-layers classes (ReLU with a cap,
 * PReLU, ELU, Softmax, LayerNormalization, the merges, Permute, Resizing, the noise and augmentation
 * layers), and a BatchNormalization without center (the engine works around tfjs' training path for
 * it), built as the engine builds them: from the export tests' coverage models.
 */
export const ENGINE_BUILT_MODELS: ModelFile[] = coverageModels().filter((m) =>
  ['activations', 'merges', 'noise-resizing', 'reshaping'].includes(m.name),
);

export function engineBuilt(model: ModelFile): (tf: Tf) => LayersModel {
  return (tf) => buildTfModel(tf, model);
}

/** The ten-class conv net of the tutorials, small. */
export function convNet(tf: Tf): LayersModel {
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
 * Builds `make` on cpu, copies its initial weights to a twin built on `backend` (wasm is started here;
 * webgpu must already run), runs `steps` training steps on each with the same batches, and returns the
 * largest weight difference relative to the weights' scale. Reads asynchronously (webgpu cannot read
 * synchronously in Node).
 */
export async function trainOnBoth(
  make: (tf: Tf) => LayersModel,
  steps: number,
  optimizer: 'sgd' | 'adam',
  backend: 'wasm' | 'webgpu' = 'wasm',
): Promise<{ maxErr: number; scale: number }> {
  if (backend === 'wasm') await ensureWasm();
  const tf = getTf();
  let init: Float32Array[] | undefined;
  const finals: Float32Array[][] = [];
  const realRandom = Math.random;
  for (const b of ['cpu', backend]) {
    await tf.setBackend(b);
    // tfjs seeds its unseeded random ops (noise, dropout, flips) from Math.random: the same seed on both
    // backends makes the training-only randomness the same draws, so only the kernels can differ
    Math.random = mulberry32(42);
    const model = make(tf);
    if (!init) init = await readWeights(model);
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
    finals.push(await readWeights(model));
    model.dispose();
    Math.random = realRandom;
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

async function readWeights(model: LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
}
