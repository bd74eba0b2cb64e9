/**
 * RandomRotation, RandomZoom and RandomTranslation: Keras' matrices move pixels the way Keras documents
 * (positive rotation counter-clockwise, positive zoom out, a shift by the drawn offset); the layers
 * transform each training image with their own draw and pass images through unchanged at inference;
 * and the analysis refuses one placed after a trainable layer (tfjs has no gradient for the transform).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_COMPILE, DEFAULT_TRAINING, type LayerParams, type ModelFile } from '../../src/core/format';
import { analyzeModel } from '../../src/core/shapeInference';
import { buildTfModel } from '../../src/engine/model/buildTfModel';
import { getTf } from '../../src/engine/backend/selectBackend';
import { affineTransform, type FillMode, type TransformInterpolation } from '../../src/engine/model/imageTransform';
import { kerasTransformRows } from '../../src/engine/model/randomTransformLayers';
import { ensureWasm } from './engine-kernels.helpers';

/** A 5 × 5 one-channel image, zero but for the given (row, col) → value. */
function image(points: [number, number, number][]): number[][] {
  const img = Array.from({ length: 5 }, () => Array<number>(5).fill(0));
  for (const [r, c, v] of points) img[r]![c] = v;
  return img;
}
const batch = (img: number[][], n: number): tf.Tensor4D => tf.tensor4d(Array.from({ length: n }, () => img).flat(2), [n, 5, 5, 1]);
const pixels = (t: tf.Tensor): number[][][] => (t.arraySync() as number[][][][]).map((img) => img.map((row) => row.map((px) => px[0]!)));
const col = (v: number): tf.Tensor2D => tf.tensor2d([[v]]);
/** Applies one transform row to one image, nearest-neighbour with zeros outside. */
const apply = (img: number[][], rows: tf.Tensor2D): number[][] => pixels(affineTransform(tf, batch(img, 1), rows, 'nearest', 'constant', 0))[0]!;

function augmentModel(type: string, params: LayerParams): ModelFile {
  return {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name: 'augment',
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [5, 5, 1] }, inputs: [] },
      { id: 'aug', type, params, inputs: ['x'] },
    ],
    compile: { ...DEFAULT_COMPILE, loss: 'meanSquaredError', metrics: [] },
    training: DEFAULT_TRAINING,
  };
}

/** The model's output for 32 copies of `img`, in training and at inference. */
function run(type: string, params: LayerParams, img: number[][]): { training: number[][][]; inference: number[][][] } {
  const model = buildTfModel(tf, augmentModel(type, params));
  try {
    const x = batch(img, 32);
    return { training: pixels(model.apply(x, { training: true }) as tf.Tensor), inference: pixels(model.apply(x, { training: false }) as tf.Tensor) };
  } finally {
    model.dispose();
  }
}

const where = (img: number[][], v: number): [number, number][] => img.flatMap((row, r) => row.flatMap((px, c) => (px === v ? [[r, c] as [number, number]] : [])));

test("TF's sampling on cpu and wasm alike: fill modes, half-away rounding, bilinear weights, each image of a batch its own row", async () => {
  await ensureWasm();
  const engineTf = getTf();
  // One row [1, 2, 3, 4] (three times), shifted right by t: output x samples input x − t. Expected values
  // follow tensorflow/core/kernels/image/image_ops.h (map_coord, then read_with_fill_value = 9 outside).
  const cases: [number, TransformInterpolation, FillMode, number[]][] = [
    [-0.4, 'bilinear', 'reflect', [1, 1.6, 2.6, 3.6]], // −0.4 reflects to 0 (the first pixel), not to the last
    [-1.5, 'nearest', 'reflect', [2, 1, 2, 3]], // −1.5 reflects to 0.5, rounded away from zero to 1
    [-1.5, 'nearest', 'constant', [9, 9, 2, 3]], // −0.5 rounds to −1: outside
    [-1.5, 'bilinear', 'constant', [9, 5, 1.5, 2.5]],
    [2.6, 'bilinear', 'reflect', [3.6, 4, 3.4, 2.4]],
    [2.6, 'nearest', 'constant', [4, 9, 9, 9]],
    [-1, 'nearest', 'wrap', [4, 1, 2, 3]], // −1 wraps to the last pixel
    [0.6, 'bilinear', 'nearest', [1.6, 2.6, 3.6, 4]],
  ];
  try {
    for (const backend of ['cpu', 'wasm']) {
      await engineTf.setBackend(backend);
      const img = engineTf.tensor4d([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4].concat([5, 6, 7, 8, 5, 6, 7, 8, 5, 6, 7, 8]), [2, 3, 4, 1]);
      for (const [t, interpolation, fill, expected] of cases) {
        // Image 0 gets the shift, image 1 the identity: each image reads its own row.
        const rows = engineTf.tensor2d([[1, 0, t, 0, 1, 0, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0]]);
        const out = affineTransform(engineTf, img, rows, interpolation, fill, 9).arraySync();
        const first = out[0]![1]!.map((px) => px[0]!);
        expected.forEach((v, i) => assert.ok(Math.abs(first[i]! - v) < 1e-5, `${backend} shift ${t} ${interpolation} ${fill}: ${first} (expected ${expected})`));
        assert.deepEqual(out[1]![1]!.map((px) => px[0]!), [5, 6, 7, 8], `${backend}: the second image keeps its own (identity) row`);
      }
    }
  } finally {
    await engineTf.setBackend('cpu');
  }
});

test("Keras' matrices: +90° turns the top centre to the left centre, zoom 2 shrinks the image to the middle, a shift moves a pixel", () => {
  const top = image([[0, 2, 1]]);
  assert.deepEqual(where(apply(top, kerasTransformRows.rotation(tf, col(Math.PI / 2), 5, 5)), 1), [[2, 0]], 'counter-clockwise for a positive angle');
  assert.deepEqual(where(apply(top, kerasTransformRows.rotation(tf, col(-Math.PI / 2), 5, 5)), 1), [[2, 4]], 'clockwise for a negative angle');
  const ones = Array.from({ length: 5 }, () => Array<number>(5).fill(1));
  const zoomedOut = apply(ones, kerasTransformRows.zoom(tf, col(2), col(2), 5, 5));
  assert.deepEqual(zoomedOut, [[0, 0, 0, 0, 0], [0, 1, 1, 1, 0], [0, 1, 1, 1, 0], [0, 1, 1, 1, 0], [0, 0, 0, 0, 0]], 'a zoom of 2 (factor +1) zooms out');
  assert.deepEqual(apply(ones, kerasTransformRows.zoom(tf, col(0.5), col(0.5), 5, 5)), ones, 'a zoom of 0.5 zooms in: every sample lies inside');
  assert.deepEqual(where(apply(image([[1, 3, 1]]), kerasTransformRows.translation(tf, col(1), col(-2))), 1), [[2, 1]], 'one row down, two columns left');
});

test('RandomRotation turns each training image about its centre by its own angle; identity at inference', () => {
  const img = image([[2, 2, 5], [0, 2, 1]]);
  const { training, inference } = run('RandomRotation', { factor: 0.25, interpolation: 'nearest', fillMode: 'constant' }, img);
  assert.deepEqual(inference, Array(32).fill(img), 'identity at inference');
  const spots = new Set<string>();
  for (const out of training) {
    assert.equal(out[2]![2], 5, 'the centre stays');
    for (const [r, c] of where(out, 1)) {
      assert.ok(Math.abs(Math.hypot(r - 2, c - 2) - 2) < 1, `the top pixel moves on its circle: (${r}, ${c})`);
      spots.add(`${r},${c}`);
    }
  }
  assert.ok(spots.size >= 3, `each image has its own angle (top pixel seen at ${[...spots].join(' ')})`);
});

test('RandomZoom zooms each training image by its own amount, keeping the aspect ratio without a width factor; identity at inference', () => {
  const ones = Array.from({ length: 5 }, () => Array<number>(5).fill(1));
  const { training, inference } = run('RandomZoom', { heightFactor: 0.9, fillMode: 'constant', interpolation: 'nearest' }, ones);
  assert.deepEqual(inference, Array(32).fill(ones), 'identity at inference');
  const empty = (lines: number[][]): number => lines.filter((l) => l.every((v) => v === 0)).length;
  const transpose = (img: number[][]): number[][] => img[0]!.map((_, c) => img.map((row) => row[c]!));
  for (const out of training) assert.equal(empty(out), empty(transpose(out)), 'as many empty rows as columns: one zoom for both axes');
  assert.ok(training.some((out) => empty(out) > 0), 'some images zoom out (positive draws)');
  assert.ok(training.some((out) => empty(out) === 0), 'some zoom in (negative draws)');
});

test('RandomTranslation shifts each training image by its own offset; identity at inference', () => {
  const img = image([[2, 2, 1]]);
  const { training, inference } = run('RandomTranslation', { heightFactor: 0.4, widthFactor: 0.4, fillMode: 'constant', interpolation: 'nearest' }, img);
  assert.deepEqual(inference, Array(32).fill(img), 'identity at inference');
  const spots = new Set<string>();
  for (const out of training) {
    const at = where(out, 1);
    assert.equal(at.length, 1, 'the pixel moves, nothing else appears');
    spots.add(String(at[0]));
  }
  assert.ok(spots.size >= 5, `each image has its own offset (pixel seen at ${[...spots].join(' ')})`);
});

test('a random image transform after a trainable layer is an error naming the fix; before it, or after a frozen one, it is fine', () => {
  const conv = { id: 'conv', type: 'Conv2D', params: { filters: 2, padding: 'same' }, inputs: ['x'] };
  for (const type of ['RandomRotation', 'RandomZoom', 'RandomTranslation']) {
    const base = augmentModel(type, {});
    const after: ModelFile = { ...base, nodes: [base.nodes[0]!, conv, { ...base.nodes[1]!, inputs: ['conv'] }] };
    const errors = analyzeModel(after).diagnostics.filter((d) => d.code === 'augmentation-after-weights');
    assert.equal(errors.length, 1, type);
    assert.equal(errors[0]!.nodeId, 'aug');
    assert.equal(errors[0]!.severity, 'error');
    assert.match(errors[0]!.message, new RegExp(`^${type} 'aug' must come before any layer with weights, but Conv2D 'conv' \\(20 trainable weights\\) comes first`));
    assert.match(errors[0]!.message, /move 'aug' right after the Input, as Keras' preprocessing layers are used\.$/);
    const frozen: ModelFile = { ...after, nodes: after.nodes.map((n) => (n.id === 'conv' ? { ...n, trainable: false } : n)) };
    assert.deepEqual(analyzeModel(frozen).diagnostics.filter((d) => d.code === 'augmentation-after-weights'), [], `${type} after a frozen layer`);
    const first: ModelFile = { ...base, nodes: [base.nodes[0]!, base.nodes[1]!, { ...conv, inputs: ['aug'] }] };
    assert.deepEqual(analyzeModel(first).diagnostics.filter((d) => d.severity === 'error'), [], `${type} right after the Input`);
  }
});

test('training reaches the weights after a random image transform (no gradient is needed through it)', async () => {
  const model = buildTfModel(tf, {
    ...augmentModel('RandomRotation', { factor: 0.1 }),
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [5, 5, 1] }, inputs: [] },
      { id: 'aug', type: 'RandomRotation', params: { factor: 0.1 }, inputs: ['x'] },
      { id: 'zoom', type: 'RandomZoom', params: { heightFactor: 0.1, widthFactor: 0.2 }, inputs: ['aug'] },
      { id: 'shift', type: 'RandomTranslation', params: { heightFactor: 0.1, widthFactor: 0.1 }, inputs: ['zoom'] },
      { id: 'conv', type: 'Conv2D', params: { filters: 2, activation: 'linear' }, inputs: ['shift'] },
      { id: 'flat', type: 'Flatten', params: {}, inputs: ['conv'] },
      { id: 'out', type: 'Dense', params: { units: 1, activation: 'linear' }, inputs: ['flat'] },
    ],
  });
  try {
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const before = (model.getWeights()[0]!.arraySync() as number[][][][]).flat(3);
    await model.fit(batch(image([[2, 2, 1]]), 4), tf.ones([4, 1]), { epochs: 1, verbose: 0 });
    const after = (model.getWeights()[0]!.arraySync() as number[][][][]).flat(3);
    assert.notDeepEqual(after, before, 'the convolution learned');
  } finally {
    model.dispose();
  }
});
