/**
 * `cnn-studio train m.cnn.json --backend webgpu` trains every template, and evaluate / predict run on
 * webgpu, as real processes from a fresh CLI bundle. In CI the adapter is Mesa's software Vulkan driver
 * (scripts/install.sh --test); where there is no adapter at all the tests are skipped with
 * "skipped: no WebGPU adapter (<why>)".
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { TEMPLATES } from '../../src/core/templates';
import { BackendUnavailableError, initBackend } from '../../src/engine/backend/selectBackend';
import type { RunRecord } from '../../src/protocol/engine';
import { bundleNodeEntry } from './bundle.helpers';

const root = join(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'cnn-cli-webgpu-'));
const cli = join(tmp, 'cli.js');

let unavailable: string | undefined;
before(async () => {
  await bundleNodeEntry('src/cli/main.ts', cli);
  try {
    await initBackend('webgpu');
  } catch (err) {
    if (!(err instanceof BackendUnavailableError)) throw err;
    unavailable = err.message;
  }
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function skipWithoutAdapter(t: TestContext): boolean {
  if (unavailable) t.skip(`skipped: no WebGPU adapter (${unavailable})`);
  return unavailable !== undefined;
}

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NODE_PATH: join(root, 'node_modules') } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const runDirs = new Map<string, string>();

test('every template trains one epoch with --backend webgpu, and run.json names the adapter', async (t) => {
  if (skipWithoutAdapter(t)) return;
  // 8 images per class, small: this checks that every layer runs and trains, not how well.
  const data = run('make-dataset', 'shapes', 'data', '--per-class', '8', '--size', '32');
  assert.equal(data.code, 0, data.stderr);
  for (const { id } of TEMPLATES) {
    assert.equal(run('new', id, `${id}.cnn.json`).code, 0);
    const r = run('train', `${id}.cnn.json`, '--data', 'data', '--epochs', '1', '--batch-size', '8', '--backend', 'webgpu', '--json');
    assert.equal(r.code, 0, `${id}: ${r.stderr}`);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const epoch = lines[0]!;
    assert.ok(Number.isFinite(epoch['loss']), `${id}: loss ${String(epoch['loss'])}`);
    const done = lines[lines.length - 1]!;
    assert.equal(done['backend'], 'webgpu', id);
    assert.equal(done['status'], 'finished', id);
    const record = JSON.parse(readFileSync(join(String(done['runDir']), 'run.json'), 'utf8')) as RunRecord;
    assert.equal(record.backend.name, 'webgpu');
    assert.ok(record.backend.adapter && (record.backend.adapter.vendor || record.backend.adapter.description), `${id}: no adapter in run.json`);
    if (record.backend.adapter.software) assert.match(r.stderr, /webgpu runs on a software adapter, .*trains slower than wasm/);
    runDirs.set(id, String(done['runDir']));
  }
});

test('evaluate and predict run on webgpu', async (t) => {
  if (skipWithoutAdapter(t)) return;
  const runDir = runDirs.get('mnist-small');
  assert.ok(runDir, 'the training test did not leave a mnist-small run');
  const ev = run('evaluate', runDir, '--backend', 'webgpu', '--json');
  assert.equal(ev.code, 0, ev.stderr);
  const report = JSON.parse(ev.stdout) as { numSamples: number; accuracy: number };
  assert.ok(report.numSamples > 0 && report.accuracy >= 0 && report.accuracy <= 1, ev.stdout);
  const pr = run('predict', runDir, join('data', 'circle'), '--top', '2', '--backend', 'webgpu', '--json');
  assert.equal(pr.code, 0, pr.stderr);
  assert.match(pr.stdout, /circle_0000\.png/);
});
