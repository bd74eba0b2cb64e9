/**
 * Saves a model holding imported weights as a run (TF.js model.json weights, Keras .h5/.keras weights),
 * so the designer, `evaluate`, `predict` and fine-tuning can use them at once. The run has no epochs;
 * its record says where the weights came from.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { ModelFile } from '../../core/format';
import { serializeModel } from '../../core/loader';
import { inputPixelScale } from '../../core/modelFacts';
import { analyzeModel } from '../../core/shapeInference';
import { isBackendName, type ResolvedConfig } from '../../protocol/engine';
import type { Tf } from '../backend/tfNamespace';
import { saveCheckpoint } from '../runs/checkpoints';
import { claimNewRunDir } from '../runs/claimRunDir';
import { RUN_FILES, writeJsonAtomic, writeRunRecord } from '../runs/runStore';
import { modelInputShape, resolveSettings } from '../train/config';
import { CNN_STUDIO_VERSION } from '../version';

/** The number of classes the model's (first) output scores, when it ends in a vector. */
function outputClasses(model: ModelFile): number | null {
  const analysis = analyzeModel(model);
  const shape = analysis.nodes.get(analysis.outputIds[0] ?? '')?.outputShape;
  return shape && shape.length === 1 && typeof shape[0] === 'number' && shape[0] > 0 ? shape[0] : null;
}

/**
 * config.json for a run that was never trained, so `predict` and `evaluate` can open it: the model's
 * input and settings, and class names (given, e.g. from Teachable Machine's labels.txt, else `class_0`…).
 * Null for a model no run can hold (no single image input, or no class vector out).
 */
function importedRunConfig(model: ModelFile, sourcePath: string, classNames: readonly string[] | null): ResolvedConfig | null {
  const classes = outputClasses(model);
  if (classes === null) return null;
  try {
    return {
      modelName: model.name,
      modelPath: sourcePath,
      // No data was trained on: evaluate takes --data or --test.
      dataPath: '',
      ...resolveSettings(model, {}),
      inputShape: modelInputShape(model),
      classNames: classNames && classNames.length === classes ? [...classNames] : Array.from({ length: classes }, (_, k) => `class_${k}`),
      inputScale: inputPixelScale(model),
    };
  } catch {
    return null;
  }
}

/**
 * Writes the run (model snapshot, last and best checkpoints, run.json, and config.json when the model
 * takes one image and scores classes) under `runsRoot`; returns its folder.
 */
export async function saveImportedRun(tf: Tf, model: ModelFile, built: LayersModel, sourcePath: string, runsRoot: string, classNames: readonly string[] | null = null): Promise<string> {
  const { runId, runDir } = claimNewRunDir(runsRoot, model.name);
  writeFileSync(join(runDir, RUN_FILES.model), serializeModel(model));
  const config = importedRunConfig(model, sourcePath, classNames);
  if (config) writeJsonAtomic(join(runDir, RUN_FILES.config), config);
  await saveCheckpoint(tf, built, join(runDir, RUN_FILES.last));
  await saveCheckpoint(tf, built, join(runDir, RUN_FILES.best));
  const now = new Date().toISOString();
  const backend = tf.getBackend();
  writeRunRecord(runDir, {
    runId,
    modelName: model.name,
    status: 'finished',
    pid: process.pid,
    // The engine only registers the backends it knows; 'cpu' stands in for any other.
    backend: { name: isBackendName(backend) ? backend : 'cpu', tfjsVersion: tf.version_core, threads: 1, simd: false },
    versions: { cnnStudio: CNN_STUDIO_VERSION, tfjs: tf.version_core, node: process.versions.node },
    createdAt: now,
    updatedAt: now,
    finishedAt: now,
    trainingSeconds: 0,
    epochsCompleted: 0,
    epochsPlanned: 0,
    bestEpoch: null,
    bestValAccuracy: null,
    bestValLoss: null,
    message: `Weights imported from ${sourcePath}`,
  });
  return runDir;
}
