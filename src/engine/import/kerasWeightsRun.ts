/**
 * Puts the weights of a Keras `.h5`/`.keras` file into the imported model and saves them as a run.
 * Each layer of the built model finds its Keras layer by where it sat in the file (the import records
 * each node's path: enclosing models, then the layer's name), whatever the node was renamed to;
 * its tensors are taken by variable name when the file names them (Keras 2), else in Keras' order
 * (trainable, then non-trainable: the order tfjs keeps too), and every shape must agree.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { ModelFile } from '../../core/format';
import type { Tf } from '../backend/tfNamespace';
import type { ImportedWeightsOutcome } from '../export/importedRun';
import { saveImportedRun } from '../export/saveImportedRun';
import { buildTfModel } from '../model/buildTfModel';
import { classLabelsBeside } from './classLabels';
import type { KerasLayerWeights, KerasTensor } from './kerasContainer';

/**
 * The file's weights for the layer at `path`. A .keras file gives full paths; a .h5 file names a nested
 * model's layers only by the outermost model and the layer (`[base, conv]` for `[base, block, conv]`).
 */
function weightsAt(entries: readonly KerasLayerWeights[], path: readonly string[]): KerasLayerWeights | undefined {
  const same = (a: readonly string[]): boolean => a.length === path.length && a.every((p, i) => p === path[i]);
  const outerAndOwn = (a: readonly string[]): boolean => a.length === 2 && path.length > 2 && a[0] === path[0] && a[1] === path[path.length - 1];
  return entries.find((e) => same(e.path)) ?? entries.find((e) => outerAndOwn(e.path));
}

const variableName = (weightName: string): string => weightName.slice(weightName.lastIndexOf('/') + 1);
const shapeText = (s: readonly (number | null)[]): string => `[${s.join(', ')}]`;

/**
 * The file's tensors in the order of `wanted` (the tfjs layer's weight names): by name when each wanted
 * variable is named in the file, else by position.
 */
function ordered(tensors: readonly KerasTensor[], wanted: readonly string[]): KerasTensor[] {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const named = wanted.map((w) => byName.get(variableName(w)));
  return named.every((t): t is KerasTensor => t !== undefined) ? named : [...tensors];
}

/**
 * Loads `weights` into `model` (built with our builder) and saves the run under `runsRoot`. `kerasPaths`
 * says where each node's layer sat in the file (from the import); the run's class names come from a
 * labels.txt beside the file when there is one. Never throws for weights that do not fit: it says why
 * they were skipped.
 */
export async function runFromKerasWeights(
  tf: Tf,
  model: ModelFile,
  weights: readonly KerasLayerWeights[],
  sourcePath: string,
  runsRoot: string,
  kerasPaths: ReadonlyMap<string, readonly string[]>,
): Promise<ImportedWeightsOutcome> {
  if (weights.length === 0) return { kind: 'skipped', reason: 'the file holds no weights (the model was saved before it was built)' };
  const built = buildTfModel(tf, model);
  const created: Tensor[] = [];
  try {
    const missing: string[] = [];
    const problems: string[] = [];
    let count = 0;
    for (const layer of built.layers) {
      if (layer.weights.length === 0) continue;
      const entry = weightsAt(weights, kerasPaths.get(layer.name) ?? [layer.name]);
      if (!entry) {
        missing.push(layer.name);
        continue;
      }
      const wanted = layer.weights.map((w) => w.originalName);
      const tensors = ordered(entry.tensors, wanted);
      if (tensors.length !== wanted.length) {
        problems.push(`layer '${layer.name}' needs ${wanted.length} weights (${wanted.map(variableName).join(', ')}) but the file has ${tensors.length} for '${entry.path.join('/')}'`);
        continue;
      }
      const bad = layer.weights.findIndex((w, i) => shapeText(w.shape) !== shapeText(tensors[i]!.shape));
      if (bad >= 0) {
        problems.push(`${variableName(wanted[bad]!)} of layer '${layer.name}' has the shape ${shapeText(layer.weights[bad]!.shape)} here but ${shapeText(tensors[bad]!.shape)} in the file`);
        continue;
      }
      const values = tensors.map((t) => tf.tensor(t.values, t.shape, 'float32'));
      created.push(...values);
      layer.setWeights(values);
      count += values.length;
    }
    if (missing.length > 0) problems.unshift(`the file has no weights for ${missing.slice(0, 4).map((m) => `'${m}'`).join(', ')}${missing.length > 4 ? ` and ${missing.length - 4} more` : ''}`);
    if (problems.length > 0) return { kind: 'skipped', reason: problems.slice(0, 3).join('; ') + (problems.length > 3 ? ` (and ${problems.length - 3} more)` : '') };
    const runDir = await saveImportedRun(tf, model, built, sourcePath, runsRoot, classLabelsBeside(sourcePath));
    return { kind: 'run', runDir, weights: count };
  } finally {
    tf.dispose(created);
    built.dispose();
  }
}
