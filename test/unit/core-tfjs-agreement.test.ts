// analyzeModel's shapes and param counts against real tfjs-layers (cpu backend), node by node, on every
// template and on 200 seeded random graphs with branches (Add, Concatenate), so the designer's numbers
// are the numbers training will see.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { ModelFile, ModelNode, LayerParams } from '../../src/core/format';
import { DEFAULT_COMPILE, DEFAULT_TRAINING } from '../../src/core/format';
import type { Shape } from '../../src/core/analysis';
import { parseModelText } from '../../src/core/loader';
import { analyzeModel } from '../../src/core/shapeInference';
import { createModelFromTemplate, TEMPLATES } from '../../src/core/templates';
import { buildTfModel } from '../../src/engine/model/buildTfModel';
import { mulberry32 } from '../../src/engine/data/random';
import { coverageModels } from './export-coverage.helpers';

before(async () => {
  await tf.setBackend('cpu');
});

function tfShape(layer: tf.layers.Layer): (number | null)[] {
  const s = layer.outputShape as (number | null)[] | (number | null)[][];
  return Array.isArray(s[0]) ? (s[0] as (number | null)[]) : (s as (number | null)[]);
}

function compareWithTfjs(model: ModelFile, label: string): void {
  const analysis = analyzeModel(model);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], `${label}: analysis reports errors`);
  const built = buildTfModel(tf, model);
  try {
    for (const node of model.nodes) {
      const layer = built.getLayer(node.id);
      const a = analysis.nodes.get(node.id)!;
      assert.deepEqual(a.outputShape, tfShape(layer).slice(1), `${label}: output shape of '${node.id}' (${node.type})`);
      assert.equal(a.params, layer.countParams(), `${label}: params of '${node.id}' (${node.type})`);
      const trainable = layer.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((p: number, d) => p * (d ?? 1), 1), 0);
      assert.equal(a.trainableParams, trainable, `${label}: trainable params of '${node.id}' (${node.type})`);
    }
    assert.equal(analysis.totals.params, built.countParams(), `${label}: total params`);
  } finally {
    built.dispose();
  }
}

test('every template agrees with tfjs-layers node by node', () => {
  for (const t of TEMPLATES) compareWithTfjs(createModelFromTemplate(t.id), t.id);
});

test('the export coverage models (every layer type, incl. the engine\'s own ReLU and Subtract) agree with tfjs-layers node by node', () => {
  for (const model of coverageModels()) compareWithTfjs(model, model.name);
});

test('the export coverage models run: a forward pass (inference, and training mode for the noise layers) has the analysed output shape', () => {
  for (const model of coverageModels()) {
    const analysis = analyzeModel(model);
    const built = buildTfModel(tf, model);
    try {
      const input = tf.randomUniform([2, ...(model.nodes.find((n) => n.type === 'Input')!.params['shape'] as number[])]);
      // Training mode only where it differs (tfjs' own BatchNormalization with center=false fails there).
      for (const training of model.name === 'noise-resizing' ? [false, true] : [false]) {
        const out = tf.tidy(() => built.apply(input, { training }) as tf.Tensor);
        assert.deepEqual(out.shape.slice(1), analysis.nodes.get(analysis.outputIds[0]!)!.outputShape, `${model.name}: output shape (training ${training})`);
        assert.ok(Array.from(out.dataSync()).every(Number.isFinite), `${model.name}: finite outputs (training ${training})`);
        out.dispose();
      }
      input.dispose();
    } finally {
      built.dispose();
    }
  }
});

test('the tutorial-cifar template has exactly 124,810 params in tfjs', () => {
  const built = buildTfModel(tf, createModelFromTemplate('tutorial-cifar'));
  assert.equal(built.countParams(), 124810);
  assert.deepEqual(
    built.layers.map((l) => l.name),
    ['input', 'conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'pool3', 'flatten', 'dense1', 'dense2', 'output'],
  );
  built.dispose();
});

test('SpatialDropout2D is a Dropout whose mask is shared over height and width', () => {
  const model = createModelFromTemplate('mnist-small');
  model.nodes.splice(2, 0, { id: 'sdrop', type: 'SpatialDropout2D', params: { rate: 0.5 }, inputs: ['conv1'] });
  model.nodes[3]!.inputs = ['sdrop'];
  const built = buildTfModel(tf, model);
  const layer = built.getLayer('sdrop');
  const x = tf.ones([2, 6, 6, 4]);
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const v = y.arraySync() as number[][][][];
  // Per sample and channel, the 6×6 map is either all dropped or all kept (scaled by 1/(1-rate)).
  for (const sample of v) {
    for (let c = 0; c < 4; c++) {
      const values = new Set(sample.flatMap((row) => row.map((px) => px[c])));
      assert.equal(values.size, 1, 'one mask value per feature map');
      assert.ok(values.has(0) || values.has(2));
    }
  }
  tf.dispose([x, y]);
  built.dispose();
});

test('fixture reshape-infer: a Reshape with -1 followed by Conv2D and Dense builds and runs', () => {
  const { model } = parseModelText(readFileSync(join(__dirname, '..', 'fixtures', 'models', 'reshape-infer.cnn.json'), 'utf8'));
  assert.ok(model);
  compareWithTfjs(model, 'reshape-infer');
  const built = buildTfModel(tf, model);
  const y = built.predict(tf.ones([2, 64])) as tf.Tensor;
  assert.deepEqual(y.shape, [2, 3]);
  tf.dispose(y);
  built.dispose();
});

// ---- random graphs ----


class RandomGraph {
  readonly nodes: ModelNode[] = [];
  private counter = 0;
  constructor(readonly rnd: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }
  model(): ModelFile {
    return {
      format: 'cnn-studio-model',
      formatVersion: 1,
      name: 'random',
      nodes: this.nodes,
      compile: { ...DEFAULT_COMPILE, loss: 'meanSquaredError' },
      training: DEFAULT_TRAINING,
    };
  }
  shapeOf(id: string): Shape {
    const s = analyzeModel(this.model()).nodes.get(id)?.outputShape;
    assert.ok(s, `generator: no shape for ${id}: ${JSON.stringify(analyzeModel(this.model()).diagnostics)}`);
    return s;
  }
  add(type: string, params: LayerParams, inputs: string[]): string {
    const id = `${type.toLowerCase()}_${++this.counter}`;
    this.nodes.push({ id, type, params, inputs });
    return id;
  }
}

const ACTS = ['relu', 'linear', 'sigmoid', 'tanh', 'relu6', 'elu', 'selu', 'swish', 'softplus', 'softsign', 'hardSigmoid', 'gelu', 'mish', 'softmax'];

/** One step from `src`; returns the new head of the graph. */
function step(g: RandomGraph, src: string): string {
  const s = g.shapeOf(src);
  const act = g.pick(ACTS);
  if (s.length === 3) {
    const [h, w, c] = s as [number, number, number];
    const padding = g.pick(['valid', 'same']);
    const maxK = padding === 'same' ? 4 : Math.min(h, w, 4);
    const k = (): [number, number] => [g.int(1, maxK), g.int(1, maxK)];
    const st = (): [number, number] => [g.int(1, 2), g.int(1, 3)];
    const kind = g.pick(['conv', 'conv', 'dw', 'sep', 'tconv', 'pool', 'avg', 'bn', 'misc', 'pad', 'crop', 'up', 'add', 'add', 'concat', 'concat', 'reshape', 'dense4d', 'global', 'flatten']);
    switch (kind) {
      case 'conv': {
        const dilate = g.rnd() < 0.3;
        const kernel = k();
        const dil: [number, number] = dilate ? [2, 2] : [1, 1];
        const fits = padding === 'same' || (kernel[0] * 2 - 1 <= h && kernel[1] * 2 - 1 <= w);
        return g.add('Conv2D', { filters: g.int(1, 8), kernelSize: kernel, strides: dilate && fits ? [1, 1] : st(), padding, activation: act, useBias: g.rnd() < 0.7, dilationRate: dilate && fits ? dil : [1, 1] }, [src]);
      }
      case 'dw':
        return g.add('DepthwiseConv2D', { kernelSize: k(), strides: st(), padding, depthMultiplier: g.int(1, 3), activation: act, useBias: g.rnd() < 0.5 }, [src]);
      case 'sep':
        return g.add('SeparableConv2D', { filters: g.int(1, 8), kernelSize: k(), strides: st(), padding, depthMultiplier: g.int(1, 2), activation: act }, [src]);
      case 'tconv':
        if (h > 12 || w > 12) return g.add('MaxPooling2D', { poolSize: [2, 2] }, [src]);
        return g.add('Conv2DTranspose', { filters: g.int(1, 6), kernelSize: [g.int(1, 4), g.int(1, 4)], strides: st(), padding, activation: act }, [src]);
      case 'pool':
      case 'avg': {
        const pool: [number, number] = [g.int(1, Math.min(h, 3)), g.int(1, Math.min(w, 3))];
        const strides = g.rnd() < 0.5 ? null : st();
        return g.add(kind === 'pool' ? 'MaxPooling2D' : 'AveragePooling2D', { poolSize: pool, strides, padding: g.rnd() < 0.5 ? 'valid' : padding }, [src]);
      }
      case 'bn':
        return g.add('BatchNormalization', { center: g.rnd() < 0.8, scale: g.rnd() < 0.8 }, [src]);
      case 'misc':
        return g.add(g.pick(['Dropout', 'SpatialDropout2D', 'Activation', 'LeakyReLU', 'Rescaling']), {}, [src]);
      case 'pad':
        return g.add('ZeroPadding2D', { padding: [[g.int(0, 2), g.int(0, 2)], [g.int(0, 2), g.int(0, 2)]] }, [src]);
      case 'crop':
        if (h < 3 || w < 3) return g.add('ZeroPadding2D', {}, [src]);
        return g.add('Cropping2D', { cropping: [[g.int(0, 1), g.int(0, 1)], [g.int(0, 1), g.int(0, 1)]] }, [src]);
      case 'up':
        if (h > 8 || w > 8) return g.add('AveragePooling2D', { poolSize: [2, 2], padding: 'same' }, [src]);
        return g.add('UpSampling2D', { size: [g.int(1, 2), g.int(1, 3)], interpolation: g.pick(['nearest', 'bilinear']) }, [src]);
      case 'add': {
        // A residual branch of one or two layers that keeps the shape, then Add.
        const b1 = g.add('Conv2D', { filters: c, kernelSize: [g.int(1, 3), g.int(1, 3)], padding: 'same', activation: act }, [src]);
        const b2 = g.rnd() < 0.5 ? g.add('BatchNormalization', {}, [b1]) : b1;
        const third = g.rnd() < 0.3 ? [g.add('Conv2D', { filters: c, kernelSize: [1, 1] }, [src])] : [];
        return g.add('Add', {}, [b2, src, ...third]);
      }
      case 'concat': {
        const axisChoice = g.pick([-1, 3, 1, 2, -3, -2]);
        const axis = axisChoice < 0 ? axisChoice + 4 : axisChoice;
        // A branch that keeps every axis but the joined one: channels via filters, height/width via padding.
        const branch =
          axis === 3
            ? g.add('Conv2D', { filters: g.int(1, 6), kernelSize: [1, 1] }, [src])
            : g.add('ZeroPadding2D', { padding: axis === 1 ? [[g.int(0, 2), 1], [0, 0]] : [[0, 0], [1, g.int(0, 2)]] }, [src]);
        return g.add('Concatenate', { axis: axisChoice }, g.rnd() < 0.5 ? [src, branch] : [branch, src]);
      }
      case 'reshape':
        return g.add('Reshape', { targetShape: g.pick([[h * w, c], [-1, c], [h, -1], [h, w * c, 1], [-1]]) }, [src]);
      case 'dense4d':
        return g.add('Dense', { units: g.int(1, 6), activation: act }, [src]);
      case 'global':
        return g.add(g.pick(['GlobalAveragePooling2D', 'GlobalMaxPooling2D']), {}, [src]);
      default:
        return g.add('Flatten', {}, [src]);
    }
  }
  if (s.length === 2) {
    const [a, b] = s as [number, number];
    const kind = g.pick(['dense', 'flatten', 'bn', 'misc', 'reshape', 'concat']);
    if (kind === 'dense') return g.add('Dense', { units: g.int(1, 12), activation: act, useBias: g.rnd() < 0.8 }, [src]);
    if (kind === 'flatten') return g.add('Flatten', {}, [src]);
    if (kind === 'bn') return g.add('BatchNormalization', {}, [src]);
    if (kind === 'misc') return g.add(g.pick(['Dropout', 'Activation', 'LeakyReLU', 'Rescaling']), {}, [src]);
    if (kind === 'reshape') return g.add('Reshape', { targetShape: g.pick([[b, a], [a, b, 1], [-1]]) }, [src]);
    const branch = g.add('Dense', { units: g.int(1, 5) }, [src]);
    return g.add('Concatenate', { axis: g.pick([-1, 2]) }, [src, branch]);
  }
  const [n] = s as [number];
  const kind = g.pick(['dense', 'dense', 'bn', 'misc', 'add', 'concat', 'reshape']);
  if (kind === 'dense') return g.add('Dense', { units: g.int(1, 16), activation: act }, [src]);
  if (kind === 'bn') return g.add('BatchNormalization', { momentum: 0.9 }, [src]);
  if (kind === 'misc') return g.add(g.pick(['Dropout', 'Activation', 'LeakyReLU', 'Rescaling']), {}, [src]);
  if (kind === 'add') return g.add('Add', {}, [src, g.add('Dense', { units: n }, [src])]);
  if (kind === 'concat') return g.add('Concatenate', {}, [g.add('Dense', { units: g.int(1, 7) }, [src]), src]);
  // Back to feature maps, when the size factors.
  const side = [4, 3, 2].find((d) => n % (d * d) === 0);
  return side ? g.add('Reshape', { targetShape: [side, side, -1] }, [src]) : g.add('Dense', { units: 12 }, [src]);
}

function randomGraph(seed: number): ModelFile {
  const g = new RandomGraph(mulberry32(seed));
  let head = g.add('Input', { shape: g.pick([[g.int(4, 16), g.int(4, 16), g.int(1, 3)], [g.int(4, 12), g.int(4, 12), 1], [g.int(4, 20)]]) }, []);
  const steps = g.int(3, 12);
  for (let i = 0; i < steps; i++) head = step(g, head);
  return g.model();
}

test('200 seeded random graphs with branches agree with tfjs-layers node by node', () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= 200; seed++) {
    const model = randomGraph(seed);
    for (const n of model.nodes) seen.add(n.type);
    compareWithTfjs(model, `random graph seed ${seed}`);
  }
  // The generator really covers the catalogue (except Input-only quirks).
  for (const type of ['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'MaxPooling2D', 'AveragePooling2D', 'Add', 'Concatenate', 'Reshape', 'UpSampling2D', 'Cropping2D', 'ZeroPadding2D', 'BatchNormalization', 'Dense', 'Flatten']) {
    assert.ok(seen.has(type), `random graphs never used ${type}`);
  }
});

test("the engine's own ReLU (slope, threshold, cap), ELU (alpha 0.5) and Subtract compute Keras' formulas", () => {
  const model: ModelFile = {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name: 'custom',
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [4] }, inputs: [] },
      { id: 'r', type: 'ReLU', params: { maxValue: 4, negativeSlope: 0.1, threshold: 0.5 }, inputs: ['x'] },
      { id: 'e', type: 'ELU', params: { alpha: 0.5 }, inputs: ['x'] },
      { id: 'd', type: 'Subtract', params: {}, inputs: ['r', 'e'] },
    ],
    compile: { ...DEFAULT_COMPILE, loss: 'meanSquaredError', metrics: [] },
    training: DEFAULT_TRAINING,
  };
  const built = buildTfModel(tf, model);
  try {
    const xs = [-1, 0.25, 2, 10];
    const got = Array.from((built.predict(tf.tensor2d([xs])) as tf.Tensor).dataSync());
    const relu = (v: number): number => (v >= 0.5 ? Math.min(v, 4) : 0.1 * (v - 0.5));
    const elu = (v: number): number => (v > 0 ? v : 0.5 * Math.expm1(v));
    xs.forEach((v, i) => assert.ok(Math.abs(got[i]! - (relu(v) - elu(v))) < 1e-5, `x=${v}: ${got[i]} vs ${relu(v) - elu(v)}`));
  } finally {
    built.dispose();
  }
});

test('a Softmax layer as the output is a softmax output for the classification losses', () => {
  const model: ModelFile = {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name: 'softmax-layer',
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [6] }, inputs: [] },
      { id: 'logits', type: 'Dense', params: { units: 3, activation: 'linear' }, inputs: ['x'] },
      { id: 'probs', type: 'Softmax', params: {}, inputs: ['logits'] },
    ],
    compile: DEFAULT_COMPILE,
    training: DEFAULT_TRAINING,
  };
  assert.deepEqual(analyzeModel(model).diagnostics.filter((d) => d.severity === 'error'), []);
  compareWithTfjs(model, 'softmax-layer');
});

test('RandomFlip and RandomContrast change images only in training: flips of the image, contrast around the mean', () => {
  const model: ModelFile = {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name: 'augment',
    nodes: [
      { id: 'x', type: 'Input', params: { shape: [2, 3, 1] }, inputs: [] },
      { id: 'flip', type: 'RandomFlip', params: { mode: 'horizontal' }, inputs: ['x'] },
    ],
    compile: { ...DEFAULT_COMPILE, loss: 'meanSquaredError', metrics: [] },
    training: DEFAULT_TRAINING,
  };
  const built = buildTfModel(tf, model);
  const contrast = buildTfModel(tf, { ...model, name: 'contrast', nodes: [model.nodes[0]!, { id: 'c', type: 'RandomContrast', params: { factor: 0.5 }, inputs: ['x'] }] });
  try {
    const rows = [1, 2, 3, 4, 5, 6];
    // 32 images: each is flipped with probability 1/2, so some are (all but surely).
    const x = tf.tensor4d(Array.from({ length: 32 }, () => rows).flat(), [32, 2, 3, 1]);
    const mirrored = [3, 2, 1, 6, 5, 4];
    const values = (t: tf.Tensor): number[][] => (t.arraySync() as number[][][][]).map((img) => img.flat(2));
    assert.deepEqual(values(built.apply(x, { training: false }) as tf.Tensor), Array(32).fill(rows), 'identity at inference');
    const trained = values(built.apply(x, { training: true }) as tf.Tensor);
    assert.ok(trained.some((img) => JSON.stringify(img) === JSON.stringify(mirrored)), 'training flips some images');
    for (const img of trained) assert.ok(JSON.stringify(img) === JSON.stringify(rows) || JSON.stringify(img) === JSON.stringify(mirrored), `a flip of the image: ${img}`);
    assert.deepEqual(values(contrast.apply(x, { training: false }) as tf.Tensor), Array(32).fill(rows), 'contrast: identity at inference');
    const contrasted = values(contrast.apply(x, { training: true }) as tf.Tensor);
    assert.ok(contrasted.some((img) => Math.abs(img[5]! - 6) > 1e-3), 'training changes the contrast');
    for (const img of contrasted) {
      const c = (img[5]! - 3.5) / (6 - 3.5);
      assert.ok(c >= 0.5 - 1e-5 && c <= 1.5 + 1e-5, `contrast factor ${c} in [0.5, 1.5]`);
      img.forEach((v, i) => assert.ok(Math.abs(v - (3.5 + (rows[i]! - 3.5) * c)) < 1e-4, 'one factor per image, around the mean'));
    }
  } finally {
    built.dispose();
    contrast.dispose();
  }
});
