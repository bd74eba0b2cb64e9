/**
 * Evaluating a run: the run's own validation split (re-made with its seed), a separate labelled
 * folder/file, or a held-out test set; writes `evaluation.json` into the run folder.
 */
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { EvaluateParams, EvaluationReport } from '../../protocol/engine';
import type { Tf } from '../backend/tfNamespace';
import { allIndices, type Subset } from '../data/dataset';
import { DatasetError } from '../data/errors';
import { loadRawDataset, splitDataset } from '../data/loadDataset';
import { loadTestSet } from '../data/testSet';
import { RUN_FILES, writeJsonAtomic } from '../runs/runStore';
import { classificationMetrics } from './metrics';
import { lossAndAccuracy, predictProbabilities } from './probabilities';
import { loadRunModel, openRun, pickCheckpoint, type OpenedRun } from './runModel';

interface EvaluatedData {
  readonly subset: Subset;
  readonly dataPath: string;
  readonly split: EvaluationReport['split'];
}

/** A path as the user knows it: relative to the model file's folder when inside it. */
export function displayPath(path: string, modelPath: string): string {
  const rel = relative(dirname(modelPath), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** "Validation split (20%)", "Test set: data/t10k (10,000 images)", "All of data/other (300 images)". */
export function evaluatedDataLabel(split: EvaluationReport['split'], dataPath: string, numSamples: number, run: OpenedRun): string {
  if (split === 'validation') return `Validation split (${Math.round(run.config.validationSplit * 100)}%)`;
  const where = displayPath(dataPath, run.config.modelPath);
  return `${split === 'test' ? 'Test set' : 'All of'}: ${where} (${count(numSamples)} image${numSamples === 1 ? '' : 's'})`;
}

async function dataToEvaluate(run: OpenedRun, params: EvaluateParams, onProgress?: (message: string) => void): Promise<EvaluatedData> {
  const { config } = run;
  if (params.testPath) {
    onProgress?.(`Loading the test set ${params.testPath}`);
    const test = await loadTestSet(params.testPath, config.inputShape, config.classNames);
    if (resolve(test.path) === resolve(config.dataPath)) {
      throw new DatasetError(`'${test.path}' is the data the run was trained on, not a held-out test set. Pass a separate test set, or evaluate on the validation split.`);
    }
    return { subset: { set: test.set, indices: allIndices(test.set.count) }, dataPath: test.path, split: 'test' };
  }
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
  if (sameAsTraining) {
    const subset = splitDataset(raw, config.validationSplit, config.seed, 0).validation;
    if (subset.indices.length === 0) throw new DatasetError(`The run had no validation data. Evaluate it on a held-out test set with --test PATH.`);
    return { subset, dataPath, split: 'validation' };
  }
  const set = raw.validation ?? raw.train;
  return { subset: { set, indices: allIndices(set.count) }, dataPath, split: 'all' };
}

export async function evaluateRun(tf: Tf, params: EvaluateParams, onProgress?: (message: string) => void): Promise<EvaluationReport> {
  const run = openRun(params.runDir);
  const checkpoint = pickCheckpoint(run, params.checkpoint);
  const { config } = run;
  const { subset, dataPath, split } = await dataToEvaluate(run, params, onProgress);
  if (subset.indices.length === 0) throw new DatasetError(`'${dataPath}' holds no readable samples. Check the files (every skipped one is named above).`);
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
      dataLabel: evaluatedDataLabel(split, dataPath, subset.indices.length, run),
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
