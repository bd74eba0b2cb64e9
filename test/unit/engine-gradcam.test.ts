/**
 * Grad-CAM proven right, on a model trained for real (wasm) on generated images whose class is decided
 * by an object at a known place (a bright or a dark square on noise, or none):
 *  - the engine's map equals an independent computation on the same weights: the class logit from a
 *    output layer's weights applied to its input, its gradient w.r.t. the chosen conv layer's output,
 *    channel weights = spatial mean, ReLU of the weighted sum, bilinear upsampling, all but the gradient
 *    done here in plain JS;
 *  - the map peaks on the object (no transposition, flip or offset) for objects far from the diagonal,
 *    with same padding and with valid padding (whose cells look at the middle of the image only);
 *  - the user can choose the conv layer, and a wrong choice gets a message naming the choices.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { LayersModel, SymbolicTensor, Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { ModelFile, ModelNode } from '../../src/core/format';
import { createModelFromTemplate } from '../../src/core/templates';
import { getTf } from '../../src/engine/backend/selectBackend';
import { seededRng, type Rng } from '../../src/engine/data/random';
import { computeActivations, GradCamLayerError } from '../../src/engine/eval/activations';
import { cellGeometry } from '../../src/engine/eval/cellGeometry';
import { loadRunModel, openRun, type OpenedRun } from '../../src/engine/eval/runModel';
import { prepareTraining, runPrepared } from '../../src/engine/train/session';

const SIZE = 28;
const BOX = 7;
/** 'none' has no square: without it a model may call 'bright' whatever has no dark square. */
const CLASSES = ['bright', 'dark', 'none'] as const;

interface Placed {
  readonly pixels: Uint8Array;
  readonly x: number;
  readonly y: number;
}

/** Grey noise with a BOX×BOX square at (x, y): white for 'bright', black for 'dark', none for 'none'. */
function drawObject(cls: (typeof CLASSES)[number], x: number, y: number, rng: Rng): Placed {
  const pixels = new Uint8Array(SIZE * SIZE);
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      const inside = c >= x && c < x + BOX && r >= y && r < y + BOX;
      const base = inside && cls !== 'none' ? (cls === 'bright' ? 235 : 15) : 120;
      pixels[r * SIZE + c] = Math.max(0, Math.min(255, Math.round(base + (rng() * 2 - 1) * 30)));
    }
  }
  return { pixels, x, y };
}

/**
 * input → conv1 (8) → pool → conv2 (16) → global max → Dense(3, softmax). With 'valid' padding conv1 is
 * 5×5, so conv2's cells look at pixels 4.5 … 22.5 and a map stretched over the image would be off.
 */
function placeModel(padding: 'same' | 'valid'): ModelFile {
  const m = createModelFromTemplate('mnist-small', `gradcam-${padding}`);
  const conv = (id: string, filters: number, k: number, input: string): ModelNode => ({ id, type: 'Conv2D', params: { filters, kernelSize: [k, k], padding, activation: 'relu' }, inputs: [input] });
  m.nodes = [
    { id: 'input', type: 'Input', params: { shape: [SIZE, SIZE, 1] }, inputs: [] },
    conv('conv1', 8, padding === 'same' ? 3 : 5, 'input'),
    { id: 'pool1', type: 'MaxPooling2D', params: { poolSize: [2, 2] }, inputs: ['conv1'] },
    conv('conv2', 16, 3, 'pool1'),
    { id: 'gmp', type: 'GlobalMaxPooling2D', params: {}, inputs: ['conv2'] },
    { id: 'output', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['gmp'] },
  ];
  m.compile.learningRate = 0.01;
  m.training = { ...m.training, epochs: 10, batchSize: 16, validationSplit: 0.2, seed: 11, augmentation: { horizontalFlip: false, translate: 0, brightness: 0 } };
  return m;
}

/** Bilinear upsampling with half-pixel centres, written out: output pixel p samples the map at (p+0.5)·h/H − 0.5. */
function upsample(map: Float64Array, h: number, w: number, H: number, W: number): Float64Array {
  const out = new Float64Array(H * W);
  const at = (r: number, c: number) => map[Math.min(h - 1, Math.max(0, r)) * w + Math.min(w - 1, Math.max(0, c))]!;
  for (let R = 0; R < H; R++) {
    const sy = Math.max(0, ((R + 0.5) * h) / H - 0.5);
    const r0 = Math.floor(sy);
    const fy = sy - r0;
    for (let C = 0; C < W; C++) {
      const sx = Math.max(0, ((C + 0.5) * w) / W - 0.5);
      const c0 = Math.floor(sx);
      const fx = sx - c0;
      const top = at(r0, c0) * (1 - fx) + at(r0, c0 + 1) * fx;
      const bottom = at(r0 + 1, c0) * (1 - fx) + at(r0 + 1, c0 + 1) * fx;
      out[R * W + C] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/**
 * Grad-CAM computed apart from the engine, for this test's chain model. The class score is the logit
 * `gmp·W + b` from the output layer's weights (or, with `logit` false, its softmax: the wrong,
 * probability-based map the engine used to draw, kept to show this test tells the two apart).
 */
function referenceCam({ run, model: trained }: Trained, layerId: string, pixels: Uint8Array, classIndex: number, logit: boolean): Uint8Array {
  const tf = getTf();
  const scale = run.config.inputScale;
  const order = run.model.nodes.map((n) => n.id);
  const between = order.slice(order.indexOf(layerId) + 1, order.indexOf('output'));
  const [kernel, bias] = trained.getLayer('output').getWeights();
  // Applied eagerly to tensors: applying layers to a new symbolic input would add nodes to the model.
  const head = (a: Tensor): Tensor => between.reduce((y, id) => trained.getLayer(id).apply(y) as Tensor, a);
  const toConv = tf.model({ inputs: trained.inputs, outputs: trained.getLayer(layerId).output as SymbolicTensor });
  const input = tf.tensor4d(Float32Array.from(pixels, (v) => v * scale), [1, SIZE, SIZE, 1]);
  const conv = toConv.predict(input) as Tensor;
  const score = (a: Tensor): Tensor => {
    const logits = tf.add(tf.matMul(head(a) as Tensor2D, kernel as Tensor2D), bias!);
    return (logit ? logits : tf.softmax(logits)).slice([0, classIndex], [1, 1]).sum();
  };
  const grad = tf.grad(score)(conv);
  const [, h, w, k] = conv.shape as [number, number, number, number];
  const A = conv.dataSync();
  const G = grad.dataSync();
  tf.dispose([input, conv, grad]);
  const weights = new Float64Array(k);
  for (let i = 0; i < h * w; i++) for (let c = 0; c < k; c++) weights[c]! += G[i * k + c]! / (h * w);
  const cam = new Float64Array(h * w);
  for (let i = 0; i < h * w; i++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += A[i * k + c]! * weights[c]!;
    cam[i] = Math.max(0, sum);
  }
  const up = upsample(cam, h, w, SIZE, SIZE);
  const max = Math.max(...up, 1e-12);
  return Uint8Array.from(up, (v) => Math.round((v / max) * 255));
}

const maxDiff = (a: Uint8Array, b: Uint8Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

interface Trained {
  readonly run: OpenedRun;
  readonly model: LayersModel;
}

let root: string;
let data: string;
let same: Trained;
let valid: Trained;

async function trainPlaceModel(padding: 'same' | 'valid'): Promise<Trained> {
  const modelPath = join(root, `${padding}.cnn.json`);
  writeFileSync(modelPath, JSON.stringify(placeModel(padding), null, 2));
  const prepared = await prepareTraining({ modelPath, dataDir: data, runsRoot: root, overrides: { backend: 'wasm' } }, { emit: () => undefined });
  const outcome = await runPrepared(prepared);
  assert.equal(outcome.status, 'finished', outcome.message);
  assert.ok(outcome.bestValAccuracy! >= 0.95, `the object's colour decides the class; best validation accuracy ${outcome.bestValAccuracy} (${padding})`);
  const run = openRun(prepared.started.runDir);
  return { run, model: loadRunModel(getTf(), run, 'last') };
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cnn-gradcam-'));
  data = join(root, 'data');
  const rng = seededRng(5);
  for (const cls of CLASSES) {
    mkdirSync(join(data, cls), { recursive: true });
    for (let i = 0; i < 160; i++) {
      const { pixels } = drawObject(cls, Math.floor(rng() * (SIZE - BOX + 1)), Math.floor(rng() * (SIZE - BOX + 1)), rng);
      await sharp(Buffer.from(pixels), { raw: { width: SIZE, height: SIZE, channels: 1 } }).png().toFile(join(data, cls, `${cls}_${i}.png`));
    }
  }
  same = await trainPlaceModel('same');
  valid = await trainPlaceModel('valid');
});

after(() => {
  same?.model.dispose();
  valid?.model.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** Objects well off the diagonal (a transposed or flipped map lands elsewhere), both classes. */
const PLACES: readonly { cls: (typeof CLASSES)[number]; x: number; y: number }[] = [
  { cls: 'bright', x: 2, y: 17 },
  { cls: 'bright', x: 19, y: 3 },
  { cls: 'dark', x: 20, y: 14 },
  { cls: 'dark', x: 3, y: 12 },
  { cls: 'bright', x: 11, y: 20 },
];
/** For the 'valid' model: squares inside the part of the image its conv2 cells are centred on (4.5 … 22.5). */
const INNER_PLACES: typeof PLACES = [
  { cls: 'bright', x: 5, y: 15 },
  { cls: 'bright', x: 16, y: 5 },
  { cls: 'dark', x: 15, y: 13 },
  { cls: 'dark', x: 6, y: 5 },
];

function activationsAt({ run, model }: Trained, placed: Placed, gradCamLayer?: string) {
  return computeActivations(getTf(), model, run.model, {
    pixels: placed.pixels,
    shape: [SIZE, SIZE, 1],
    scale: run.config.inputScale,
    classNames: run.config.classNames,
    samplePath: null,
    trueClass: null,
    maxChannels: 4,
    ...(gradCamLayer ? { gradCamLayer } : {}),
  });
}

describe('Grad-CAM', () => {
  it('equals an independent logit-gradient computation on the same weights, at either conv layer', async (t) => {
    const rng = seededRng(99);
    let probabilityGap = 0;
    for (const place of PLACES) {
      const placed = drawObject(place.cls, place.x, place.y, rng);
      for (const layer of ['conv2', 'conv1']) {
        const cam = (await activationsAt(same, placed, layer)).gradCam!;
        assert.equal(cam.layerId, layer);
        assert.equal(cam.score, 'logit');
        assert.deepEqual(cam.layers, ['conv1', 'conv2']);
        const reference = referenceCam(same, layer, placed.pixels, cam.classIndex, true);
        assert.ok(maxDiff(cam.data, reference) <= 2, `${place.cls} at (${place.x}, ${place.y}), ${layer}: differs from the reference by ${maxDiff(cam.data, reference)}/255`);
        probabilityGap = Math.max(probabilityGap, maxDiff(reference, referenceCam(same, layer, placed.pixels, cam.classIndex, false)));
      }
    }
    t.diagnostic(`largest difference between the logit and the softmax-probability maps: ${probabilityGap}/255`);
    assert.ok(probabilityGap > 10, 'the probability-based map must differ, or this test could not catch it');
  });

  it('peaks on the object that decides the class (no transposition, flip or offset), with same or valid padding', async (t) => {
    const rng = seededRng(123);
    for (const [padding, trained, places] of [['same', same, PLACES], ['valid', valid, INNER_PLACES]] as const) for (const place of places) {
      const placed = drawObject(place.cls, place.x, place.y, rng);
      const act = await activationsAt(trained, placed);
      assert.equal(act.prediction[0]!.className, place.cls);
      const cam = act.gradCam!;
      assert.equal(cam.layerId, 'conv2', 'the last conv layer by default');
      // The centre of the hot part (≥ half the maximum): edge cells are drawn out to the border, so the
      // single hottest pixel can be anywhere on a plateau there.
      let mass = 0;
      let sx = 0;
      let sy = 0;
      cam.data.forEach((v, i) => {
        if (v < 128) return;
        mass += v;
        sx += (i % SIZE) * v;
        sy += Math.floor(i / SIZE) * v;
      });
      const [px, py] = [Math.round(sx / mass), Math.round(sy / mass)];
      // The square must be hotter than where a transposed or flipped map would put it.
      const heatAt = (x: number, y: number) => {
        let sum = 0;
        for (let r = y; r < y + BOX; r++) for (let c = x; c < x + BOX; c++) sum += cam.data[r * SIZE + c]!;
        return sum / (BOX * BOX);
      };
      const far = SIZE - BOX;
      const mirrors = { transposed: [place.y, place.x], 'flipped left-right': [far - place.x, place.y], 'flipped top-bottom': [place.x, far - place.y], 'turned 180°': [far - place.x, far - place.y] } as const;
      const onSquare = heatAt(place.x, place.y);
      const compared: string[] = [];
      for (const [how, [x, y]] of Object.entries(mirrors)) {
        const overlap = Math.max(0, BOX - Math.abs(x - place.x)) * Math.max(0, BOX - Math.abs(y - place.y));
        if (overlap > (BOX * BOX) / 4) continue;
        compared.push(`${how} ${heatAt(x, y).toFixed(0)}`);
        assert.ok(onSquare > 1.5 * heatAt(x, y), `the map is as hot where a ${how} map would put the square (${heatAt(x, y).toFixed(0)}) as on it (${onSquare.toFixed(0)})`);
      }
      assert.ok(compared.length >= 2);
      t.diagnostic(`${padding}: ${place.cls} square at x ${place.x}–${place.x + BOX - 1}, y ${place.y}–${place.y + BOX - 1}: hot centre (${px}, ${py}), mean heat on it ${onSquare.toFixed(0)}, ${compared.join(', ')}`);
      const on = (v: number, lo: number) => v >= lo && v < lo + BOX;
      assert.ok(on(px, place.x) && on(py, place.y), `the hot centre (${px}, ${py}) is off the square at x ${place.x}–${place.x + BOX - 1}, y ${place.y}–${place.y + BOX - 1}`);
    }
  });

  it('refuses a layer that is not a conv layer, naming the choices', async () => {
    const placed = drawObject('bright', 4, 4, seededRng(1));
    await assert.rejects(activationsAt(same, placed, 'gmp'), (e: unknown) => e instanceof GradCamLayerError && /Grad-CAM cannot look at 'gmp': pick one of the model's conv layers \(conv1, conv2\)/.test(e.message));
  });
});

describe('where a conv cell looks in the input', () => {
  it("follows strides, kernels and TensorFlow's padding", () => {
    // tutorial-cifar: 3×3 valid convs and 2×2 pools on 32×32; conv3's 4×4 cells are centred on pixels 8.5, 12.5, 16.5, 20.5.
    assert.deepEqual(cellGeometry(createModelFromTemplate('tutorial-cifar'), 'conv3'), { stride: [4, 4], offset: [8.5, 8.5] });
    assert.deepEqual(cellGeometry(same.run.model, 'conv2'), { stride: [2, 2], offset: [0.5, 0.5] });
    assert.deepEqual(cellGeometry(valid.run.model, 'conv2'), { stride: [2, 2], offset: [4.5, 4.5] });
  });
});
