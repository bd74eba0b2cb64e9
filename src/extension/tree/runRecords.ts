/**
 * Runs on disk (`.cnn-studio/runs/<model>/<run-id>/run.json`) matched to the model file they belong
 * to. Pure (no vscode) so the matching rule is unit-tested.
 */
import { modelFolderName } from '../../engine/runs/runStore';
import type { RunRecord } from '../../protocol/engine';

export interface FoundRun {
  /** Absolute folder of the run. */
  readonly runDir: string;
  /** The `<model>` folder name the run sits in. */
  readonly modelFolder: string;
  readonly record: Partial<RunRecord> & { readonly runId: string };
}

/** `a/b/mnist.cnn.json` → `mnist`. */
export function modelBaseName(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  return file.replace(/\.cnn\.json$/i, '');
}

/** Reads a run.json's text leniently: a run being written or from another version still lists. */
export function parseRunRecord(text: string, runDir: string): FoundRun['record'] {
  const fallbackId = runDir.split(/[\\/]/).pop() ?? runDir;
  try {
    const raw: unknown = JSON.parse(text);
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const r = raw as Partial<RunRecord>;
      return { ...r, runId: typeof r.runId === 'string' ? r.runId : fallbackId };
    }
  } catch {
    // unreadable: listed by its folder name only
  }
  return { runId: fallbackId };
}

/** A run belongs to a model when its folder or recorded model name is the model's name or file name. */
export function runBelongsTo(run: FoundRun, modelPath: string, modelName: string | undefined): boolean {
  // The engine names the folder after the model's name (modelFolderName); older runs may use the file name.
  const names = new Set([modelBaseName(modelPath), ...(modelName ? [modelName, modelFolderName(modelName)] : [])]);
  return names.has(run.modelFolder) || (run.record.modelName !== undefined && names.has(run.record.modelName));
}

/** One line for the tree: status, epochs and the best validation accuracy. */
export function describeRun(record: FoundRun['record']): string {
  const parts: string[] = [];
  if (record.status) parts.push(record.status);
  if (record.epochsCompleted !== undefined && record.epochsPlanned !== undefined) parts.push(`${record.epochsCompleted}/${record.epochsPlanned} epochs`);
  if (typeof record.bestValAccuracy === 'number') parts.push(`best val acc ${(record.bestValAccuracy * 100).toFixed(1)}%`);
  return parts.join(' · ');
}
