/**
 * `cnn-studio train` as real child processes of a freshly bundled CLI: two trainings started together
 * get two run folders, and SIGTERM / SIGHUP stop a training as cleanly as Ctrl+C.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasCheckpoint } from '../../src/engine/runs/checkpoints';
import { readEpochMetrics, readRunRecord, RUN_FILES } from '../../src/engine/runs/runStore';
import { bundleNodeEntry } from './bundle.helpers';
import { startCli, writeTinyData, writeTinyModel } from './train-processes.helpers';

let root: string;
let cli: string;
let data: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cnn-train-proc-'));
  cli = join(root, 'cli.js');
  data = join(root, 'data');
  await Promise.all([bundleNodeEntry('src/cli/main.ts', cli), writeTinyData(data)]);
});

after(() => rmSync(root, { recursive: true, force: true }));

describe('two trainings at once', () => {
  it('four train processes started together write four separate run folders, each with epochs 1, 2', async () => {
    // Four, not two: processes start a few hundred ms apart, and four make an overlap (the case that
    // mixed two runs into one folder) near certain without the atomic claim.
    const model = writeTinyModel(root, 'twin');
    const args = ['train', model, '--data', data, '--epochs', '2', '--backend', 'wasm', '--json'];
    const results = await Promise.all([0, 1, 2, 3].map(() => startCli(cli, args, root).done));
    const dirs = results.map((r) => {
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;
    });
    assert.equal(new Set(dirs).size, 4, `run folders: ${dirs.join(', ')}`);
    assert.deepEqual(readdirSync(join(root, '.cnn-studio', 'runs', 'twin')).sort(), dirs.map((d) => basename(d)).sort());
    for (const dir of dirs) {
      assert.deepEqual(readEpochMetrics(dir).map((m) => m.epoch), [1, 2], dir);
      assert.equal(readRunRecord(dir).status, 'finished');
    }
  });
});

describe('signals', () => {
  for (const [signal, exitCode] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} stops the training like Ctrl+C: run.json says stopped, the last finished epoch is kept`, async () => {
      const model = writeTinyModel(root, `sig-${signal.toLowerCase()}`, (m) => (m.training.batchSize = 1));
      const run = startCli(cli, ['train', model, '--data', data, '--epochs', '1000', '--backend', 'wasm', '--json'], root);
      await run.waitFor(/"epoch":1,/);
      run.child.kill(signal);
      const f = await run.done;
      assert.equal(f.signal, null, `the process was killed by ${f.signal} instead of stopping itself:\n${f.stderr}`);
      assert.equal(f.code, exitCode, f.stderr);
      const summary = JSON.parse(f.stdout.trim().split('\n').pop()!) as { runDir: string; status: string; epochs: number; message: string };
      assert.equal(summary.status, 'stopped');
      assert.equal(summary.message, `Stopped by ${signal}.`);
      const record = readRunRecord(summary.runDir);
      assert.equal(record.status, 'stopped');
      assert.equal(record.message, `Stopped by ${signal}.`);
      assert.ok(record.epochsCompleted >= 1 && record.epochsCompleted < 1000);
      assert.deepEqual(readEpochMetrics(summary.runDir).map((m) => m.epoch), Array.from({ length: record.epochsCompleted }, (_, i) => i + 1));
      assert.ok(hasCheckpoint(join(summary.runDir, RUN_FILES.last)), 'last/ checkpoint kept');
      assert.match(f.stderr, new RegExp(`Stopping after the current batch \\(${signal}\\)`));
      assert.deepEqual(readdirSync(summary.runDir).filter((n) => n.includes('.tmp-') || n.includes('.old-')), [], 'no temp files left');
    });
  }
});
