/**
 * ONNX export: every template, the coverage models, a model with every original catalogue layer type and
 * one model per variant of the newer types (axes, orders, sizes) are exported with random weights (biases and BatchNormalization statistics included), loaded in ONNX
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
import type { LayerParams, ModelFile } from '../../src/core/format';
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

/**
 * The variants of the newer layer types that the coverage models lack, each in a model of its own so a
 * failure names it: Softmax on every axis (Keras counts [batch, h, w, c]; the graph holds NCHW),
 * Permute in every order of an image and on rank 2, Resizing both ways with and without the crop,
 * PReLU with a slope per value and per channel on images and on vectors, every ReLU form,
 * LayerNormalization without scale or centre and off images, merges of three inputs.
 */
function newerLayerVariants(): ModelFile[] {
  const softmax = [1, 2, 3, -1, -2, -3].map((axis) => chain(`softmax-axis${axis}`, [5, 4, 3], [['Conv2D', { filters: 3, kernelSize: [1, 1], activation: 'linear' }], ['Softmax', { axis }]]));
  const permute = [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]].map((dims) => chain(`permute-${dims.join('')}`, [5, 4, 3], [['Conv2D', { filters: 2, kernelSize: [2, 1], activation: 'tanh' }], ['Permute', { dims }], ['Conv2D', { filters: 3, kernelSize: [2, 2], activation: 'tanh' }]]));
  const resizing = ([[7, 3, 'nearest', true], [7, 3, 'nearest', false], [3, 11, 'bilinear', true], [13, 5, 'nearest', true], [2, 2, 'bilinear', false], [16, 12, 'nearest', false], [4, 3, 'nearest', false], [4, 3, 'bilinear', false]] as const).map(([height, width, interpolation, cropToAspectRatio]) =>
    chain(`resizing-${height}x${width}-${interpolation}${cropToAspectRatio ? '-crop' : ''}`, [8, 6, 3], [['Resizing', { height, width, interpolation, cropToAspectRatio }]]));
  return [
    ...softmax,
    ...permute,
    ...resizing,
    chain('permute-rank2', [6, 4], [['Dense', { units: 3, activation: 'tanh' }], ['Permute', { dims: [2, 1] }], ['Softmax', { axis: 1 }], ['Flatten', {}], ['Dense', { units: 3, activation: 'softmax' }]], false),
    // Inputs spread over −2…2 so that many values meet the slopes.
    chain('prelu', [5, 4, 3], [['Rescaling', { scale: 4, offset: -2 }], ['PReLU', {}], ['Conv2D', { filters: 4, kernelSize: [2, 2] }], ['PReLU', { sharedAxes: 'spatial' }]]),
    chain('prelu-vector', [6], [['Dense', { units: 5, activation: 'linear' }], ['PReLU', {}], ['Dense', { units: 3, activation: 'softmax' }]], false),
    {
      // Every ReLU form and ELU on its own branch, each fed values spread over −2…2.
      ...chain('relu-elu-forms', [4, 4, 2], [], false),
      nodes: [
        { id: 'input', type: 'Input', params: { shape: [4, 4, 2] }, inputs: [] },
        { id: 'spread', type: 'Rescaling', params: { scale: 4, offset: -2 }, inputs: ['input'] },
        ...([{}, { maxValue: 0.5 }, { negativeSlope: 0.3 }, { threshold: -0.4 }, { threshold: 0.7, maxValue: 1.5 }, { negativeSlope: 0.2, maxValue: 1 }, { threshold: 0.5, negativeSlope: 0.1 }] as LayerParams[]).map((params, k) => ({ id: `relu${k}`, type: 'ReLU', params, inputs: ['spread'] })),
        { id: 'elu', type: 'ELU', params: { alpha: 0.4 }, inputs: ['spread'] },
        { id: 'cat', type: 'Concatenate', params: {}, inputs: [...Array.from({ length: 7 }, (_, k) => `relu${k}`), 'elu'] },
        { id: 'flat', type: 'Flatten', params: {}, inputs: ['cat'] },
        { id: 'out', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['flat'] },
      ],
    },
    chain('layer-norm', [4, 4, 3], [['Conv2D', { filters: 5, kernelSize: [1, 1], activation: 'linear' }], ['LayerNormalization', { scale: false }], ['Reshape', { targetShape: [16, 5] }], ['LayerNormalization', { center: false, epsilon: 0.1 }]]),
    chain('layer-norm-vector', [6], [['Dense', { units: 5, activation: 'linear' }], ['LayerNormalization', {}], ['Dense', { units: 3, activation: 'softmax' }]], false),
    {
      ...chain('merges-3', [6, 6, 3], [], false),
      nodes: [
        { id: 'input', type: 'Input', params: { shape: [6, 6, 3] }, inputs: [] },
        { id: 'a', type: 'Conv2D', params: { filters: 4, kernelSize: [1, 1] }, inputs: ['input'] },
        { id: 'b', type: 'Conv2D', params: { filters: 4, kernelSize: [1, 1], activation: 'tanh' }, inputs: ['input'] },
        { id: 'wide', type: 'Conv2D', params: { filters: 4, kernelSize: [1, 6] }, inputs: ['input'] },
        { id: 'mul', type: 'Multiply', params: {}, inputs: ['a', 'b', 'wide'] },
        { id: 'avg', type: 'Average', params: {}, inputs: ['a', 'wide', 'mul'] },
        { id: 'sub', type: 'Subtract', params: {}, inputs: ['wide', 'avg'] },
        { id: 'max', type: 'Maximum', params: {}, inputs: ['sub', 'b', 'mul'] },
        { id: 'flat', type: 'Flatten', params: {}, inputs: ['max'] },
        { id: 'out', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['flat'] },
      ],
    },
  ];
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
 * Random weights that keep every model's output alive, the same on every run: kernels are seeded
 * Glorot-uniform (tfjs' own initializer, but unseeded), biases, PReLU slopes (initially 0) and γ/β are
 * random, since zeros and ones would hide mistakes in their mapping and layout. BatchNormalization's
 * moving statistics are calibrated on the inputs of the comparison (the mean and variance its input
 * really has, each moved at random), as in a trained network: with statistics unrelated to the signal
 * the deep mobilenet-mini template gave the same output for every image, so its comparison proved nothing.
 */
function randomizeWeights(model: tf.LayersModel, seed: number, inputs: tf.Tensor): void {
  for (const layer of model.layers) {
    const observed = layer.getClassName() === 'BatchNormalization' ? observedMoments(model, layer, inputs) : null;
    const values = layer.weights.map((w, k) => {
      const shape = w.shape as number[];
      const uniform = (low: number, high: number, salt = 0): tf.Tensor => tf.randomUniform(shape, low, high, 'float32', seed + k + salt);
      if (observed && /moving_mean/.test(w.name)) return tf.tidy(() => observed.mean.add(uniform(-0.3, 0.3).mul(observed.variance.sqrt())));
      if (observed && /moving_variance/.test(w.name)) return tf.tidy(() => observed.variance.mul(uniform(0.5, 1.5)).add(1e-3));
      if (/gamma/.test(w.name)) return uniform(0.5, 1.5);
      if (/bias|beta/.test(w.name)) return uniform(-0.2, 0.2);
      if (/alpha/.test(w.name)) return uniform(0.05, 0.6);
      if (/kernel/.test(w.name)) {
        const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
        const limit = Math.sqrt(6 / (receptive * (shape.at(-2)! + shape.at(-1)!)));
        return uniform(-limit, limit);
      }
      return w.read().clone();
    });
    layer.setWeights(values);
    tf.dispose(values);
    if (observed) tf.dispose([observed.mean, observed.variance]);
    seed += 101;
  }
}

/** The per-channel mean and variance of what `layer` receives when the model is fed `inputs`. */
function observedMoments(model: tf.LayersModel, layer: tf.layers.Layer, inputs: tf.Tensor): { mean: tf.Tensor; variance: tf.Tensor } {
  // A model sharing the layers up to this one (not disposed: that would dispose the shared weights).
  const probe = tf.model({ inputs: model.inputs, outputs: layer.input as tf.SymbolicTensor });
  return tf.tidy(() => {
    const y = probe.predict(inputs) as tf.Tensor;
    return tf.moments(y, [...Array(y.rank - 1).keys()]);
  });
}

let imagesDir = '';

/** `count` images of the shapes dataset at the model's input size, scaled to 0–1 as the engine feeds them; extra channels repeat RGB. */
async function realInputs(shape: readonly number[], count: number): Promise<Float32Array> {
  const files = readdirSync(imagesDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.png')).map((e) => join(e.parentPath, e.name)).sort();
  const picked = Array.from({ length: count }, (_, k) => files[(k * 7) % files.length]!);
  if (shape.length !== 3) {
    // A vector (or rank-2) input: pixels from all over each grayscale image (its first row is background).
    const { set } = await decodeImages(picked, picked.map(() => 0), { shape: [8, 8, 1] });
    const n = shape.reduce((a, b) => a * b, 1);
    return Float32Array.from({ length: count * n }, (_, i) => set.pixels[Math.floor(i / n) * 64 + (((i % n) * 37) % 64)]! / 255);
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
async function onnxVersusEngine(bytes: Uint8Array, ours: tf.LayersModel, snapshot: ModelFile, x: Float32Array, count: number): Promise<number> {
  const shape = inputShapeOf(snapshot);
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
    const perSample = expected.length / count;
    const spread = Math.max(...expected.map((v, i) => Math.abs(v - expected[i % perSample]!)));
    if (process.env['ONNX_DIFFS']) console.log(snapshot.name, 'spread', spread);
    // So would outputs that hardly depend on the input (a branch that is identically zero, dead ReLUs):
    // they must vary between the images by several times the tolerance.
    assert.ok(spread > 5 * TOLERANCE, `${snapshot.name}: the engine's outputs vary by only ${spread} between inputs, the comparison would prove little`);
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
    const models = [...TEMPLATES.map((t) => createModelFromTemplate(t.id)), ...coverageModels(), everyLayerModel(), vectorModel(), ...newerLayerVariants()];
    const converted = new Set(Object.entries(ONNX_LAYERS).filter(([, r]) => 'convert' in r).map(([t]) => t));
    const used = new Set(models.flatMap((m) => m.nodes.map((n) => n.type)));
    assert.deepEqual([...converted].filter((t) => !used.has(t)), [], 'every converted layer type is checked against ONNX Runtime: add it to a model of this test');
    // Every model is compared before the verdict, so a failure lists all the models it affects.
    const mismatches: string[] = [];
    for (const [k, model] of models.entries()) {
      const built = buildTfModel(tf, model);
      try {
        const shape = inputShapeOf(model);
        const x = await realInputs(shape, 4);
        const input = tf.tensor(x, [4, ...shape]);
        randomizeWeights(built, 17 * k + 1, input);
        input.dispose();
        const bytes = onnxBytesOf(built, model);
        writeFileSync(join(dir, 'checked', `${model.name}.onnx`), bytes);
        const diff = await onnxVersusEngine(bytes, built, model, x, 4);
        if (process.env['ONNX_DIFFS']) console.log(model.name, diff);
        if (!(diff < TOLERANCE)) mismatches.push(`${model.name}: ONNX Runtime and the engine differ by ${diff}`);
      } catch (err) {
        mismatches.push(`${model.name}: ${(err as Error).message.split('\n')[0]}`);
      } finally {
        built.dispose();
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it('passes the ONNX checker (python3-onnx, full check with shape inference)', { skip: skipChecker }, () => {
    const files = readdirSync(join(dir, 'checked')).map((f) => join(dir, 'checked', f));
    assert.ok(files.length >= TEMPLATES.length, 'the models exported by the test above');
    const check = 'import onnx, sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint(len(sys.argv) - 1, "checked")';
    const r = spawnSync(checkerPython ?? 'python3', ['-c', check, ...files], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('a run trained through the newer layer types predicts in ONNX Runtime as in the engine (trained weights)', async () => {
    // The augmentation and noise layers act in training (so the weights are really trained through
    // them) and are Identity in the file; the weights of PReLU, LayerNormalization and the convolutions
    // around Permute and Resizing come from the training.
    const model = chain('newer-trained', [16, 16, 3], [
      ['RandomFlip', { mode: 'horizontal' }],
      ['RandomContrast', { factor: 0.2 }],
      ['RandomRotation', { factor: 0.1 }],
      ['RandomZoom', { heightFactor: 0.2, widthFactor: 0.1, fillMode: 'constant' }],
      ['RandomTranslation', { heightFactor: 0.1, widthFactor: 0.2, fillMode: 'wrap', interpolation: 'nearest' }],
      ['GaussianNoise', { stddev: 0.05 }],
      ['Conv2D', { filters: 4, activation: 'linear' }],
      ['PReLU', { sharedAxes: 'spatial' }],
      ['ReLU', { maxValue: 3, negativeSlope: 0.1, threshold: 0.1 }],
      ['ELU', { alpha: 0.5 }],
      ['LayerNormalization', {}],
      ['Permute', { dims: [2, 1, 3] }],
      ['Resizing', { height: 8, width: 6, cropToAspectRatio: true }],
      ['GaussianDropout', { rate: 0.1 }],
      ['Conv2D', { filters: 3, kernelSize: [1, 1], activation: 'linear' }],
      ['PReLU', {}],
      ['Softmax', { axis: 2 }],
    ]);
    const runDir = await trainBriefly(dir, imagesDir, model);
    const out = join(dir, 'exported', 'newer-trained.onnx');
    exportRunToOnnx(tf, runDir, out, 'last');
    const snapshot = JSON.parse(readFileSync(join(runDir, RUN_FILES.model), 'utf8')) as ModelFile;
    const ours = buildTfModel(tf, snapshot);
    try {
      loadCheckpoint(tf, ours, join(runDir, 'last'));
      const diff = await onnxVersusEngine(readFileSync(out), ours, snapshot, await realInputs(inputShapeOf(snapshot), 8), 8);
      assert.ok(diff < TOLERANCE, `trained run with the newer layers: ONNX Runtime and the engine differ by ${diff}`);
    } finally {
      ours.dispose();
    }
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
      const diff = await onnxVersusEngine(bytes, ours, snapshot, await realInputs(inputShapeOf(snapshot), 8), 8);
      assert.ok(diff < TOLERANCE, `trained run: ONNX Runtime and the engine differ by ${diff}`);
    } finally {
      ours.dispose();
    }
  });
});
