/**
 * Starting a new run from another run's weights (`train --init-from RUN_DIR`, "Fine-tune from Run…").
 * Weights are matched per layer, by layer name (the node id) and shape, as Keras'
 * `load_weights(by_name=True, skip_mismatch=True)` does: a layer takes the other run's weights only when
 * every one of its weights is there with the same shape, so a resized or renamed head starts fresh
 * instead of failing, and no layer is ever half-loaded.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { WeightInitReport } from '../../protocol/engine';
import type { Tf } from '../backend/tfNamespace';
import { hasCheckpoint, readCheckpointWeights } from './checkpoints';
import { RUN_FILES, RunError } from './runStore';

/** The checkpoint a fine-tune reads: the run's best epoch when it has one, else its last. */
export function initCheckpointOf(runDir: string): { dir: string; checkpoint: 'best' | 'last' } {
  const dir = resolve(runDir);
  if (!existsSync(join(dir, RUN_FILES.record))) {
    throw new RunError(`'${dir}' is not a run folder (no run.json): --init-from needs a folder under .cnn-studio/runs/<model>/, e.g. the run an import with weights created.`);
  }
  if (hasCheckpoint(join(dir, RUN_FILES.best))) return { dir: join(dir, RUN_FILES.best), checkpoint: 'best' };
  if (hasCheckpoint(join(dir, RUN_FILES.last))) return { dir: join(dir, RUN_FILES.last), checkpoint: 'last' };
  throw new RunError(`The run '${dir}' has no saved weights (no best/ or last/ checkpoint): it ended before its first epoch. Pick a run that finished an epoch, or one created by importing a model with weights.`);
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Loads into `model` every layer whose weights the run has under the same names and shapes, and says
 * which layers were loaded and which start fresh. Refuses when no layer matches at all: that is a run of
 * another model, and training "from" it would silently start from scratch.
 */
export function initFromRun(tf: Tf, model: LayersModel, runDir: string): WeightInitReport {
  const { dir, checkpoint } = initCheckpointOf(runDir);
  const named = readCheckpointWeights(tf, dir);
  try {
    const loaded: string[] = [];
    const fresh: { layer: string; reason: string }[] = [];
    const updates: { layerIndex: number; values: Tensor[] }[] = [];
    model.layers.forEach((layer, layerIndex) => {
      if (layer.weights.length === 0) return;
      let reason: string | null = null;
      const values: Tensor[] = [];
      for (const w of layer.weights) {
        const found = named[w.originalName];
        if (!found) {
          reason = `the run has no weights for '${layer.name}'`;
          break;
        }
        if (found.shape.join(',') !== w.shape.join(',')) {
          reason = `${w.originalName.slice(layer.name.length + 1)} is ${shapeText(w.shape as number[])} here but ${shapeText(found.shape)} in the run`;
          break;
        }
        values.push(found);
      }
      if (reason) fresh.push({ layer: layer.name, reason });
      else {
        loaded.push(layer.name);
        updates.push({ layerIndex, values });
      }
    });
    if (loaded.length === 0) {
      throw new RunError(
        `None of the layers of '${model.name}' match the weights of '${resolve(runDir)}' by name and shape (${fresh.slice(0, 3).map((f) => f.reason).join('; ')}${fresh.length > 3 ? '; …' : ''}). ` +
          `Pick a run of this model or of the model it was derived from (layer ids must be the same), or train without --init-from.`,
      );
    }
    for (const u of updates) model.layers[u.layerIndex]!.setWeights(u.values);
    return { runDir: resolve(runDir), checkpoint, loaded, fresh };
  } finally {
    tf.dispose(Object.values(named));
  }
}

/** The report as lines for a terminal or an output channel. */
export function formatWeightInitReport(r: WeightInitReport): string {
  const lines = [`Weights from ${r.runDir} (its ${r.checkpoint} checkpoint): ${r.loaded.length} layer${r.loaded.length === 1 ? '' : 's'} loaded, ${r.fresh.length} start${r.fresh.length === 1 ? 's' : ''} fresh.`];
  if (r.loaded.length > 0) lines.push(`  loaded: ${r.loaded.join(', ')}`);
  for (const f of r.fresh) lines.push(`  fresh:  ${f.layer} (${f.reason})`);
  return lines.join('\n');
}
