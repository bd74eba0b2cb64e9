/**
 * wasm with 2 XNNPACK threads (tfjs' threaded build, started under Node by wasmThreads.ts): it starts,
 * computes the same gradients as cpu, and the process still exits on its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('wasm with 2 threads starts, matches cpu and lets the process exit', () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'engine-backend-threads.child.ts')], {
    encoding: 'utf8',
    timeout: 60_000, // a process kept alive by the pool's workers would hit this
  });
  assert.equal(child.error, undefined, `child did not finish: ${String(child.error)}`);
  assert.equal(child.status, 0, child.stderr);
  const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as { threads: number; simd: boolean; maxRelErr: number };
  assert.equal(out.threads, 2);
  assert.equal(out.simd, true);
  assert.ok(out.maxRelErr < 1e-5, `max relative gradient difference ${out.maxRelErr}`);
});
