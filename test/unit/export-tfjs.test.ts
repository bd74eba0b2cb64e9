/**
 * TF.js Layers export: a run folder's weights become a model.json + weights.bin that the plain
 * @tensorflow/tfjs package loads with `tf.loadLayersModel` (through a file IO handler, as an app would)
 * and that predicts what our engine predicts — for a run trained by the engine's trainer, and for every
 * template and coverage model saved in the runs format.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { ModelFile } from '../../src/core/format';
import { serializeModel } from '../../src/core/loader';
import { TEMPLATES, createModelFromTemplate } from '../../src/core/templates';
import { writeSyntheticDataset } from '../../src/engine/data/synthetic';
import { ExportError, exportRunToTfjs } from '../../src/engine/export/tfjsExport';
import { buildTfModel } from '../../src/engine/model/buildTfModel';
import { loadCheckpoint, saveCheckpoint } from '../../src/engine/runs/checkpoints';
import { RUN_FILES } from '../../src/engine/runs/runStore';
import { coverageModels } from './export-coverage.helpers';
import { trainBriefly } from './trainedRun.helpers';

/** Reads model.json and its weight files from disk: what an app does with a file:// or http:// handler. */
function fileHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as { modelTopology: object; trainingConfig?: tf.io.TrainingConfig; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; format: string };
      const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dirname(modelJsonPath), p))));
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        ...(json.trainingConfig ? { trainingConfig: json.trainingConfig } : {}),
        format: json.format,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.length),
      };
    },
  };
}

function inputShape(model: ModelFile): number[] {
  return model.nodes.find((n) => n.type === 'Input')!.params['shape'] as number[];
}

/** Largest difference between the stock-loaded export's and our engine's predictions on the same batch. */
async function comparePredictions(runDir: string, snapshot: ModelFile, outDir: string): Promise<number> {
  const exported = await exportRunToTfjs(tf, runDir, outDir);
  const text = readFileSync(exported.modelJsonPath, 'utf8');
  assert.doesNotMatch(text, /SpatialDropout2D/, 'no class stock tfjs lacks');
  const loaded = await tf.loadLayersModel(fileHandler(exported.modelJsonPath));
  // The training config comes along: stock tfjs compiles the model with our optimizer and learning rate.
  assert.ok(loaded.optimizer, `${snapshot.name}: compiled on load`);
  assert.equal((loaded.optimizer.getConfig() as { learningRate: number }).learningRate, snapshot.compile.learningRate);
  const ours = buildTfModel(tf, snapshot);
  loadCheckpoint(tf, ours, join(runDir, exported.checkpoint));
  const x = tf.randomUniform([3, ...inputShape(snapshot)], 0, 1, 'float32', 11);
  const a = loaded.predict(x) as tf.Tensor;
  const b = ours.predict(x) as tf.Tensor;
  assert.deepEqual(a.shape, b.shape);
  const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
  tf.dispose([x, a, b]);
  loaded.dispose();
  ours.dispose();
  return diff;
}

describe('TF.js export', () => {
  let dir: string;
  before(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'cnn-tfjs-export-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exports a run trained by the engine, which stock tfjs loads and which predicts as our engine does', async () => {
    const data = join(dir, 'shapes');
    await writeSyntheticDataset('shapes', data, { perClass: 12, size: 28, seed: 3 });
    const runDir = await trainBriefly(dir, data);
    const snapshot = JSON.parse(readFileSync(join(runDir, RUN_FILES.model), 'utf8')) as ModelFile;
    const diff = await comparePredictions(runDir, snapshot, join(dir, 'exported-trained'));
    assert.ok(diff < 1e-5, `predictions differ by ${diff}`);
  });

  it('exports every template and coverage model saved in the runs format with identical predictions', async () => {
    const optimizers = ['adam', 'sgd', 'rmsprop', 'adagrad', 'adamax', 'adadelta'] as const;
    for (const [k, model] of [...TEMPLATES.map((t) => createModelFromTemplate(t.id)), ...coverageModels()].entries()) {
      model.compile = { ...model.compile, optimizer: optimizers[k % optimizers.length]!, learningRate: 0.01 + k / 1000 };
      const runDir = join(dir, 'runs', model.name);
      mkdirSync(runDir, { recursive: true });
      writeFileSync(join(runDir, RUN_FILES.model), serializeModel(model));
      const built = buildTfModel(tf, model);
      await saveCheckpoint(tf, built, join(runDir, RUN_FILES.last));
      built.dispose();
      const diff = await comparePredictions(runDir, model, join(dir, 'exported', model.name));
      assert.ok(diff < 1e-5, `${model.name}: predictions differ by ${diff}`);
    }
  });

  it('keeps SeparableConv2D depth multipliers and writes SpatialDropout2D as a Dropout with a noise shape', async () => {
    const text = readFileSync(join(dir, 'exported', 'convs', 'model.json'), 'utf8');
    assert.match(text, /"class_name":"SeparableConv2D","config":\{[^}]*"depth_multiplier":2/);
    const branching = readFileSync(join(dir, 'exported', 'branching', 'model.json'), 'utf8');
    assert.match(branching, /"class_name":"Dropout","config":\{"name":"sd"[^}]*"noise_shape":\[null,1,1,null\]/);
  });

  it('says what to do when a folder is not a run or has no weights', async () => {
    await assert.rejects(exportRunToTfjs(tf, dir, join(dir, 'x')), (e: Error) => e instanceof ExportError && /not a run folder/.test(e.message));
    const empty = join(dir, 'runs', 'no-weights');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, RUN_FILES.model), serializeModel(createModelFromTemplate('lenet5')));
    await assert.rejects(exportRunToTfjs(tf, empty, join(dir, 'y')), /no saved weights yet/);
  });
});
