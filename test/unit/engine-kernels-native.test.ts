/**
 * The native kernels (native/src/cnn_native.cc on OpenBLAS, src/engine/backend/native/) against tfjs'
 * `cpu` backend: the whole wasm kernel suite and the every-catalogue-layer training suite run again with
 * the native addon active, plus the cases only the native path has (batched and broadcast GEMMs, fused
 * bias + relu, dilated and explicitly padded convolutions, 1x1 convolutions that skip im2col).
 * CI builds the addon (scripts/install.sh installs libopenblas-dev), so there a missing addon fails;
 * elsewhere the suite is skipped with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { getBackendInfo, getTf, initBackend } from '../../src/engine/backend/selectBackend';
import { loadNative } from '../../src/engine/backend/native/loadNative';
import { closeEnough, compareBackends, ensureWasm, kernelsUnderTest, values } from './engine-kernels.helpers';

const native = loadNative();
const skip = !native.ok && process.env['CI'] !== 'true' ? `native kernels not available: ${native.reason}` : false;

if (!skip) {
  kernelsUnderTest('native');
  // The shared suites, now comparing cpu with the native kernels (registered on import, run in order).
  require('./engine-kernels.test');
  require('./engine-kernels-layers.test');
}

const t = (shape: number[], seed: number): Tensor => getTf().tensor(values(shape.reduce((a, b) => a * b, 1), seed), shape);

test('the native backend says what runs: OpenBLAS with a core type this CPU has', { skip }, async () => {
  const info = await ensureWasm().then(() => getBackendInfo());
  assert.equal(info?.name, 'native');
  assert.match(info?.kernels ?? '', /^OpenBLAS \w+/);
  assert.ok((info?.threads ?? 0) >= 1);
});

test('native matmuls match cpu: transposes, batches, a broadcast matrix, fused bias and relu', { skip }, async () => {
  const tf = getTf();
  const cases: Array<[number[], number[], boolean, boolean]> = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[4, 5, 7], [4, 7, 3], false, false],
    [[4, 7, 5], [1, 3, 7], true, true],
    [[1, 5, 7], [4, 7, 3], false, false],
    [[2, 3, 5, 6], [2, 3, 6, 2], false, false],
  ];
  for (const [as, bs, ta, tb] of cases) {
    const d = await compareBackends(() => tf.matMul(t(as, 1), t(bs, 2), ta, tb));
    assert.ok(closeEnough(d), `matMul ${as} x ${bs} ${ta} ${tb}: ${d.maxAbsErr}`);
  }
  for (const activation of ['linear', 'relu'] as const) {
    const d = await compareBackends(() => tf.fused.matMul({ a: t([6, 9], 3), b: t([9, 4], 4), bias: t([4], 5), activation }));
    assert.ok(closeEnough(d), `fused matMul ${activation}: ${d.maxAbsErr}`);
  }
});

test('native convolutions match cpu: dilation, explicit padding, 1x1, fused bias + relu, odd sizes', { skip }, async () => {
  const tf = getTf();
  type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  const cases: Array<[number[], number[], number | [number, number], Pad, number | [number, number]]> = [
    [[2, 9, 9, 3], [3, 3, 3, 4], 1, 'same', 2],
    [[1, 11, 7, 2], [3, 2, 2, 3], 1, 'valid', [2, 3]],
    [[2, 8, 7, 3], [3, 3, 3, 2], 2, [[0, 0], [1, 2], [2, 0], [0, 0]], 1],
    [[3, 5, 5, 6], [1, 1, 6, 4], 1, 'valid', 1],
    [[2, 5, 6, 6], [1, 1, 6, 4], 2, 'same', 1],
    [[1, 28, 28, 1], [5, 5, 1, 3], 1, 'same', 1],
  ];
  for (const [xs, fs, s, p, dil] of cases) {
    const d = await compareBackends(() => tf.conv2d(t(xs, 1) as Tensor4D, t(fs, 2) as Tensor4D, s, p, 'NHWC', dil));
    assert.ok(closeEnough(d), `conv2d x=${xs} f=${fs} s=${s} p=${JSON.stringify(p)} dil=${dil}: ${d.maxAbsErr}`);
  }
  for (const activation of ['linear', 'relu'] as const) {
    const d = await compareBackends(() => {
      const x = t([2, 7, 6, 3], 4) as Tensor4D;
      const f = t([3, 3, 3, 5], 5) as Tensor4D;
      const b = t([5], 6);
      const r = t([2, 7, 6, 5], 7);
      // Under tf.grads the fused conv takes our training path: FusedConv2D forward, the native
      // relu/bias gradient, both conv gradients.
      const [dx, df, db] = tf.grads((a: Tensor, w: Tensor, bias: Tensor) =>
        tf.sum(tf.mul(tf.fused.conv2d({ x: a as Tensor4D, filter: w as Tensor4D, bias, strides: 1, pad: 'same', activation }), r)),
      )([x, f, b]);
      return [tf.fused.conv2d({ x, filter: f, bias: b, strides: 1, pad: 'same', activation }), dx!, df!, db!];
    });
    assert.ok(closeEnough(d), `fused conv ${activation} forward and gradients: ${d.maxAbsErr}`);
  }
});

test("switching to 'wasm' turns the native kernels off, and back", { skip }, async () => {
  await ensureWasm();
  assert.equal((await initBackend('wasm')).name, 'wasm');
  assert.equal(getBackendInfo()?.kernels, undefined);
  assert.equal((await initBackend('native')).name, 'native');
});
