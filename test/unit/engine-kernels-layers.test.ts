/**
 * Every layer type of the catalogue (src/core/catalogue.ts) TRAINS on wasm exactly as on cpu: models
 * that contain each layer (and each activation) take training steps from the same initial weights on
 * both backends, and the weights afterwards must agree. Also a small conv net over several steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import { getTf } from '../../src/engine/backend/selectBackend';
import { LAYER_TYPES } from '../../src/core/catalogue';
import { analyzeModel } from '../../src/core/shapeInference';
import { ensureWasm, values } from './engine-kernels.helpers';
import { BATCH, convNet, ENGINE_BUILT_MODELS, engineBuilt, graphModel, spatialModel, trainOnBoth } from './engine-layers.helpers';

test('the models below cover every layer type of the catalogue', async () => {
  await ensureWasm();
  const tf = getTf();
  const classes = new Set<string>();
  for (const m of [spatialModel(tf), graphModel(tf)]) {
    for (const l of m.layers) classes.add(l.getClassName());
    m.dispose();
  }
  // catalogue type -> tfjs-layers class name (SpatialDropout2D is a Dropout with a noise shape)
  const alias: Record<string, string> = { Input: 'InputLayer', SpatialDropout2D: 'Dropout' };
  const engineBuiltTypes = new Set(ENGINE_BUILT_MODELS.flatMap((m) => m.nodes.map((n) => n.type)));
  const missing = LAYER_TYPES.filter((t) => !classes.has(alias[t] ?? t) && !engineBuiltTypes.has(t));
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

for (const model of ENGINE_BUILT_MODELS) {
  test(`training steps through the engine-built layers of '${model.name}' give the same weights on wasm and cpu`, async () => {
    await ensureWasm();
    const built = engineBuilt(model)(getTf());
    assert.equal(built.countParams(), analyzeModel(model).totals.params, 'the engine adds or drops no weight');
    built.dispose();
    const { maxErr, scale } = await trainOnBoth(engineBuilt(model), 2, 'sgd');
    assert.ok(maxErr <= 1e-4 * Math.max(1, scale), `max weight difference ${maxErr} (scale ${scale})`);
  });
}

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
