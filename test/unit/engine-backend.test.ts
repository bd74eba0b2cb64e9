/**
 * Backend selection: what 'auto' picks on a machine without tfjs-node, the errors an explicit choice
 * that cannot be met gives, and that the chosen backend really computes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendUnavailableError, getBackendInfo, getTf, initBackend, type BackendPreference } from '../../src/engine/backend/selectBackend';
import { loadNative } from '../../src/engine/backend/native/loadNative';

function tfjsNodeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

test("'auto' without tfjs-node starts native kernels on wasm (plain wasm without them), SIMD, and says why tensorflow was skipped", { skip: tfjsNodeInstalled() && 'tfjs-node is installed here' }, async () => {
  const info = await initBackend('auto');
  const native = loadNative();
  assert.equal(info.name, native.ok ? 'native' : 'wasm');
  if (native.ok) assert.match(info.kernels ?? '', /^OpenBLAS /);
  else assert.match(info.fallbackReason ?? '', /native: /);
  assert.equal(info.simd, true);
  assert.ok(info.threads >= 1);
  assert.match(info.tfjsVersion, /^\d+\.\d+\.\d+/);
  assert.match(info.fallbackReason ?? '', /tfjs-node is not installed/);
  assert.deepEqual(getBackendInfo(), info);
  const tf = getTf();
  assert.equal(tf.getBackend(), 'wasm');
  const y = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2]));
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4]);
});

test("'tensorflow' without tfjs-node fails with a message that names the fix", { skip: tfjsNodeInstalled() && 'tfjs-node is installed here' }, async () => {
  await assert.rejects(initBackend('tensorflow'), (err: unknown) => {
    assert.ok(err instanceof BackendUnavailableError);
    assert.equal(err.userFacing, true);
    assert.match(err.message, /npm i @tensorflow\/tfjs-node/);
    assert.match(err.message, /choose backend 'wasm'/);
    return true;
  });
});

test("explicit 'cpu' and 'wasm' start exactly those backends, with no fallback reason", async () => {
  for (const pref of ['cpu', 'wasm'] as const) {
    const info = await initBackend(pref);
    assert.equal(info.name, pref);
    assert.equal(info.fallbackReason, undefined);
    assert.equal(getTf().getBackend(), pref);
    assert.equal(getTf().sum(getTf().tensor1d([1, 2, 3])).dataSync()[0], 6);
  }
});

test('an unknown preference is a user-facing error listing the choices', async () => {
  await assert.rejects(initBackend('gpu' as BackendPreference), /Unknown backend 'gpu': choose one of auto, tensorflow, webgpu, native, wasm, cpu/);
});
