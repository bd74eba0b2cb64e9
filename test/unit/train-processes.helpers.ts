/**
 * What the tests of `cnn-studio train` as real child processes share: a freshly bundled CLI (built like
 * dist/cli.js), a tiny model (Flatten + Dense on 12×12 grey images) and a tiny generated dataset, so a
 * training epoch takes milliseconds and the tests measure behaviour, not speed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createModelFromTemplate } from '../../src/core/templates';
import type { ModelFile } from '../../src/core/format';
import { writeSyntheticDataset } from '../../src/engine/data/synthetic';

const repo = join(__dirname, '..', '..');

/** Input 12×12×1 → Flatten → Dense(3, softmax): 435 parameters. */
export function tinyModel(name: string, patch: (m: ModelFile) => void = () => undefined): ModelFile {
  const m = createModelFromTemplate('mnist-small', name);
  m.nodes = [
    { id: 'input', type: 'Input', params: { shape: [12, 12, 1] }, inputs: [] },
    { id: 'flatten', type: 'Flatten', params: {}, inputs: ['input'] },
    { id: 'output', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['flatten'] },
  ];
  m.training = { ...m.training, epochs: 2, batchSize: 8, validationSplit: 0.25, seed: 7 };
  patch(m);
  return m;
}

export function writeTinyModel(dir: string, name: string, patch?: (m: ModelFile) => void): string {
  const path = join(dir, `${name}.cnn.json`);
  writeFileSync(path, JSON.stringify(tinyModel(name, patch), null, 2));
  return path;
}

/** 3 shape classes × `perClass` 12×12 PNGs. */
export async function writeTinyData(dir: string, perClass = 8): Promise<void> {
  await writeSyntheticDataset('shapes', dir, { perClass, size: 12, seed: 3 });
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliChild {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves when stdout has printed a line matching `re`. */
  readonly waitFor: (re: RegExp) => Promise<void>;
  readonly done: Promise<Finished>;
}

export function startCli(cli: string, args: readonly string[], cwd: string): CliChild {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NODE_PATH: join(repo, 'node_modules') } });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
    for (const w of [...waiters]) if (w.re.test(stdout)) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
  });
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const waitFor = (re: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (re.test(stdout)) return resolve();
      waiters.push({ re, resolve });
      void done.then((f) => reject(new Error(`the CLI ended (code ${f.code}, signal ${f.signal}) before printing ${re}:\n${f.stdout}\n${f.stderr}`)));
    });
  return { child, waitFor, done };
}
