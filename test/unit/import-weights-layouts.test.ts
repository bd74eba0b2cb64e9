/**
 * `cnn-studio import` brings the weights of TF.js layers models in the layouts real files have, as a run
 * that predicts what stock tfjs predicts from the same files:
 * - Teachable Machine's image model: written here by tfjs itself, built as
 *   teachablemachine-community's libraries/image/src/teachable-mobilenet.ts builds it (a Sequential
 *   holding the truncated base model + GlobalAveragePooling2D as one nested Sequential, then the trained
 *   head as another), saved the way tfjs' save handlers write model.json + model.weights.bin;
 * - ml5's older models: the TF.js converter's output of a Keras 2.1 .h5 (test/fixtures/keras/ml5-model.json,
 *   a Sequential whose config is a list), with a weight shard written in its manifest's order.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { cliInProcess } from './cliInProcess.helpers';
import { parseModelText } from '../../src/core/loader';
import { buildTfModel } from '../../src/engine/model/buildTfModel';
import { loadCheckpoint } from '../../src/engine/runs/checkpoints';
import { RUN_FILES } from '../../src/engine/runs/runStore';
import { parseImportOutcome } from '../../src/protocol/importOutcome';

const cli = cliInProcess;

/** model.json + one weights file, as tfjs' file and browser-download handlers write them. */
async function saveAsTfjsFiles(model: tf.LayersModel, dir: string, weightsFile: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      mkdirSync(dir, { recursive: true });
      const modelJson = { modelTopology: artifacts.modelTopology, format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`, convertedBy: null, weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs }] };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
      writeFileSync(join(dir, weightsFile), Buffer.from(artifacts.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Imports `modelJson` with its weights; the imported run's predictions against `reference`'s on the same input. */
async function importAndCompare(modelJson: string, out: string, reference: tf.LayersModel, inputShape: number[]): Promise<{ diff: number; summary: string }> {
  const r = await cli('import', modelJson, '--out', out, '--json');
  assert.equal(r.code, 0, r.err);
  const outcome = parseImportOutcome(r.out);
  assert.ok(outcome?.ok, r.out);
  assert.ok(outcome.weights?.kind === 'run', JSON.stringify(outcome.weights));
  const { model } = parseModelText(readFileSync(out, 'utf8'));
  const rebuilt = buildTfModel(tf, model!);
  loadCheckpoint(tf, rebuilt, join(outcome.weights.runDir, RUN_FILES.best));
  const x = tf.randomUniform([3, ...inputShape], 0, 1, 'float32', 7);
  const diff = tf.max(tf.abs(tf.sub(rebuilt.predict(x) as tf.Tensor, reference.predict(x) as tf.Tensor))).dataSync()[0]!;
  rebuilt.dispose();
  const s = outcome.summary;
  return { diff, summary: `${s.params}/${s.fileParams?.count}/${s.fileParams?.from}/${s.problems.length}` };
}

describe('import with weights, in the layouts real TF.js files have', () => {
  let dir: string;
  before(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'cnn-import-weights-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("Teachable Machine's image model (nested Sequentials around a functional base) predicts as stock tfjs does", async () => {
    const input = tf.input({ shape: [16, 16, 3] });
    let t = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
    t = tf.layers.batchNormalization({ epsilon: 0.001 }).apply(t) as tf.SymbolicTensor;
    t = tf.layers.reLU({ maxValue: 6 }).apply(t) as tf.SymbolicTensor;
    const base = tf.model({ inputs: input, outputs: t, name: 'mobilenetv2_truncated' });
    const truncated = tf.sequential();
    truncated.add(base);
    truncated.add(tf.layers.globalAveragePooling2d({}));
    const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
    const tm = tf.sequential();
    tm.add(truncated);
    tm.add(head);
    // BatchNormalization's moving statistics away from 0/1, so that they are seen to travel.
    const bn = base.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
    bn.setWeights(bn.getWeights().map((w, i) => tf.randomUniform(w.shape, 0.5, 1.5, 'float32', i)));
    await saveAsTfjsFiles(tm, join(dir, 'tm'), 'model.weights.bin');
    const topology = (JSON.parse(readFileSync(join(dir, 'tm', 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string }[] } } }).modelTopology;
    assert.deepEqual(topology.config.layers.map((l) => l.class_name), ['Sequential', 'Sequential'], 'the layout: a Sequential of two nested Sequentials');

    const { diff, summary } = await importAndCompare(join(dir, 'tm', 'model.json'), join(dir, 'models', 'tm.cnn.json'), tm, [16, 16, 3]);
    assert.ok(diff < 1e-5, `predictions differ by ${diff}`);
    assert.equal(summary, `${tm.countParams()}/${tm.countParams()}/weights manifest/0`);
  });

  it("ml5's converted Keras 2.1 model (a Sequential config that is a list) predicts as stock tfjs does", async () => {
    const json = JSON.parse(readFileSync(join(__dirname, '../fixtures/keras/ml5-model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: { name: string }[] }[] };
    const stock = await tf.models.modelFromJSON({ modelTopology: structuredClone(json.modelTopology) as never });
    // The shard holds the weights in the manifest's order, float32 little-endian, as the converter writes them.
    const byName = new Map(stock.weights.map((w) => [w.originalName, w.read()]));
    const encoded = await tf.io.encodeWeights(json.weightsManifest[0]!.weights.map((w) => ({ name: w.name, tensor: byName.get(w.name)! })));
    mkdirSync(join(dir, 'ml5'));
    writeFileSync(join(dir, 'ml5', 'model.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'ml5', json.weightsManifest[0]!.paths[0]!), Buffer.from(encoded.data as ArrayBuffer));

    const { diff, summary } = await importAndCompare(join(dir, 'ml5', 'model.json'), join(dir, 'ml5', 'ml5.cnn.json'), stock, [16, 16, 3]);
    assert.ok(diff < 1e-5, `predictions differ by ${diff}`);
    assert.equal(summary, `${stock.countParams()}/${stock.countParams()}/weights manifest/0`);
    stock.dispose();
  });
});
