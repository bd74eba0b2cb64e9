/**
 * Claiming a run folder so no two trainings ever share one (two `train` commands started together, or
 * the CLI and VS Code): the folder is created with a plain `mkdir` of its final name, which the file
 * system lets exactly one process win; the loser gets EEXIST and takes the next id. Checking first
 * and creating later (what this replaced) let both processes pick the same id and mix their epochs.
 */
import { closeSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeWriteFailure } from './writeFailure';
import { modelFolderName, RUN_FILES, RunError, runsFolder } from './runStore';

export interface ClaimedRunDir {
  readonly runId: string;
  readonly runDir: string;
  /** Undoes the claim when the run never starts (bad data, a model that does not build): removes what the claim made. */
  readonly release: () => void;
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** `20261125-194012`, local time. */
function timestampId(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

function makeParent(parent: string): void {
  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw describeWriteFailure(err, parent, 'create the runs folder');
  }
}

/** A new folder `<runsRoot>/.cnn-studio/runs/<model>/<timestamp>[-2, -3 …]`, created by this process only. */
export function claimNewRunDir(runsRoot: string, modelName: string, now = new Date()): ClaimedRunDir {
  const parent = join(runsFolder(runsRoot), modelFolderName(modelName));
  makeParent(parent);
  const base = timestampId(now);
  for (let i = 1; ; i++) {
    const runId = i === 1 ? base : `${base}-${i}`;
    const runDir = join(parent, runId);
    try {
      mkdirSync(runDir);
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') continue;
      throw describeWriteFailure(err, runDir, 'create the run folder');
    }
    return { runId, runDir, release: () => rmSync(runDir, { recursive: true, force: true }) };
  }
}

/**
 * The folder the user named (`--out`): created if absent; an existing one must be empty, and is then
 * claimed by creating its run.json exclusively (`wx`), which again only one process can do.
 */
export function claimRunDirAt(runDir: string, runId: string): ClaimedRunDir {
  makeParent(join(runDir, '..'));
  try {
    mkdirSync(runDir);
    return { runId, runDir, release: () => rmSync(runDir, { recursive: true, force: true }) };
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw describeWriteFailure(err, runDir, 'create the run folder');
  }
  let entries: string[];
  try {
    entries = readdirSync(runDir);
  } catch (err) {
    throw describeWriteFailure(err, runDir, 'use the run folder');
  }
  const taken = () => new RunError(`'${runDir}' already holds a run. Choose another --out folder, or continue that run with --continue.`);
  if (entries.includes(RUN_FILES.record)) throw taken();
  if (entries.length > 0) throw new RunError(`'${runDir}' is not empty (it has ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ' …' : ''}). Choose a new or empty --out folder.`);
  const record = join(runDir, RUN_FILES.record);
  try {
    closeSync(openSync(record, 'wx'));
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw taken();
    throw describeWriteFailure(err, runDir, 'write to the run folder');
  }
  return {
    runId,
    runDir,
    // The folder was the user's before: only what the claim put in it goes.
    release: () => {
      for (const name of readdirSync(runDir)) rmSync(join(runDir, name), { recursive: true, force: true });
    },
  };
}
