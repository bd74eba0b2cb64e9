/** Opening a finished (or running) run for evaluation, prediction and feature maps. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { ModelFile } from '../../core/format';
import { parseModelText } from '../../core/loader';
import type { CheckpointName, ResolvedConfig, RunRecord } from '../../protocol/engine';
import type { Tf } from '../backend/tfNamespace';
import { buildTfModel } from '../model/buildTfModel';
import { hasCheckpoint, loadCheckpoint } from '../runs/checkpoints';
import { readJson, readRunRecord, RUN_FILES, RunError } from '../runs/runStore';

export interface OpenedRun {
  readonly runDir: string;
  readonly record: RunRecord;
  readonly config: ResolvedConfig;
  readonly model: ModelFile;
}

export function openRun(runDir: string): OpenedRun {
  const dir = resolve(runDir);
  if (!existsSync(join(dir, RUN_FILES.record))) {
    throw new RunError(`'${dir}' is not a run folder (no run.json). Runs are under '.cnn-studio/runs/<model>/<run-id>/' next to the model file.`);
  }
  const record = readRunRecord(dir);
  const config = readJson<ResolvedConfig>(join(dir, RUN_FILES.config), 'The run configuration');
  const parsed = parseModelText(readFileSync(join(dir, RUN_FILES.model), 'utf8'));
  if (!parsed.model) throw new RunError(`The run's model snapshot '${join(dir, RUN_FILES.model)}' cannot be read: ${parsed.diagnostics[0]?.message ?? 'unknown problem'}.`);
  return { runDir: dir, record, config, model: parsed.model };
}

/** The checkpoint to use: the one asked for, else `best`, falling back to `last` (a run without validation improvements has both). */
export function pickCheckpoint(run: OpenedRun, wanted: CheckpointName | undefined): CheckpointName {
  const order: CheckpointName[] = wanted ? [wanted] : ['best', 'last'];
  const found = order.find((c) => hasCheckpoint(join(run.runDir, c)));
  if (!found) {
    throw new RunError(
      wanted
        ? `The run has no '${wanted}' checkpoint. ${hasCheckpoint(join(run.runDir, 'last')) ? "Use the 'last' checkpoint." : 'It ended before its first epoch finished; train again.'}`
        : `The run '${run.runDir}' has no checkpoint: it ended before its first epoch finished. Train again.`,
    );
  }
  return found;
}

export function loadRunModel(tf: Tf, run: OpenedRun, checkpoint: CheckpointName): LayersModel {
  const model = buildTfModel(tf, run.model);
  loadCheckpoint(tf, model, join(run.runDir, checkpoint));
  return model;
}
