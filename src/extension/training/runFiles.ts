/**
 * Reading a run folder back into a dashboard history ("Open Run", "Compare Runs") and writing its metrics
 * as CSV. Uses the engine's run store for the on-disk rules (a run whose process is gone reads as
 * 'interrupted'). Pure Node, no vscode.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelText } from '../../core/loader';
import { readEpochMetrics, readRunRecord, RUN_FILES } from '../../engine/runs/runStore';
import type { EpochMetrics, EvaluationReport, ResolvedConfig, RunRecord, SkippedFile } from '../../protocol/engine';
import type { CompareRun } from '../../protocol/dashboard';
import { describeBackend, emptyRunInfo, RunHistory } from './runHistory';
import { runSettingsFrom } from './runSettings';

function readJsonLenient<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

export interface RunOnDisk {
  readonly record: RunRecord;
  readonly epochs: EpochMetrics[];
  readonly config: Partial<ResolvedConfig>;
  readonly evaluation: EvaluationReport | null;
  readonly settings: Readonly<Record<string, string>>;
}

/** Throws the run store's user-facing `RunError` when the folder is not a run. */
export function readRunFolder(runDir: string): RunOnDisk {
  const record = readRunRecord(runDir);
  const config = readJsonLenient<Partial<ResolvedConfig>>(join(runDir, RUN_FILES.config)) ?? {};
  const modelPath = join(runDir, RUN_FILES.model);
  const model = existsSync(modelPath) ? parseModelText(readFileSync(modelPath, 'utf8')).model : null;
  return {
    record,
    epochs: readEpochMetrics(runDir),
    config,
    evaluation: readJsonLenient<EvaluationReport>(join(runDir, RUN_FILES.evaluation)),
    settings: runSettingsFrom(config, model, record.backend ? describeBackend(record.backend) : undefined),
  };
}

/** A finished (or interrupted) run as a dashboard history: epochs, status and evaluation, no batch points. */
export function historyFromRunFolder(runDir: string): RunHistory {
  const run = readRunFolder(runDir);
  const r = run.record;
  const h = new RunHistory(
    emptyRunInfo({
      runId: r.runId,
      runDir,
      modelName: r.modelName,
      status: r.status,
      backend: r.backend ? describeBackend(r.backend) : '',
      epochsPlanned: r.epochsPlanned,
      batchSize: run.config.batchSize ?? 0,
      classNames: run.config.classNames ?? run.evaluation?.classNames ?? [],
      settings: run.settings,
      // run.json says running only while its engine process is alive (a dead one reads as interrupted):
      // this is another window's run, so this dashboard shows it without controls.
      ...(r.status === 'running' || r.status === 'paused'
        ? { controllable: false, message: `Still ${r.status} in another process (pid ${r.pid}); showing the ${run.epochs.length} epochs written so far. Open the run again to refresh.` }
        : { message: r.message }),
    }),
    run.epochs,
  );
  if (run.evaluation) h.evaluation = run.evaluation;
  return h;
}

export function compareRunFrom(runDir: string): CompareRun {
  const run = readRunFolder(runDir);
  return {
    runId: run.record.runId,
    runDir,
    label: `${run.record.modelName} · ${run.record.runId}`,
    status: run.record.status,
    settings: run.settings,
    epochs: run.epochs,
    bestEpoch: run.record.bestEpoch,
    bestValAccuracy: run.record.bestValAccuracy,
  };
}

const CSV_COLUMNS = ['epoch', 'loss', 'accuracy', 'valLoss', 'valAccuracy', 'learningRate', 'samplesPerSec', 'seconds'] as const;

/** One row per epoch; empty cells where a run had no validation data. */
export function metricsCsv(epochs: readonly EpochMetrics[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const e of epochs) rows.push(CSV_COLUMNS.map((c) => (e[c] === null || e[c] === undefined ? '' : String(e[c]))).join(','));
  return rows.join('\n') + '\n';
}

/**
 * The output channel's lines for the data files a run skipped (its skipped.json), every one by path and
 * reason; none when the run skipped nothing or predates skipped.json.
 */
export function skippedFilesLog(runDir: string): string[] {
  const skipped = readJsonLenient<SkippedFile[]>(join(runDir, RUN_FILES.skipped));
  if (!Array.isArray(skipped) || skipped.length === 0) return [];
  return [`${skipped.length} data file${skipped.length === 1 ? '' : 's'} could not be read and ${skipped.length === 1 ? 'was' : 'were'} skipped (${join(runDir, RUN_FILES.skipped)}):`, ...skipped.map((s) => `  ${s.path}: ${s.reason}`)];
}
