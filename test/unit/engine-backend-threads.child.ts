/**
 * Child process of engine-backend-threads.test.ts (wasm can be initialised once per process): starts
 * wasm with 2 threads, checks a conv net's gradients against cpu, prints one JSON line and then must
 * exit BY ITSELF (the pool's workers are unref'd).
 */
import type { Tensor, Tensor4D } from '@tensorflow/tfjs';
import { getTf, initBackend } from '../../src/engine/backend/selectBackend';
import { values } from './engine-kernels.helpers';

async function main(): Promise<void> {
  const info = await initBackend('wasm', { threads: 2 });
  const tf = getTf();
  const results: Float32Array[][] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    results.push(
      tf.tidy(() => {
        const x = tf.tensor4d(values(4 * 20 * 20 * 6, 1), [4, 20, 20, 6]);
        const f = tf.tensor4d(values(3 * 3 * 6 * 16, 2), [3, 3, 6, 16]);
        const loss = (a: Tensor, b: Tensor): Tensor => tf.sum(tf.square(tf.relu(tf.conv2d(a as Tensor4D, b as Tensor4D, 1, 'same'))));
        return tf.grads(loss)([x, f]).map((g) => g.dataSync() as Float32Array);
      }),
    );
  }
  let maxRelErr = 0;
  results[0]!.forEach((ref, k) => {
    const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    ref.forEach((v, i) => (maxRelErr = Math.max(maxRelErr, Math.abs(v - results[1]![k]![i]!) / scale)));
  });
  process.stdout.write(JSON.stringify({ threads: info.threads, simd: info.simd, maxRelErr }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err) + '\n');
  process.exitCode = 1;
});
