/**
 * ONNX export of a trained run: the run's snapshot and its best (or last) weights as one `.onnx` file
 * (opset 13) that ONNX Runtime, MATLAB, Sony NNC and other ONNX tools load. The weights are read from a
 * tfjs model rebuilt from the snapshot with the checkpoint loaded, so they are exactly what the engine
 * predicts with; onnx/onnxModel.ts turns model and weights into the graph.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { ModelFile } from '../../core/format';
import { describeSystemError } from '../../core/systemError';
import type { Tf } from '../backend/tfNamespace';
import { buildTfModel } from '../model/buildTfModel';
import { loadCheckpoint } from '../runs/checkpoints';
import { RUN_FILES } from '../runs/runStore';
import { CNN_STUDIO_VERSION } from '../version';
import type { LayerWeight } from './onnx/onnxLayers';
import { encodeOnnxModel, modelToOnnx, onnxInputText } from './onnx/onnxModel';
import { type CheckpointChoice, pickCheckpoint, readRunSnapshot } from './tfjsExport';

export interface OnnxExportResult {
  path: string;
  /** What the graph expects as input (layout and pixel scale). */
  inputText: string;
  checkpoint: CheckpointChoice;
  bytes: number;
}

/** Each layer's weights, by node id (the layer names), in tfjs' order. */
export function layerWeights(model: LayersModel, snapshot: ModelFile): Map<string, LayerWeight[]> {
  const out = new Map<string, LayerWeight[]>();
  for (const node of snapshot.nodes) {
    if (node.type === 'Input') continue;
    out.set(
      node.id,
      model.getLayer(node.id).getWeights().map((t) => ({ shape: t.shape, values: Float32Array.from(t.dataSync()) })),
    );
  }
  return out;
}

/** The .onnx bytes of a built tfjs model (layer names = node ids of `snapshot`). */
export function onnxBytesOf(model: LayersModel, snapshot: ModelFile, classNames?: readonly string[]): Uint8Array {
  return encodeOnnxModel(modelToOnnx(snapshot, layerWeights(model, snapshot), { producerVersion: CNN_STUDIO_VERSION, ...(classNames ? { classNames } : {}) }));
}

/** The class names of a trained run (its config.json), when it has them: a run made from imported weights may not. */
function runClassNames(runDir: string): readonly string[] | undefined {
  try {
    const config = JSON.parse(readFileSync(join(runDir, RUN_FILES.config), 'utf8')) as { classNames?: unknown };
    const names = config.classNames;
    return Array.isArray(names) && names.every((n) => typeof n === 'string') ? (names as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the run's best (or last, or the asked-for) weights as an ONNX model to `outPath`. */
export function exportRunToOnnx(tf: Tf, runDir: string, outPath: string, checkpoint?: CheckpointChoice): OnnxExportResult {
  const snapshot = readRunSnapshot(runDir);
  const chosen = pickCheckpoint(runDir, checkpoint);
  const model = buildTfModel(tf, snapshot);
  try {
    loadCheckpoint(tf, model, join(runDir, chosen));
    const bytes = onnxBytesOf(model, snapshot, runClassNames(runDir));
    try {
      mkdirSync(dirname(outPath), { recursive: true });
      writeFileSync(outPath, bytes);
    } catch (err) {
      throw describeSystemError(err, outPath) ?? err;
    }
    return { path: outPath, checkpoint: chosen, bytes: bytes.length, inputText: onnxInputText(snapshot) };
  } finally {
    model.dispose();
  }
}
