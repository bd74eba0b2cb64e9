/**
 * The CLI as a real child process, from a bundle built like dist/cli.js into a fresh temp folder (so a
 * test never depends on a stale dist/). Call `bundledCli` at the top of a test file: it registers the
 * build (before) and the clean-up (after) with node:test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { bundleNodeEntry } from './bundle.helpers';

const root = join(__dirname, '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function bundledCli(prefix: string): { tmp: string; run: (...args: string[]) => CliRun } {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const cli = join(tmp, 'cli.js');
  before(() => bundleNodeEntry('src/cli/main.ts', cli));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const run = (...args: string[]): CliRun => {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NODE_PATH: join(root, 'node_modules') } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  return { tmp, run };
}
