/**
 * The wasm threads option on the training path: `cnn-studio train --threads 2` trains on tfjs' threaded
 * wasm build and its run.json records 2 threads; bad values are refused before anything starts; the
 * default policy (defaultWasmThreads) is half the CPUs, 1 to 4.
 * Own file on purpose: only the first wasm start of a process can choose the thread count.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createModelFromTemplate } from '../../src/core/templates';
import type { RunRecord } from '../../src/protocol/engine';
import { runCli } from '../../src/cli/main';
import { defaultWasmThreads } from '../../src/engine/backend/selectBackend';
import { writeSyntheticDataset } from '../../src/engine/data/synthetic';

let root: string;
let modelPath: string;
let data: string;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), isTty: false, signal: new AbortController().signal }, out, err };
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cnn-threads-'));
  data = join(root, 'data');
  await writeSyntheticDataset('stripes', data, { perClass: 20, size: 16, seed: 5 });
  const model = createModelFromTemplate('mnist-small', 'threads');
  model.nodes[0]!.params['shape'] = [16, 16, 1];
  model.nodes.find((n) => n.id === 'conv2')!.params['kernelSize'] = [3, 3];
  model.nodes.find((n) => n.id === 'output')!.params['units'] = 3;
  modelPath = join(root, 'm.cnn.json');
  writeFileSync(modelPath, JSON.stringify(model));
});

after(() => rmSync(root, { recursive: true, force: true }));

describe('wasm threads option', () => {
  it('defaultWasmThreads: half the CPUs, at least 1, at most 4', () => {
    assert.equal(defaultWasmThreads(1), 1);
    assert.equal(defaultWasmThreads(2), 1);
    assert.equal(defaultWasmThreads(3), 1);
    assert.equal(defaultWasmThreads(6), 3);
    assert.equal(defaultWasmThreads(8), 4);
    assert.equal(defaultWasmThreads(64), 4);
  });

  for (const bad of ['0', 'abc', '1.5']) {
    it(`train --threads ${bad} is refused with a message naming the flag`, async () => {
      const r = io();
      const code = await runCli(['train', modelPath, '--data', data, '--epochs', '1', '--backend', 'wasm', '--threads', bad, '--json'], r.io);
      assert.notEqual(code, 0);
      assert.match(r.err.join(''), new RegExp(`--threads must be a whole number ≥ 1, got '${bad.replace('.', '\\.')}'`));
      assert.equal(r.out.join(''), '', 'nothing trained');
    });
  }

  it('train --threads 2 --json trains on wasm and run.json records 2 threads', { timeout: 60_000 }, async () => {
    const r = io();
    const code = await runCli(['train', modelPath, '--data', data, '--epochs', '1', '--batch-size', '16', '--backend', 'wasm', '--threads', '2', '--json'], r.io);
    assert.equal(code, 0, r.err.join(''));
    const summary = JSON.parse(r.out.join('').trim().split('\n').pop()!) as { runDir: string; backend: string; status: string; epochs: number };
    assert.equal(summary.backend, 'wasm');
    assert.equal(summary.status, 'finished');
    assert.equal(summary.epochs, 1);
    const record = JSON.parse(readFileSync(join(summary.runDir, 'run.json'), 'utf8')) as RunRecord;
    assert.equal(record.backend.name, 'wasm');
    assert.equal(record.backend.threads, 2);
  });
});
