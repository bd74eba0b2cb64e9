/**
 * Runs on disk, without tfjs (the extension host lists runs with this too):
 *
 *   <runsRoot>/.cnn-studio/runs/<model-name>/<run-id>/
 *     model.cnn.json    the model as trained (snapshot)
 *     config.json       the resolved training configuration
 *     metrics.jsonl     one EpochMetrics per line, appended and flushed every epoch
 *     run.json          RunRecord: status, backend, versions, timings, best epoch
 *     best/, last/      weights in TF.js format (model.json + weights.bin)
 *     evaluation.json   after `evaluate`
 *
 * A run whose run.json says running/paused but whose process is gone was killed: it is reported as
 * 'interrupted' (and can be continued from `last/`).
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochMetrics, RunRecord, RunSummary } from '../../protocol/engine';
import { EngineUserError } from '../data/errors';

export const RUN_FILES = {
  model: 'model.cnn.json',
  config: 'config.json',
  metrics: 'metrics.jsonl',
  record: 'run.json',
  evaluation: 'evaluation.json',
  /** Every file (or folder) of the dataset that could not be read, with the reason: SkippedFile[]. */
  skipped: 'skipped.json',
  best: 'best',
  last: 'last',
} as const;

/** A run folder or file that cannot be used; the message says which and what to do. */
export class RunError extends EngineUserError {
  constructor(message: string) {
    super('run-not-found', message);
  }
}

export function runsFolder(runsRoot: string): string {
  return join(runsRoot, '.cnn-studio', 'runs');
}

/** A model name made safe as a folder name. */
export function modelFolderName(modelName: string): string {
  const safe = modelName.trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return safe || 'model';
}

/** Writes via a temporary file and a rename, so a kill mid-write never leaves half a JSON file. */
export function writeTextAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    // A full disk: the previous file stays whole, and no half-written temp file is left beside it.
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeTextAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

export function readJson<T>(path: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new RunError(`${what} '${path}' is missing. Is this a CNN Studio run folder (it has run.json and config.json)?`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new RunError(`${what} '${path}' is not valid JSON (${err instanceof Error ? err.message : String(err)}). The run folder is damaged.`);
  }
}

export function ensureDir(path: string): void {
  mkdirSync(path, { recursive: true });
}

/** Appends one epoch and flushes it to disk, so a killed run keeps every finished epoch. */
export function appendEpochMetrics(runDir: string, metrics: EpochMetrics): void {
  const path = join(runDir, RUN_FILES.metrics);
  appendFileSync(path, JSON.stringify(metrics) + '\n');
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every complete line of metrics.jsonl (a torn last line from a kill is ignored). */
export function readEpochMetrics(runDir: string): EpochMetrics[] {
  const path = join(runDir, RUN_FILES.metrics);
  if (!existsSync(path)) return [];
  const out: EpochMetrics[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as EpochMetrics);
    } catch {
      // torn write at the moment the process died
    }
  }
  return out;
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** run.json, with a dead owner turned into 'interrupted'. */
export function readRunRecord(runDir: string): RunRecord {
  const record = readJson<RunRecord>(join(runDir, RUN_FILES.record), 'The run record');
  if ((record.status === 'running' || record.status === 'paused') && record.pid !== process.pid && !isProcessAlive(record.pid)) {
    return { ...record, status: 'interrupted', message: record.message ?? 'The training process ended while the run was going (killed, crashed or out of memory).' };
  }
  return record;
}

export function writeRunRecord(runDir: string, record: RunRecord): void {
  writeJsonAtomic(join(runDir, RUN_FILES.record), record);
}

export function readRun(runDir: string): RunSummary {
  return { runDir, record: readRunRecord(runDir), hasEvaluation: existsSync(join(runDir, RUN_FILES.evaluation)) };
}

/** Every run under `<runsRoot>/.cnn-studio/runs/`, newest first; damaged folders are left out. */
export function listRuns(runsRoot: string): RunSummary[] {
  const root = runsFolder(runsRoot);
  if (!existsSync(root)) return [];
  const out: RunSummary[] = [];
  for (const model of readdirSync(root, { withFileTypes: true })) {
    if (!model.isDirectory()) continue;
    for (const run of readdirSync(join(root, model.name), { withFileTypes: true })) {
      if (!run.isDirectory()) continue;
      const dir = join(root, model.name, run.name);
      if (!existsSync(join(dir, RUN_FILES.record))) continue;
      try {
        out.push(readRun(dir));
      } catch {
        // a damaged run.json: skip rather than hide every other run
      }
    }
  }
  return out.sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
}
