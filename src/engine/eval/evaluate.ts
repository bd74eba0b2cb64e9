/**
 * Evaluating a run: the run's own validation split (re-made with its seed) or a separate labelled
 * folder/file; writes `evaluation.json` into the run folder.
 */
import { join, resolve } from 'node:path';
import type { EvaluateParams, EvaluationReport } from '../../protocol/engine';
import type { Tf } from '../backend/tfNamespace';
import { allIndices, type Subset } from '../data/dataset';
import { DatasetError } from '../data/errors';
import { loadRawDataset, splitDataset } from '../data/loadDataset';
import { RUN_FILES, writeJsonAtomic } from '../runs/runStore';
import { classificationMetrics } from './metrics';
import { lossAndAccuracy, predictProbabilities } from './probabilities';
import { loadRunModel, openRun, pickCheckpoint } from './runModel';

export async function evaluateRun(tf: Tf, params: EvaluateParams, onProgress?: (message: string) => void): Promise<EvaluationReport> {
  const run = openRun(params.runDir);
  const checkpoint = pickCheckpoint(run, params.checkpoint);
  const { config } = run;
  const dataPath = params.dataDir ? resolve(params.dataDir) : config.dataPath;
  // The training folder itself is evaluated on its validation split only: its other samples were trained on.
  const sameAsTraining = dataPath === resolve(config.dataPath);
  onProgress?.(`Loading ${dataPath}`);
  const raw = await loadRawDataset(undefined, run.runDir, { dataDir: dataPath, inputShape: config.inputShape });
  if (raw.classNames.join('\n') !== config.classNames.join('\n')) {
    throw new DatasetError(
      `'${dataPath}' has classes [${raw.classNames.join(', ')}] but the run was trained on [${config.classNames.join(', ')}]. Evaluate with data of the same classes.`,
    );
  }
  let subset: Subset;
  let split: EvaluationReport['split'];
  if (sameAsTraining) {
    const parts = splitDataset(raw, config.validationSplit, config.seed, 0);
    subset = parts.validation;
    split = 'validation';
    if (subset.indices.length === 0) throw new DatasetError(`The run had no validation data. Evaluate it on a separate labelled folder with --data DIR.`);
  } else {
    subset = { set: raw.validation ?? raw.train, indices: allIndices((raw.validation ?? raw.train).count) };
    split = 'all';
  }
  onProgress?.(`Evaluating ${subset.indices.length} samples with the '${checkpoint}' checkpoint`);
  const model = loadRunModel(tf, run, checkpoint);
  try {
    const k = config.classNames.length;
    const probs = await predictProbabilities(tf, model, subset, config.inputScale, k);
    const m = classificationMetrics(probs, subset, config.classNames);
    const report: EvaluationReport = {
      runDir: run.runDir,
      checkpoint,
      dataPath,
      split,
      numSamples: subset.indices.length,
      accuracy: m.accuracy,
      loss: lossAndAccuracy(probs, subset, k, config.loss).loss,
      classNames: config.classNames,
      perClass: m.perClass,
      confusionMatrix: m.confusionMatrix,
      misclassified: m.misclassified,
      evaluatedAt: new Date().toISOString(),
    };
    writeJsonAtomic(join(run.runDir, RUN_FILES.evaluation), report);
    return report;
  } finally {
    model.dispose();
  }
}
