/**
 * TF.js Layers export of a trained run: `model.json` + `weights.bin` that stock `tf.loadLayersModel`
 * loads (no custom classes) and that predicts exactly what our engine predicts.
 *
 * The weights come from the run's checkpoint (best, else last) loaded into a model rebuilt from the run's
 * snapshot; the topology is our own Keras JSON in its TF.js flavour rather than tfjs' `toJSON`, because
 * tfjs-layers 4.x forgets SeparableConv2D's depth_multiplier when it serialises (the model would not
 * load back) and TF.js has no SpatialDropout2D class (written as a Dropout with a noise shape).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { kerasTrainingConfig, toKerasJson } from '../../core/codegen/kerasJson';
import type { ModelFile } from '../../core/format';
import { parseModelText } from '../../core/loader';
import type { Tf } from '../backend/tfNamespace';
import { buildTfModel } from '../model/buildTfModel';
import { hasCheckpoint, loadCheckpoint } from '../runs/checkpoints';
import { RUN_FILES } from '../runs/runStore';
import { UserFacingError } from '../../core/userFacingError';

/** A run folder that cannot be exported; the message names the fix. */
export class ExportError extends UserFacingError {
  constructor(message: string) {
    super(message, 'ExportError');
  }
}

export type CheckpointChoice = 'best' | 'last';

export interface TfjsExportResult {
  modelJsonPath: string;
  weightsPath: string;
  checkpoint: CheckpointChoice;
  weightBytes: number;
}

export const TFJS_WEIGHTS_FILE = 'weights.bin';

export function isRunFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory() && existsSync(join(path, RUN_FILES.model));
}

/** The run's model snapshot (what its weights belong to). */
export function readRunSnapshot(runDir: string): ModelFile {
  const file = join(runDir, RUN_FILES.model);
  if (!existsSync(file)) throw new ExportError(`'${runDir}' is not a run folder (it has no ${RUN_FILES.model}). Pass a folder under .cnn-studio/runs/<model>/.`);
  const { model, diagnostics } = parseModelText(readFileSync(file, 'utf8'));
  if (!model) throw new ExportError(`The run's ${RUN_FILES.model} cannot be read: ${diagnostics[0]?.message ?? 'unknown problem'}`);
  return model;
}

/** Which checkpoint to export: the one asked for, else best, else last. */
export function pickCheckpoint(runDir: string, wanted?: CheckpointChoice): CheckpointChoice {
  const choices: CheckpointChoice[] = wanted ? [wanted] : ['best', 'last'];
  for (const c of choices) if (hasCheckpoint(join(runDir, c))) return c;
  throw new ExportError(
    wanted
      ? `The run has no '${wanted}' checkpoint (${join(runDir, wanted)}). Export the other one, or train the model again.`
      : `The run '${runDir}' has no saved weights yet (no best/ or last/ checkpoint). Let it finish at least one epoch, then export.`,
  );
}

/** `out` may be a folder or a path ending in model.json; returns the folder. */
export function tfjsOutputFolder(out: string): string {
  return basename(out) === 'model.json' || out.endsWith('.json') ? dirname(out) : out;
}

/** Writes model.json + weights.bin for `model` (whose layer names are the node ids of `snapshot`). */
export async function saveTfjsLayersModel(tf: Tf, model: LayersModel, snapshot: ModelFile, outDir: string): Promise<{ modelJsonPath: string; weightsPath: string; weightBytes: number }> {
  mkdirSync(outDir, { recursive: true });
  const modelJsonPath = join(outDir, 'model.json');
  const weightsPath = join(outDir, TFJS_WEIGHTS_FILE);
  let weightBytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const buffer = data === undefined ? Buffer.alloc(0) : Array.isArray(data) ? Buffer.concat(data.map((b) => Buffer.from(b))) : Buffer.from(data);
      weightBytes = buffer.length;
      const json = {
        format: 'layers-model',
        generatedBy: `CNN Studio (TensorFlow.js tfjs-layers v${tf.version_layers})`,
        convertedBy: null,
        modelTopology: toKerasJson(snapshot, { flavour: 'tfjs' }),
        // tfjs compiles the loaded model with these (so it can be fine-tuned at once); Keras ignores them.
        trainingConfig: kerasTrainingConfig(snapshot, { flavour: 'tfjs' }),
        weightsManifest: [{ paths: [`./${TFJS_WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(weightsPath, buffer);
      writeFileSync(modelJsonPath, JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightBytes } };
    }),
  );
  return { modelJsonPath, weightsPath, weightBytes };
}

/** Exports a run's best (or last) weights as a stock TF.js layers model into `outDir`. */
export async function exportRunToTfjs(tf: Tf, runDir: string, outDir: string, checkpoint?: CheckpointChoice): Promise<TfjsExportResult> {
  const snapshot = readRunSnapshot(runDir);
  const chosen = pickCheckpoint(runDir, checkpoint);
  const model = buildTfModel(tf, snapshot);
  try {
    loadCheckpoint(tf, model, join(runDir, chosen));
    const saved = await saveTfjsLayersModel(tf, model, snapshot, outDir);
    return { ...saved, checkpoint: chosen };
  } finally {
    model.dispose();
  }
}
