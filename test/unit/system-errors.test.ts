/**
 * Errors caused outside the program, met by the CLI as a real child process: a model file nested
 * 100,000 levels deep (validate, summary, train), a file where a folder is needed (EEXIST, ENOTDIR), no
 * permission (EACCES), a full disk (ENOSPC, /dev/full), a read-only file system (EROFS, a read-only
 * tmpfs) and a truncated checkpoint. Each names the path and the fix; none prints "internal error".
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { before, describe, it, type TestContext } from 'node:test';
import { serializeModel } from '../../src/core/loader';
import { createModelFromTemplate } from '../../src/core/templates';
import { bundledCli, type CliRun } from './cliProcess.helpers';

const { tmp, run } = bundledCli('cnn-system-errors-');

function assertClear(r: CliRun, pattern: RegExp): void {
  assert.notEqual(r.code, 0, 'a failure exits non-zero');
  assert.match(r.stdout + r.stderr, pattern);
  assert.doesNotMatch(r.stdout + r.stderr, /internal error|Maximum call stack|at Object\.|\.js:\d+/);
}

describe('outside causes get a message naming the path and the fix', () => {
  before(() => {
    writeFileSync(join(tmp, 'm.cnn.json'), serializeModel(createModelFromTemplate('mnist-small')));
    writeFileSync(join(tmp, 'afile'), 'a file, not a folder');
  });

  it('a value nested 100,000 levels deep: validate, summary and train say so', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = readFileSync(join(tmp, 'm.cnn.json'), 'utf8').replace('"filters": 8', `"filters": ${deep}`);
    writeFileSync(join(tmp, 'deep.cnn.json'), text);
    const message = /The file nests values more than 64 levels deep at line \d+, column \d+, and a model file needs about 6: it is damaged or not a CNN Studio model\. Restore it/;
    for (const args of [['validate', 'deep.cnn.json'], ['summary', 'deep.cnn.json'], ['train', 'deep.cnn.json', '--data', tmp]]) {
      assertClear(run(...args), message);
    }
  });

  it('a file where a folder is needed (EEXIST, ENOTDIR)', () => {
    assertClear(run('export', 'm.cnn.json', '--to', 'keras', '--out', 'afile/k.py'), /'.*afile' is a file where a folder is needed \(EEXIST, while trying to create it as a folder\)\. Move or rename that file, or use another path\./);
    assertClear(run('make-dataset', 'shapes', 'afile/data'), /Part of '.*afile\/data\/circle' is a file where a folder is needed \(ENOTDIR, while trying to create it as a folder\)/);
    assertClear(run('validate', 'afile/x.cnn.json'), /Part of 'afile\/x\.cnn\.json' is a file where a folder is needed \(ENOTDIR, while trying to open it\)/);
  });

  it('a full disk (ENOSPC on /dev/full)', () => {
    assertClear(run('export', 'm.cnn.json', '--to', 'keras', '--out', '/dev/full'), /The disk holding '\/dev\/full' is full \(ENOSPC, while trying to write it\)\. Free some space, or use a folder on another disk\./);
  });

  it('no permission (EACCES), as a user other than root', (t: TestContext) => {
    if (process.getuid?.() !== 0) {
      chmodSync(join(tmp, 'm.cnn.json'), 0);
      const r = run('summary', 'm.cnn.json');
      chmodSync(join(tmp, 'm.cnn.json'), 0o644);
      return assertClear(r, /Permission denied for 'm\.cnn\.json' \(EACCES, while trying to open it\)\. Give this user access/);
    }
    // root reads every file: run as 'nobody' on a file only root may read.
    chmodSync(tmp, 0o755);
    writeFileSync(join(tmp, 'locked.cnn.json'), readFileSync(join(tmp, 'm.cnn.json')), { mode: 0o600 });
    const r = spawnSync(process.execPath, [join(tmp, 'cli.js'), 'summary', 'locked.cnn.json'], { cwd: tmp, encoding: 'utf8', uid: 65534, gid: 65534, env: { ...process.env, NODE_PATH: join(__dirname, '..', '..', 'node_modules') } });
    if (r.error) return t.skip(`cannot run as nobody here (${r.error.message})`);
    assertClear({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }, /Permission denied for 'locked\.cnn\.json' \(EACCES, while trying to open it\)\. Give this user access \(e\.g\. chmod u\+rw for a file, u\+rwx for a folder\) or use another path\./);
  });

  it('a read-only file system (EROFS on a read-only tmpfs)', (t: TestContext) => {
    const ro = join(tmp, 'ro');
    mkdirSync(ro);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro], { stdio: 'pipe' });
    } catch (err) {
      return t.skip(`cannot mount a read-only tmpfs here (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    }
    try {
      assertClear(run('export', 'm.cnn.json', '--to', 'pytorch', '--out', join(ro, 'm.py')), /'.*ro\/m\.py' is on a read-only file system \(EROFS, while trying to open it\)\. Use a writable folder, or remount that disk read-write\./);
    } finally {
      execFileSync('umount', [ro], { stdio: 'pipe' });
    }
  });

  it('a truncated checkpoint: evaluate and predict name the file and the other checkpoint', async () => {
    const dir = join(tmp, 'trunc');
    for (const c of ['a', 'b']) {
      mkdirSync(join(dir, 'data', c), { recursive: true });
      for (let i = 0; i < 4; i++) await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: c === 'a' ? 10 * i : 250 - 10 * i, g: 0, b: 0 } } }).png().toFile(join(dir, 'data', c, `${i}.png`));
    }
    const model = createModelFromTemplate('mnist-small');
    model.nodes = [
      { id: 'input', type: 'Input', params: { shape: [8, 8, 1] }, inputs: [] },
      { id: 'flat', type: 'Flatten', params: {}, inputs: ['input'] },
      { id: 'out', type: 'Dense', params: { units: 2, activation: 'softmax' }, inputs: ['flat'] },
    ];
    delete model.dataset;
    writeFileSync(join(dir, 't.cnn.json'), serializeModel(model));
    const t = run('train', join(dir, 't.cnn.json'), '--data', join(dir, 'data'), '--epochs', '1', '--batch-size', '4', '--backend', 'cpu', '--json');
    assert.equal(t.code, 0, t.stderr);
    const runDir = (JSON.parse(t.stdout.trim().split('\n').pop()!) as { runDir: string }).runDir;
    truncateSync(join(runDir, 'best', 'weights.bin'), 17);
    const message = /The checkpoint's weights '.*best\/weights\.bin' hold 17 bytes, but its model\.json lists 520: the file is truncated or damaged\. Use the other checkpoint \(--checkpoint last\) if the run has one, or train the run again\./;
    assertClear(run('evaluate', runDir, '--checkpoint', 'best'), message);
    assertClear(run('predict', runDir, join(dir, 'data', 'a', '0.png'), '--checkpoint', 'best'), message);
  });
});
