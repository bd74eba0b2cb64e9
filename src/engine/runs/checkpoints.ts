/**
 * Weights in TF.js' layers format (`model.json` + `weights.bin`), written with our own save handler
 * because tfjs-node's `file://` handler is not always there. Loading sets the weights by name into a
 * model rebuilt from the run's snapshot (layer names = node ids), which also works for continuing.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { LayersModel, NamedTensorMap, Optimizer } from '@tensorflow/tfjs';
import type { Tf } from '../backend/tfNamespace';
import { writeOptimizerState } from './optimizerState';
import { ensureDir, RunError } from './runStore';

const WEIGHTS_FILE = 'weights.bin';

interface ModelJson {
  modelTopology: unknown;
  format: string;
  generatedBy: string;
  convertedBy: string | null;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
}

function toBuffer(data: ArrayBuffer | ArrayBuffer[]): Buffer {
  return Array.isArray(data) ? Buffer.concat(data.map((b) => Buffer.from(b))) : Buffer.from(data);
}

/**
 * Saves to `dir` atomically: written beside it, then swapped in, so a kill leaves the old or the new
 * checkpoint. With `optimizer`, its state is saved with the weights (for `train --continue`).
 */
export async function saveCheckpoint(tf: Tf, model: LayersModel, dir: string, optimizer?: Optimizer): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    ensureDir(tmp);
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const json: ModelJson = {
          modelTopology: artifacts.modelTopology,
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        };
        writeFileSync(join(tmp, 'model.json'), JSON.stringify(json));
        writeFileSync(join(tmp, WEIGHTS_FILE), artifacts.weightData ? toBuffer(artifacts.weightData as ArrayBuffer | ArrayBuffer[]) : Buffer.alloc(0));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    if (optimizer) await writeOptimizerState(tf, optimizer, tmp);
  } catch (err) {
    // A full disk mid-write: the previous checkpoint in `dir` is untouched and the partial copy goes.
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = `${dir}.old-${process.pid}`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, 'model.json')) && existsSync(join(dir, WEIGHTS_FILE));
}

/**
 * A checkpoint's weights by name, checked against its manifest (a truncated file is refused). The
 * caller disposes the tensors.
 */
export function readCheckpointWeights(tf: Tf, dir: string): NamedTensorMap {
  if (!hasCheckpoint(dir)) throw new RunError(`There is no checkpoint in '${dir}' (model.json + weights.bin). The run ended before its first epoch finished; train it again.`);
  const other = basename(dir) === 'best' ? 'last' : 'best';
  const damaged = `Use the other checkpoint (--checkpoint ${other}) if the run has one, or train the run again.`;
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new RunError(`The checkpoint's '${join(dir, 'model.json')}' is not valid JSON (${err.message}): it is damaged. ${damaged}`);
  }
  const specs = (Array.isArray(json.weightsManifest) ? json.weightsManifest.flatMap((g) => g.weights) : []) as Parameters<Tf['io']['decodeWeights']>[1];
  const buf = readFileSync(join(dir, WEIGHTS_FILE));
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * (s.dtype === 'bool' ? 1 : s.dtype === 'complex64' ? 8 : 4), 0);
  if (buf.byteLength !== expected) {
    throw new RunError(
      `The checkpoint's weights '${join(dir, WEIGHTS_FILE)}' hold ${buf.byteLength.toLocaleString('en-US')} bytes, but its model.json lists ${expected.toLocaleString('en-US')}: the file is truncated or damaged. ${damaged}`,
    );
  }
  return tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), specs);
}

/** Loads a checkpoint's weights into `model` (built from the same model file). */
export function loadCheckpoint(tf: Tf, model: LayersModel, dir: string): void {
  const named = readCheckpointWeights(tf, dir);
  try {
    model.loadWeights(named, true);
  } catch (err) {
    throw new RunError(`The checkpoint in '${dir}' does not fit the run's model (${err instanceof Error ? err.message : String(err)}). The run folder's model.cnn.json was changed; restore it or train again.`);
  } finally {
    tf.dispose(Object.values(named));
  }
}
