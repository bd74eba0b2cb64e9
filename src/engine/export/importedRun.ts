/**
 * Brings the weights of an imported TF.js model.json along: they are loaded into the imported model
 * (built with our builder, so they provably fit) and saved as a run, so the designer, `evaluate` and
 * `predict` can use them at once. The run has no epochs; its record says where the weights came from.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ModelFile } from '../../core/format';
import type { Tf } from '../backend/tfNamespace';
import { resolveInsideFolderOf } from '../files/confinedPath';
import { buildTfModel } from '../model/buildTfModel';
import { saveImportedRun } from './saveImportedRun';

interface ManifestGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: string }[];
}

export type ImportedWeightsOutcome = { kind: 'run'; runDir: string; weights: number } | { kind: 'skipped'; reason: string };

/** `dense 1/x/kernel` → `dense_1_x/kernel` when the layer `dense 1/x` became the node `dense_1_x`. */
function renamedWeight(name: string, layerIds: ReadonlyMap<string, string>): string {
  // Layer names may themselves contain '/', so the longest renamed layer that prefixes the weight wins.
  let best: [string, string] | null = null;
  for (const [from, to] of layerIds) if (name.startsWith(`${from}/`) && (!best || from.length > best[0].length)) best = [from, to];
  return best ? `${best[1]}${name.slice(best[0].length)}` : name;
}

function isGroup(v: unknown): v is ManifestGroup {
  return typeof v === 'object' && v !== null && Array.isArray((v as ManifestGroup).paths) && Array.isArray((v as ManifestGroup).weights);
}

/**
 * The weight files `manifest` names, resolved against the folder of `modelJsonPath`. Throws
 * PathOutsideFolderError for any that ends outside that folder (symlinks followed), so call it before
 * writing anything.
 */
export function importedWeightFiles(modelJsonPath: string, manifest: readonly unknown[]): string[] {
  return manifest.filter(isGroup).flatMap((g) => g.paths.map((p) => resolveInsideFolderOf(modelJsonPath, String(p), 'weight file')));
}

/**
 * Loads the weights listed in `manifest` (paths relative to `modelJsonPath`) into `model` and saves them
 * as a run under `runsRoot`. `layerIds` maps the file's layer names to the node ids they became (names
 * that are not valid ids are renamed on import). Never throws for weights that do not fit: it says why
 * they were skipped; throws PathOutsideFolderError for a weight file outside the model.json's folder.
 */
export async function runFromImportedWeights(
  tf: Tf,
  model: ModelFile,
  modelJsonPath: string,
  manifest: readonly unknown[],
  runsRoot: string,
  layerIds: ReadonlyMap<string, string> = new Map(),
): Promise<ImportedWeightsOutcome> {
  const groups = manifest.filter(isGroup);
  if (groups.length === 0) return { kind: 'skipped', reason: 'the weights manifest is empty' };
  const files = importedWeightFiles(modelJsonPath, groups);
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) return { kind: 'skipped', reason: `weight file ${missing.map((m) => `'${m}'`).join(', ')} is missing: put it next to the model.json to import the weights too` };
  const buffer = Buffer.concat(files.map((f) => readFileSync(f)));
  const specs = groups.flatMap((g) => g.weights).map((w) => ({ ...w, name: renamedWeight(w.name, layerIds) })) as Parameters<Tf['io']['decodeWeights']>[1];
  let named: Record<string, import('@tensorflow/tfjs').Tensor>;
  try {
    named = tf.io.decodeWeights(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length), specs);
  } catch (err) {
    return { kind: 'skipped', reason: `the weight files do not match their manifest (${err instanceof Error ? err.message : String(err)})` };
  }
  const built = buildTfModel(tf, model);
  try {
    const needed = built.weights.map((w) => w.originalName);
    const absent = needed.filter((n) => !(n in named));
    if (absent.length > 0) return { kind: 'skipped', reason: `the file has no weights for ${absent.slice(0, 4).join(', ')}${absent.length > 4 ? ` and ${absent.length - 4} more` : ''} (layers were changed on import)` };
    try {
      built.loadWeights(named, false);
    } catch (err) {
      return { kind: 'skipped', reason: `the weights do not fit the imported model (${err instanceof Error ? err.message : String(err)})` };
    }
    const runDir = await saveImportedRun(tf, model, built, modelJsonPath, runsRoot);
    return { kind: 'run', runDir, weights: needed.length };
  } finally {
    tf.dispose(Object.values(named));
    built.dispose();
  }
}
