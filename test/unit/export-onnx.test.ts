/**
 * ONNX export: every template, the coverage models and a model with every catalogue layer type are
 * exported with random weights (biases and BatchNormalization statistics included), loaded in ONNX
 * Runtime (onnxruntime-node, its CPU build) and run on images of the shapes dataset; the predictions
 * must match the engine's (tfjs) within 1e-4. A run trained by the engine goes through the same check
 * via the run folder, and every catalogue layer type must be either converted or refused by name.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { LAYER_TYPES } from '../../src/core/catalogue';
import type { ModelFile } from '../../src/core/format';
import { TEMPLATES, createModelFromTemplate } from '../../src/core/templates';
import { decodeImages } from '../../src/engine/data/imageFolder';
import { SYNTHETIC_CLASSES, writeSyntheticDataset } from '../../src/engine/data/synthetic';
import { ONNX_LAYERS } from '../../src/engine/export/onnx/onnxLayers';
import { ONNX_OPSET, OnnxExportError, onnxConverterFor } from '../../src/engine/export/onnx/onnxModel';
import { exportRunToOnnx, onnxBytesOf } from '../../src/engine/export/onnxExport';
import { buildTfModel } from '../../src/engine/model/buildTfModel';
import { loadCheckpoint } from '../../src/engine/runs/checkpoints';
import { RUN_FILES } from '../../src/engine/runs/runStore';
import { chain, coverageModels } from './export-coverage.helpers';
import { findPythonWith } from './python.helpers';
import { trainBriefly } from './trainedRun.helpers';

const TOLERANCE = 1e-4;

const checkerPython = findPythonWith('onnx');
/** Skipped only when python3-onnx is missing AND `CI` is unset (`scripts/install.sh --test` installs it). */
const skipChecker = checkerPython === null && !process.env['CI'] ? 'python3-onnx is not installed (apt-get install python3-onnx)' : false;

/** One model with every catalogue layer type (and each layout path: Dense and BatchNormalization off images, concatenation on two axes). */
function everyLayerModel(): ModelFile {
  const base = chain('every-layer', [12, 12, 3], [], false);
  return {
    ...base,
    nodes: [
      { id: 'input', type: 'Input', params: { shape: [12, 12, 3] }, inputs: [] },
      { id: 'rescale', type: 'Rescaling', params: { scale: 0.5, offset: -0.2 }, inputs: ['input'] },
      { id: 'pad', type: 'ZeroPadding2D', params: { padding: [[1, 0], [0, 1]] }, inputs: ['rescale'] },
      { id: 'conv', type: 'Conv2D', params: { filters: 4, strides: [2, 2], padding: 'same', activation: 'selu' }, inputs: ['pad'] },
      { id: 'bn', type: 'BatchNormalization', params: {}, inputs: ['conv'] },
      { id: 'leaky', type: 'LeakyReLU', params: { alpha: 0.2 }, inputs: ['bn'] },
      { id: 'dw', type: 'DepthwiseConv2D', params: { padding: 'same', depthMultiplier: 2, activation: 'softplus' }, inputs: ['leaky'] },
      { id: 'sep', type: 'SeparableConv2D', params: { filters: 6, activation: 'softsign' }, inputs: ['dw'] },
      { id: 'up', type: 'UpSampling2D', params: { size: [2, 2] }, inputs: ['sep'] },
      { id: 'crop', type: 'Cropping2D', params: { cropping: [[1, 1], [0, 2]] }, inputs: ['up'] },
      { id: 'mp', type: 'MaxPooling2D', params: {}, inputs: ['crop'] },
      { id: 'tconv', type: 'Conv2DTranspose', params: { filters: 6, strides: [2, 2], padding: 'same', activation: 'softmax' }, inputs: ['mp'] },
      { id: 'ap', type: 'AveragePooling2D', params: {}, inputs: ['tconv'] },
      { id: 'add', type: 'Add', params: {}, inputs: ['ap', 'mp'] },
      { id: 'cat', type: 'Concatenate', params: {}, inputs: ['add', 'mp'] },
      { id: 'catw', type: 'Concatenate', params: { axis: 2 }, inputs: ['add', 'mp'] },
      { id: 'sd', type: 'SpatialDropout2D', params: { rate: 0.3 }, inputs: ['cat'] },
      { id: 'act', type: 'Activation', params: { activation: 'elu' }, inputs: ['sd'] },
      { id: 'dense4d', type: 'Dense', params: { units: 5, activation: 'tanh' }, inputs: ['act'] },
      { id: 'rows', type: 'Reshape', params: { targetShape: [8, -1] }, inputs: ['dense4d'] },
      { id: 'rows_bn', type: 'BatchNormalization', params: {}, inputs: ['rows'] },
      { id: 'flat', type: 'Flatten', params: {}, inputs: ['rows_bn'] },
      { id: 'gap', type: 'GlobalAveragePooling2D', params: {}, inputs: ['cat'] },
      { id: 'gmp', type: 'GlobalMaxPooling2D', params: {}, inputs: ['catw'] },
      { id: 'joined', type: 'Concatenate', params: {}, inputs: ['flat', 'gap', 'gmp'] },
      { id: 'vec_bn', type: 'BatchNormalization', params: { center: false }, inputs: ['joined'] },
      { id: 'drop', type: 'Dropout', params: { rate: 0.5 }, inputs: ['vec_bn'] },
      { id: 'out', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['drop'] },
    ],
  };
}

/** A model without images: a vector input, Dense and BatchNormalization on [N, C]. */
function vectorModel(): ModelFile {
  return chain('vector', [6], [
    ['Dense', { units: 4, activation: 'gelu' }],
    ['BatchNormalization', {}],
    ['Dense', { units: 2, activation: 'softmax', useBias: false }],
  ], false);
}

/**
 * Keeps tfjs' initial kernels (their scale keeps the outputs away from saturation) and gives biases
 * and BatchNormalization's parameters random values: zeros and ones would hide mistakes in their mapping.
 */
function randomizeWeights(model: tf.LayersModel, seed: number): void {
  for (const layer of model.layers) {
    const values = layer.weights.map((w, k) => {
      const [low, high] = /variance|gamma/.test(w.name) ? [0.5, 1.5] : /bias|beta|mean/.test(w.name) ? [-0.2, 0.2] : [0, 0];
      return low === high ? w.read().clone() : tf.randomUniform(w.shape as number[], low, high, 'float32', seed + k);
    });
    layer.setWeights(values);
    tf.dispose(values);
    seed += 101;
  }
}

let imagesDir = '';

/** `count` images of the shapes dataset at the model's input size, scaled to 0–1 as the engine feeds them; extra channels repeat RGB. */
async function realInputs(shape: readonly number[], count: number): Promise<Float32Array> {
  const files = readdirSync(imagesDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.png')).map((e) => join(e.parentPath, e.name)).sort();
  const picked = Array.from({ length: count }, (_, k) => files[(k * 7) % files.length]!);
  if (shape.length !== 3) {
    // A vector input: the first values of each grayscale image.
    const { set } = await decodeImages(picked, picked.map(() => 0), { shape: [8, 8, 1] });
    const n = shape[0]!;
    return Float32Array.from({ length: count * n }, (_, i) => set.pixels[Math.floor(i / n) * 64 + (i % n)]! / 255);
  }
  const [h, w, c] = shape as [number, number, number];
  const decoded = c === 1 ? 1 : 3;
  const { set } = await decodeImages(picked, picked.map(() => 0), { shape: [h, w, decoded] });
  return Float32Array.from({ length: count * h * w * c }, (_, i) => {
    const pixel = Math.floor(i / c);
    return set.pixels[pixel * decoded + ((i % c) % decoded)]! / 255;
  });
}

function inputShapeOf(model: ModelFile): number[] {
  return model.nodes.find((n) => n.type === 'Input')!.params['shape'] as number[];
}

/** The largest difference between ONNX Runtime's and the engine's outputs on the same real inputs. */
async function onnxVersusEngine(bytes: Uint8Array, ours: tf.LayersModel, snapshot: ModelFile, count = 4): Promise<number> {
  const shape = inputShapeOf(snapshot);
  const x = await realInputs(shape, count);
  const session = await ort.InferenceSession.create(bytes);
  try {
    assert.deepEqual(session.inputNames, ['input']);
    const result = await session.run({ input: new ort.Tensor('float32', x, [count, ...shape]) });
    const expected = tf.tidy(() => (ours.predict(tf.tensor(x, [count, ...shape])) as tf.Tensor).dataSync());
    const outputName = session.outputNames[0]!;
    const got = result[outputName]!;
    assert.deepEqual(got.dims, [count, ...(ours.outputs[0]!.shape.slice(1) as number[])], `${snapshot.name}: output shape`);
    const data = got.data as Float32Array;
    assert.equal(data.length, expected.length);
    // Saturated outputs (all 0 or 1) would agree whatever the layers before them did.
    assert.ok(expected.some((v) => v > 1e-3 && v < 1 - 1e-3), `${snapshot.name}: the engine's outputs are saturated, the comparison would prove nothing`);
    let diff = 0;
    data.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - expected[i]!))));
    return diff;
  } finally {
    await session.release();
  }
}

describe('ONNX export', () => {
  let dir: string;
  before(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'cnn-onnx-export-'));
    imagesDir = join(dir, 'shapes');
    await writeSyntheticDataset('shapes', imagesDir, { perClass: 12, size: 28, seed: 5 });
    mkdirSync(join(dir, 'checked'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('converts or refuses by name every catalogue layer type', () => {
    const missing = LAYER_TYPES.filter((t) => t !== 'Input' && !ONNX_LAYERS[t]);
    assert.deepEqual(missing, [], `add these layer types to ONNX_LAYERS in src/engine/export/onnx/onnxLayers.ts (a converter, or { refused: 'why' })`);
    assert.throws(
      () => onnxConverterFor('FancyLayer', 'fancy1'),
      (e: Error) => e instanceof OnnxExportError && /Layer 'fancy1' \(FancyLayer\) cannot be exported to ONNX: .*Keras or PyTorch script/.test(e.message),
    );
  });

  it('every template, coverage model and every-layer model predicts in ONNX Runtime as in the engine (random weights)', async () => {
    const models = [...TEMPLATES.map((t) => createModelFromTemplate(t.id)), ...coverageModels(), everyLayerModel(), vectorModel()];
    const converted = new Set(Object.entries(ONNX_LAYERS).filter(([, r]) => 'convert' in r).map(([t]) => t));
    const used = new Set(models.filter((m) => m.nodes.every((n) => n.type === 'Input' || converted.has(n.type))).flatMap((m) => m.nodes.map((n) => n.type)));
    assert.deepEqual([...converted].filter((t) => !used.has(t)), [], 'every converted layer type is checked against ONNX Runtime: add it to everyLayerModel()');
    const refused = (m: ModelFile): boolean => m.nodes.some((n) => n.type !== 'Input' && !converted.has(n.type));
    for (const [k, model] of models.entries()) {
      if (refused(model)) {
        // A model with a layer type the export does not convert yet is refused by name, nothing written.
        const built = buildTfModel(tf, model);
        assert.throws(() => onnxBytesOf(built, model), (e: Error) => e instanceof OnnxExportError && /cannot be exported to ONNX/.test(e.message), model.name);
        built.dispose();
        continue;
      }
      const built = buildTfModel(tf, model);
      try {
        randomizeWeights(built, 17 * k + 1);
        const bytes = onnxBytesOf(built, model);
        writeFileSync(join(dir, 'checked', `${model.name}.onnx`), bytes);
        const diff = await onnxVersusEngine(bytes, built, model);
        if (process.env['ONNX_DIFFS']) console.log(model.name, diff);
        assert.ok(diff < TOLERANCE, `${model.name}: ONNX Runtime and the engine differ by ${diff}`);
      } finally {
        built.dispose();
      }
    }
  });

  it('passes the ONNX checker (python3-onnx, full check with shape inference)', { skip: skipChecker }, () => {
    const files = readdirSync(join(dir, 'checked')).map((f) => join(dir, 'checked', f));
    assert.ok(files.length >= TEMPLATES.length, 'the models exported by the test above');
    const check = 'import onnx, sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint(len(sys.argv) - 1, "checked")';
    const r = spawnSync(checkerPython ?? 'python3', ['-c', check, ...files], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('writes opset 13, the model NHWC input and output, and the trained weights of a run', async () => {
    const runDir = await trainBriefly(dir, imagesDir);
    const out = join(dir, 'exported', 'shapes.onnx');
    const result = exportRunToOnnx(tf, runDir, out, 'last');
    assert.equal(result.checkpoint, 'last');
    const bytes = readFileSync(out);
    assert.equal(result.bytes, bytes.length);

    const proto = onnx.ModelProto.decode(bytes);
    assert.equal(Number(proto.opsetImport[0]!.version), ONNX_OPSET);
    assert.ok(ONNX_OPSET >= 13);
    const dims = (v: onnx.IValueInfoProto): (string | number)[] => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    assert.deepEqual(dims(proto.graph!.input![0]!), ['N', 28, 28, 1]);
    const snapshot = JSON.parse(readFileSync(join(runDir, RUN_FILES.model), 'utf8')) as ModelFile;
    assert.deepEqual(dims(proto.graph!.output![0]!), ['N', snapshot.nodes.at(-1)!.params['units'] as number]);
    assert.deepEqual(proto.metadataProps.map((m) => [m.key, JSON.parse(m.value ?? 'null') as unknown]), [['class_names', [...SYNTHETIC_CLASSES.shapes]]]);
    assert.ok(proto.graph!.node!.some((n) => n.opType === 'Conv') && proto.graph!.node!.some((n) => n.opType === 'MaxPool'), 'standard NCHW operators');

    const ours = buildTfModel(tf, snapshot);
    try {
      loadCheckpoint(tf, ours, join(runDir, 'last'));
      const diff = await onnxVersusEngine(bytes, ours, snapshot, 8);
      assert.ok(diff < TOLERANCE, `trained run: ONNX Runtime and the engine differ by ${diff}`);
    } finally {
      ours.dispose();
    }
  });
});
