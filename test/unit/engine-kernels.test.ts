/**
 * Every kernel we register for wasm, checked numerically against tfjs' `cpu` backend.
 * Kernels are reached through the public ops and gradients (the way tfjs-layers reaches them) and,
 * where the op layer hides an attribute, through `engine().runKernel` directly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { getTf } from '../../src/engine/backend/selectBackend';
import { setFilterGradMethod, type FilterGradMethod } from '../../src/engine/backend/kernels/conv2dBackpropFilter';
import { setInputGradMethod, type InputGradMethod } from '../../src/engine/backend/kernels/conv2dBackpropInput';
import { closeEnough, compareBackends, ensureWasm, values } from './engine-kernels.helpers';

type Pad = 'same' | 'valid';
type Stride = number | [number, number];

const t4 = (shape: [number, number, number, number], seed: number, kind: 'normal' | 'ties' = 'normal'): Tensor4D =>
  getTf().tensor4d(values(shape.reduce((a, b) => a * b, 1), seed, kind), shape);

// [x shape, filter shape, strides, padding]: strides 1-3, odd/even kernels, uneven 'same' padding,
// rectangular strides and sizes that leave a remainder.
const CONV_CASES: Array<[[number, number, number, number], [number, number, number, number], Stride, Pad]> = [
  [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'valid'],
  [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'],
  [[3, 9, 8, 2], [3, 2, 2, 5], 2, 'valid'],
  [[3, 9, 8, 2], [3, 3, 2, 5], 2, 'same'],
  [[2, 10, 10, 4], [4, 4, 4, 3], 2, 'same'],
  [[1, 11, 9, 3], [5, 5, 3, 2], [3, 2], 'same'],
  [[2, 12, 12, 3], [3, 3, 3, 6], 3, 'valid'],
  [[2, 8, 8, 20], [3, 3, 20, 7], 1, 'same'],
  [[2, 13, 11, 24], [2, 2, 24, 5], 3, 'same'],
  [[4, 6, 6, 1], [1, 1, 1, 3], 1, 'valid'],
];

test('Conv2DBackpropFilter and Conv2DBackpropInput match cpu (every method of each)', async () => {
  await ensureWasm();
  const tf = getTf();
  const methods: Array<[FilterGradMethod | undefined, InputGradMethod | undefined]> = [
    ['im2col', 'col2im'],
    ['tconv', 'fullconv'],
    [undefined, undefined],
  ];
  try {
    for (const [method, inputMethod] of methods) {
      setFilterGradMethod(method);
      setInputGradMethod(inputMethod);
      for (const [xs, fs, s, p] of CONV_CASES) {
        const d = await compareBackends(() => {
          const x = t4(xs, 1);
          const f = t4(fs, 2);
          const r = tf.tensor(values(tf.conv2d(x, f, s, p).size, 3), tf.conv2d(x, f, s, p).shape);
          const [dx, df] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(tf.conv2d(a as Tensor4D, b as Tensor4D, s, p), r)))([x, f]);
          return [dx!, df!];
        });
        assert.ok(closeEnough(d), `${method ?? 'auto'} x=${xs} f=${fs} s=${s} ${p}: max err ${d.maxAbsErr} (max |ref| ${d.maxAbsRef})`);
      }
    }
  } finally {
    setFilterGradMethod(undefined);
    setInputGradMethod(undefined);
  }
});

test('Conv2DTranspose forward and gradients (Conv2DBackpropInput as the forward op) match cpu', async () => {
  await ensureWasm();
  const tf = getTf();
  for (const method of ['col2im', 'fullconv'] as const) {
    setInputGradMethod(method);
    for (const [ys, fs, s, p] of [
      [[2, 5, 5, 4], [3, 3, 3, 4], 2, 'same'],
      [[2, 4, 6, 3], [4, 4, 2, 3], 2, 'valid'],
      [[1, 3, 3, 2], [3, 3, 5, 2], 3, 'valid'],
    ] as Array<[[number, number, number, number], [number, number, number, number], number, Pad]>) {
      const outH = p === 'same' ? ys[1] * s : (ys[1] - 1) * s + fs[0];
      const outW = p === 'same' ? ys[2] * s : (ys[2] - 1) * s + fs[1];
      const outShape: [number, number, number, number] = [ys[0], outH, outW, fs[2]];
      const d = await compareBackends(() => {
        const y = t4(ys, 4);
        const f = t4(fs, 5);
        const r = tf.tensor(values(outShape.reduce((a, b) => a * b, 1), 6), outShape);
        const fwd = tf.conv2dTranspose(y, f, outShape, s, p);
        const [dy, df] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(tf.conv2dTranspose(a as Tensor4D, b as Tensor4D, outShape, s, p), r)))([y, f]);
        return [fwd, dy!, df!];
      });
      assert.ok(closeEnough(d), `transpose ${method} y=${ys} f=${fs} s=${s} ${p}: max err ${d.maxAbsErr}`);
    }
  }
  setInputGradMethod(undefined);
});

test('Depthwise conv gradients match cpu (multipliers 1-3, strides 1-2, same/valid)', async () => {
  await ensureWasm();
  const tf = getTf();
  for (const [xs, fs, s, p] of [
    [[2, 7, 7, 3], [3, 3, 3, 1], 1, 'valid'],
    [[2, 8, 8, 4], [3, 3, 4, 2], 2, 'same'],
    [[1, 9, 7, 2], [4, 4, 2, 3], 2, 'same'],
    [[3, 6, 6, 5], [5, 5, 5, 1], 1, 'same'],
    [[2, 10, 9, 3], [2, 3, 3, 2], [2, 1], 'valid'],
  ] as Array<[[number, number, number, number], [number, number, number, number], Stride, Pad]>) {
    const d = await compareBackends(() => {
      const x = t4(xs, 7);
      const f = t4(fs, 8);
      const y = tf.depthwiseConv2d(x, f, s, p);
      const r = tf.tensor(values(y.size, 9), y.shape);
      const [dx, df] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as Tensor4D, b as Tensor4D, s, p), r)))([x, f]);
      return [dx!, df!];
    });
    assert.ok(closeEnough(d), `depthwise x=${xs} f=${fs} s=${s} ${p}: max err ${d.maxAbsErr}`);
  }
});

test('MaxPoolGrad matches cpu on negative and tied inputs (first maximum wins)', async () => {
  await ensureWasm();
  const tf = getTf();
  for (const [xs, size, s, p] of [
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[2, 9, 7, 3], 2, 2, 'valid'],
    [[2, 9, 9, 4], 3, 2, 'same'],
    [[1, 7, 7, 2], 2, 1, 'valid'],
    [[2, 10, 10, 5], 3, 3, 'valid'],
    [[1, 6, 5, 2], [3, 2], [2, 1], 'same'],
  ] as Array<[[number, number, number, number], number | [number, number], Stride, Pad]>) {
    for (const kind of ['ties', 'normal'] as const) {
      const d = await compareBackends(() => {
        const x = t4(xs, 10, kind);
        const y = tf.maxPool(x, size, s, p);
        const r = tf.tensor(values(y.size, 11), y.shape);
        return tf.grad((a: Tensor) => tf.sum(tf.mul(tf.maxPool(a as Tensor4D, size, s, p), r)))(x);
      });
      assert.equal(d.maxAbsErr <= 1e-6 * Math.max(1, d.maxAbsRef), true, `maxPool x=${xs} size=${size} s=${s} ${p} ${kind}: max err ${d.maxAbsErr}`);
    }
  }
  // The case wasm's own kernel got wrong: window [-3, -1, -2, -4] must send dy to the -1.
  await tf.setBackend('wasm');
  const g = tf.tidy(() => tf.grad((a: Tensor) => tf.sum(tf.mul(tf.maxPool(a as Tensor4D, 2, 2, 'valid'), 5)))(tf.tensor4d([-3, -1, -2, -4], [1, 2, 2, 1])));
  assert.deepEqual(Array.from(g.dataSync()), [0, 5, 0, 0]);
  g.dispose();
});

test('Sum over leading axes (bias gradients) matches cpu; other reductions still work', async () => {
  await ensureWasm();
  const tf = getTf();
  const cases: Array<[number[], number[], boolean]> = [
    [[5, 4, 3, 7], [0, 1, 2], false],
    [[5, 4, 3, 7], [0, 1, 2], true],
    [[33, 9], [0], false],
    [[7, 3, 2], [0, 1], false],
    [[6, 5, 4], [1, 0], true],
    [[6, 5, 4], [1, 2], false],
    [[6, 5, 4], [0, 2], false],
    [[6, 5, 4], [0, 1, 2], false],
  ];
  for (const [shape, axes, keepDims] of cases) {
    const d = await compareBackends(() => tf.sum(tf.tensor(values(shape.reduce((a, b) => a * b, 1), 12), shape), axes, keepDims));
    assert.ok(closeEnough(d), `sum ${shape} over ${axes} keepDims=${keepDims}: max err ${d.maxAbsErr}`);
  }
  await tf.setBackend('wasm');
  const s = tf.sum(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), 0);
  assert.equal(s.dtype, 'int32');
  assert.deepEqual(Array.from(s.dataSync()), [4, 6]);
  s.dispose();
});

test('zero-copy Identity: clones share memory and are freed only when the last one goes', async () => {
  await ensureWasm();
  const tf = getTf();
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const a = tf.tensor([1, 2, 3]);
  const b = tf.clone(a);
  a.dispose();
  assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
  b.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('fused conv2d + bias + relu gradients (the training path on wasm) match cpu', async () => {
  await ensureWasm();
  const tf = getTf();
  for (const [activation, s, p] of [
    ['relu', 1, 'valid'],
    ['relu', 2, 'same'],
    ['linear', 1, 'same'],
  ] as Array<['relu' | 'linear', number, Pad]>) {
    const d = await compareBackends(() => {
      const x = t4([3, 9, 9, 4], 13);
      const f = t4([3, 3, 4, 6], 14);
      const bias = tf.tensor1d(values(6, 15));
      const r = tf.tensor(values(tf.conv2d(x, f, s, p).size, 16), tf.conv2d(x, f, s, p).shape);
      const loss = (a: Tensor, b: Tensor, c: Tensor): Tensor =>
        tf.sum(tf.mul(tf.fused.conv2d({ x: a as Tensor4D, filter: b as Tensor4D, bias: c, strides: s, pad: p, activation }), r));
      const [dx, df, db] = tf.grads(loss)([x, f, bias]);
      return [dx!, df!, db!, tf.fused.conv2d({ x, filter: f, bias, strides: s, pad: p, activation })];
    });
    assert.ok(closeEnough(d), `fused ${activation} s=${s} ${p}: max err ${d.maxAbsErr}`);
  }
});

test('native wasm gradients our layers rely on (AvgPoolGrad, resize grads, LeakyReLU, elu) match cpu', async () => {
  await ensureWasm();
  const tf = getTf();
  const cases: Array<[string, (x: Tensor4D) => Tensor]> = [
    ['avgPool 2/2 valid', (x) => tf.avgPool(x, 2, 2, 'valid')],
    ['avgPool 3/2 same', (x) => tf.avgPool(x, 3, 2, 'same')],
    ['resizeBilinear x2', (x) => tf.image.resizeBilinear(x, [x.shape[1] * 2, x.shape[2] * 2])],
    ['resizeNearest x2', (x) => tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2])],
    ['resizeNearest x3 non-square', (x) => tf.image.resizeNearestNeighbor(tf.slice(x, [0, 0, 0, 0], [-1, 5, -1, -1]), [15, 14])],
    ['resizeBilinear non-square', (x) => tf.image.resizeBilinear(tf.slice(x, [0, 0, 0, 0], [-1, 5, -1, -1]), [10, 21])],
    ['leakyRelu', (x) => tf.leakyRelu(x, 0.3)],
    ['elu', (x) => tf.elu(x)],
    ['selu', (x) => tf.selu(x)],
    ['pad+slice', (x) => tf.slice(tf.pad(x, [[0, 0], [1, 2], [2, 1], [0, 0]]), [0, 1, 0, 0], [-1, 6, 7, -1])],
  ];
  for (const [name, op] of cases) {
    const d = await compareBackends(() => {
      const x = t4([2, 7, 7, 3], 17);
      const y = op(x);
      const r = tf.tensor(values(y.size, 18), y.shape);
      return [y, tf.grad((a: Tensor) => tf.sum(tf.mul(op(a as Tensor4D), r)))(x)];
    });
    assert.ok(closeEnough(d), `${name}: max err ${d.maxAbsErr}`);
  }
});

test('bilinear resize gradient keeps non-square shapes on wasm and on our fixed cpu', async () => {
  await ensureWasm();
  const tf = getTf();
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const g = tf.tidy(() => tf.grad((a: Tensor) => tf.sum(tf.image.resizeBilinear(a as Tensor4D, [6, 4])))(tf.ones([1, 3, 2, 1])));
    assert.deepEqual(g.shape, [1, 3, 2, 1]);
    g.dispose();
  }
});

test('nearest resize gradient is right for batch > 1 on wasm and on our fixed cpu (sum of each 2x2 block)', async () => {
  await ensureWasm();
  const tf = getTf();
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    const [got, want] = tf.tidy(() => {
      const x = t4([3, 4, 5, 2], 19);
      const dy = t4([3, 8, 10, 2], 20);
      const g = tf.grad((a: Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(a as Tensor4D, [8, 10]), dy)))(x);
      return [g.dataSync(), tf.mul(tf.avgPool(dy, 2, 2, 'valid'), 4).dataSync()];
    });
    for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) < 1e-4, `${backend} element ${i}: ${got[i]} vs ${want[i]}`);
  }
});

test('BatchMatMul with transposed operands (Dense gradients) and a big right operand matches cpu, batched and broadcast too', async () => {
  await ensureWasm();
  const tf = getTf();
  const cases: Array<[number[], number[], boolean, boolean]> = [
    [[7, 5], [7, 3], true, false],
    [[4, 6], [9, 6], false, true],
    [[6, 4], [9, 6], true, true],
    [[3, 7, 5], [3, 7, 2], true, false],
    [[2, 4, 6], [1, 9, 6], false, true],
    [[1, 6, 4], [5, 9, 6], true, true],
    // a big right operand (a Dense kernel): computed as out^T = b^T a^T, every transpose combination
    [[4, 600], [600, 500], false, false],
    [[600, 4], [600, 500], true, false],
    [[4, 600], [500, 600], false, true],
    [[600, 4], [500, 600], true, true],
    [[1, 3, 600], [1, 600, 450], false, false],
  ];
  for (const [as, bs, ta, tb] of cases) {
    const d = await compareBackends(() => {
      const a = tf.tensor(values(as.reduce((p, q) => p * q, 1), 21), as);
      const b = tf.tensor(values(bs.reduce((p, q) => p * q, 1), 22), bs);
      return tf.matMul(a, b, ta, tb);
    });
    assert.ok(closeEnough(d), `matMul ${as} x ${bs} tA=${ta} tB=${tb}: max err ${d.maxAbsErr}`);
  }
});

test('fused Adam on wasm matches tfjs Adam on cpu: weights, moments and iteration count', async () => {
  await ensureWasm();
  const tf = getTf();
  const states: Float32Array[][] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    const w = tf.variable(tf.tensor2d(values(60, 23), [6, 10]), true, `adamTest_${backend}`);
    const opt = tf.train.adam(0.05, 0.8, 0.95, 1e-6);
    for (let s = 0; s < 4; s++) {
      const target = tf.tensor2d(values(60, 30 + s), [6, 10]);
      opt.minimize(() => tf.sum(tf.square(tf.sub(w, target))) as never);
      target.dispose();
    }
    const weights = await opt.getWeights();
    states.push([w.dataSync() as Float32Array, ...weights.map((nt) => nt.tensor.dataSync() as Float32Array)]);
    opt.dispose();
    w.dispose();
  }
  assert.equal(states[1]!.length, states[0]!.length, 'optimizer state has the same parts');
  states[0]!.forEach((ref, k) => {
    ref.forEach((v, i) => assert.ok(Math.abs(v - states[1]![k]![i]!) <= 1e-5 * Math.max(1, Math.abs(v)), `part ${k}[${i}]: ${v} vs ${states[1]![k]![i]}`));
  });
});

test('Conv2D with dilation > 1 trains: its gradient matches the zero-stretched filter, on cpu and wasm', async () => {
  await ensureWasm();
  const tf = getTf();
  for (const [xs, fs, dil, p] of [
    [[2, 11, 11, 3], [3, 3, 3, 4], 2, 'valid'],
    [[2, 12, 10, 2], [3, 2, 2, 5], [2, 3], 'same'],
    [[1, 9, 9, 4], [2, 2, 4, 3], 3, 'same'],
  ] as Array<[[number, number, number, number], [number, number, number, number], number | [number, number], Pad]>) {
    const [dh, dw] = typeof dil === 'number' ? [dil, dil] : dil;
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const [got, want] = tf.tidy(() => {
        const x = t4(xs, 24);
        const f = t4(fs, 25);
        const r = tf.tensor(values(tf.conv2d(x, f, 1, p, 'NHWC', dil).size, 26), tf.conv2d(x, f, 1, p, 'NHWC', dil).shape);
        const viaDilation = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(tf.conv2d(a as Tensor4D, b as Tensor4D, 1, p, 'NHWC', dil), r)))([x, f]);
        // Reference: an undilated conv with the filter stretched by pad/reshape/slice ops (their own gradients).
        const stretched = (b: Tensor): Tensor4D => {
          const [KH, KW, Ci, Co] = fs;
          const p6 = tf.pad(tf.reshape(b, [KH, 1, KW, 1, Ci, Co]), [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]]);
          return tf.slice(tf.reshape(p6, [KH * dh, KW * dw, Ci, Co]), [0, 0, 0, 0], [(KH - 1) * dh + 1, (KW - 1) * dw + 1, Ci, Co]) as Tensor4D;
        };
        const reference = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(tf.conv2d(a as Tensor4D, stretched(b), 1, p), r)))([x, f]);
        return [viaDilation.map((g) => g.dataSync() as Float32Array), reference.map((g) => g.dataSync() as Float32Array)] as const;
      });
      got.forEach((g, k) => {
        const scale = want[k]!.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
        g.forEach((v, i) => assert.ok(Math.abs(v - want[k]![i]!) <= 2e-5 * scale, `${backend} dil=${dil} ${p} grad ${k}[${i}]: ${v} vs ${want[k]![i]}`));
      });
    }
  }
});
