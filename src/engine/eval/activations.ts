/**
 * What the network sees for one sample: every conv/pool layer's feature maps (each channel scaled to
 * 0–255 on its own), the first Conv2D's filters, and a Grad-CAM heat map for the predicted class at
 * the last (or a chosen) conv layer.
 * Results are uint8 typed arrays so they travel cheaply to the dashboard.
 */
import type { LayersModel, SymbolicTensor, Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { ModelFile, ModelNode } from '../../core/format';
import { FEATURE_MAP_LAYER_TYPES, getLayerSpec } from '../../core/catalogue';
import { ModelGraph } from '../../core/graph';
import { checkParams } from '../../core/paramCheck';
import type { ActivationsResult, FeatureMapTiles, FilterTiles, GradCamMap } from '../../protocol/engine';
import type { Tf } from '../backend/tfNamespace';
import type { ImageShape } from '../data/dataset';
import { EngineUserError } from '../data/errors';
import { cellGeometry, projectCells, stretchGeometry } from './cellGeometry';
import { topK } from './predict';

/** Grad-CAM reads the last layer of the catalogue's convolution category. */
const isConvType = (type: string): boolean => getLayerSpec(type)?.category === 'convolution';

export interface ActivationInput {
  readonly pixels: Uint8Array;
  readonly shape: ImageShape;
  readonly scale: number;
  readonly classNames: readonly string[];
  readonly samplePath: string | null;
  readonly trueClass: string | null;
  readonly maxChannels?: number;
  /** Grad-CAM's conv layer; the last conv layer when absent. */
  readonly gradCamLayer?: string;
}

/** Scales each run of `size` values to 0–255 by its own min/max; returns the ranges too. */
function toTiles(values: Float32Array, count: number, size: number, offsetOf: (t: number, i: number) => number): { data: Uint8Array; ranges: Float32Array } {
  const data = new Uint8Array(count * size);
  const ranges = new Float32Array(count * 2);
  for (let t = 0; t < count; t++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < size; i++) {
      const v = values[offsetOf(t, i)]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    ranges[2 * t] = lo;
    ranges[2 * t + 1] = hi;
    const span = hi - lo;
    for (let i = 0; i < size; i++) data[t * size + i] = span > 0 ? Math.round(((values[offsetOf(t, i)]! - lo) / span) * 255) : 0;
  }
  return { data, ranges };
}

function featureMap(layerId: string, layerType: string, values: Float32Array, shape: readonly number[], maxChannels: number): FeatureMapTiles {
  const [, h, w, c] = shape as [number, number, number, number];
  const keep = Math.min(c, maxChannels);
  // Tensor data is HWC; tiles are channel after channel.
  const { data, ranges } = toTiles(values, keep, h * w, (ch, i) => i * c + ch);
  return { layerId, layerType, shape: [h, w, keep], totalChannels: c, data, ranges };
}

async function firstConvFilters(tf: Tf, model: LayersModel, modelFile: ModelFile): Promise<FilterTiles | null> {
  const node = modelFile.nodes.find((n) => n.type === 'Conv2D');
  if (!node) return null;
  const kernel = model.getLayer(node.id).getWeights()[0];
  if (!kernel) return null;
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const colour = cin === 3 ? 3 : 1;
  const filters = tf.tidy(() => (colour === 3 ? tf.clone(kernel) : kernel.mean(2, true)));
  const values = (await filters.data()) as Float32Array;
  filters.dispose();
  // values are [kh, kw, colour, cout]; each filter's tile is kh*kw*colour in HWC order.
  const size = kh * kw * colour;
  const { data } = toTiles(values, cout, size, (f, i) => i * cout + f);
  return { layerId: node.id, shape: [kh, kw, colour, cout], data };
}

/** The layers Grad-CAM can look at: conv layers with a spatial (4-D) output, in model order. */
export function gradCamLayerIds(model: LayersModel, modelFile: ModelFile): string[] {
  return new ModelGraph(modelFile.nodes).topologicalOrder().order.filter((id) => isConvType(nodeType(modelFile, id)) && (model.getLayer(id).output as SymbolicTensor).shape.length === 4);
}

/** Asked for Grad-CAM at a layer that is not one of the model's conv layers. */
export class GradCamLayerError extends EngineUserError {
  constructor(layerId: string, choices: readonly string[]) {
    super('bad-model', `Grad-CAM cannot look at '${layerId}': pick one of the model's conv layers (${choices.join(', ')}).`);
    this.name = 'GradCamLayerError';
  }
}

/**
 * The output node's class scores before its softmax/sigmoid (the logits), from the node's inputs.
 * Grad-CAM differentiates the class score, not the probability: a saturated softmax (97%) has gradients
 * dominated by the other classes and gives a map of the wrong evidence. Null when the output has no
 * squashing activation to undo (its values then are the scores already).
 */
function outputLogits(tf: Tf, model: LayersModel, node: ModelNode, ins: readonly Tensor[]): Tensor | null {
  const spec = getLayerSpec(node.type);
  const activation = spec ? checkParams(node, spec).params.get('activation') : undefined;
  if (activation !== 'softmax' && activation !== 'sigmoid') return null;
  if (node.type === 'Activation') return ins[0]!;
  if (node.type !== 'Dense') return null;
  const [kernel, bias] = model.getLayer(node.id).getWeights();
  const x = ins[0]!;
  const units = kernel!.shape[1]!;
  // Dense applies to the last axis whatever the rank: flatten the leading axes for the product.
  const flat = tf.matMul(x.reshape([-1, x.shape[x.shape.length - 1]!]), kernel!);
  const z = bias ? tf.add(flat, bias) : flat;
  return z.reshape([...x.shape.slice(0, -1), units]);
}

/**
 * Grad-CAM (Selvaraju et al.): the class score's gradient w.r.t. a conv layer's output (the last one
 * unless the user picked another), averaged per channel, weights that layer's channels; relu, drawn
 * over the input pixels each cell looks at (cellGeometry), scaled to 0–255. The score is the class logit (see outputLogits). The part of the graph
 * after the conv layer is re-run eagerly from the conv output so tfjs can differentiate it.
 */
async function gradCam(
  tf: Tf,
  model: LayersModel,
  modelFile: ModelFile,
  input: Tensor4D,
  classIndex: number,
  className: string,
  inputShape: ImageShape,
  layerId: string | undefined,
): Promise<GradCamMap | null> {
  const graph = new ModelGraph(modelFile.nodes);
  const { order } = graph.topologicalOrder();
  const layers = gradCamLayerIds(model, modelFile);
  if (layerId !== undefined && !layers.includes(layerId)) throw new GradCamLayerError(layerId, layers);
  const target = layerId ?? layers[layers.length - 1];
  if (!target) return null;
  const downstream = new Set<string>([target]);
  for (const id of order) if (graph.inputsOf(id).some((i) => downstream.has(i))) downstream.add(id);
  const outputId = order.filter((id) => graph.consumersOf(id).length === 0)[0]!;
  // Values of nodes outside the downstream part that feed it (e.g. a residual shortcut), computed once.
  const needed = [...new Set(modelFile.nodes.filter((n) => downstream.has(n.id) && n.id !== target).flatMap((n) => n.inputs).filter((i) => !downstream.has(i)))];
  const probe = tf.model({ inputs: model.inputs, outputs: [target, ...needed].map((id) => model.getLayer(id).output as SymbolicTensor) });
  const outs = probe.predict(input) as Tensor | Tensor[];
  const [convOut, ...fixed] = Array.isArray(outs) ? outs : [outs];
  const fixedById = new Map(needed.map((id, i) => [id, fixed[i]!]));
  let score: GradCamMap['score'] = 'probability';
  try {
    const heat = tf.tidy(() => {
      const classScore = (a: Tensor): Tensor => {
        const values = new Map<string, Tensor>(fixedById);
        values.set(target, a);
        let logits: Tensor | null = null;
        for (const id of order) {
          if (!downstream.has(id) || id === target) continue;
          const node = graph.byId.get(id)!;
          const ins = node.inputs.map((i) => values.get(i)!);
          if (id === outputId) logits = outputLogits(tf, model, node, ins);
          if (logits) break;
          values.set(id, model.getLayer(id).apply(ins.length === 1 ? ins[0]! : ins, { training: false }) as Tensor);
        }
        score = logits ? 'logit' : 'probability';
        const out = logits ?? values.get(outputId)!;
        const units = out.shape[out.shape.length - 1]!;
        // A single sigmoid unit scores class 1; class 0's logit is its negation (its probability the complement).
        if (units === 1) return classIndex === 1 ? out.sum() : logits ? tf.neg(out).sum() : tf.sub(1, out).sum();
        // A one-hot mask rather than gather: gather's gradient needs UnsortedSegmentSum, which wasm lacks.
        return tf.mul(out, tf.oneHot([classIndex], units)).sum();
      };
      const grads = tf.grad(classScore)(convOut!) as Tensor4D;
      const weights = grads.mean([1, 2], true); // [1,1,1,k]
      return tf.relu(tf.mul(convOut!, weights).sum(-1, true)) as Tensor4D; // [1,h,w,1]
    });
    const [, h, w] = heat.shape;
    const cells = (await heat.data()) as Float32Array;
    heat.dispose();
    const [H, W] = inputShape;
    const up = projectCells(cells, h, w, H, W, cellGeometry(modelFile, target) ?? stretchGeometry(h, w, H, W));
    const max = Math.max(up.reduce((m, v) => Math.max(m, v), 0), 1e-12);
    const data = Uint8Array.from(up, (v) => Math.round((v / max) * 255));
    return { layerId: target, layers, score, classIndex, className, shape: [inputShape[0], inputShape[1]], data };
  } finally {
    tf.dispose([convOut!, ...fixed]);
  }
}

function nodeType(model: ModelFile, id: string): string {
  return model.nodes.find((n) => n.id === id)?.type ?? '';
}

/** Reads tensors asynchronously: the webgpu backend cannot read synchronously in Node. */
export async function computeActivations(tf: Tf, model: LayersModel, modelFile: ModelFile, sample: ActivationInput): Promise<ActivationsResult> {
  const [h, w, c] = sample.shape;
  const mapped = new ModelGraph(modelFile.nodes).topologicalOrder().order.filter((id) => FEATURE_MAP_LAYER_TYPES.has(nodeType(modelFile, id)));
  const input = tf.tidy(() => tf.tensor4d(Float32Array.from(sample.pixels, (v) => v * sample.scale), [1, h, w, c]));
  try {
    const probe = tf.model({ inputs: model.inputs, outputs: [...mapped.map((id) => model.getLayer(id).output as SymbolicTensor), ...(model.outputs as SymbolicTensor[])] });
    const outs = probe.predict(input) as Tensor | Tensor[];
    const list = Array.isArray(outs) ? outs : [outs];
    const read = await Promise.all(list.map(async (t) => (await t.data()) as Float32Array));
    const featureMaps = mapped.map((id, i) => featureMap(id, nodeType(modelFile, id), read[i]!, list[i]!.shape, sample.maxChannels ?? 64));
    const outValues = read[read.length - 1]!;
    tf.dispose(list);
    const k = sample.classNames.length;
    const probs = outValues.length === 1 && k === 2 ? Float32Array.of(1 - outValues[0]!, outValues[0]!) : outValues;
    const prediction = topK(probs, 0, sample.classNames, k);
    const best = sample.classNames.indexOf(prediction[0]!.className);
    return {
      input: { shape: [h, w, c], data: sample.pixels },
      samplePath: sample.samplePath,
      trueClass: sample.trueClass,
      prediction,
      featureMaps,
      filters: await firstConvFilters(tf, model, modelFile),
      gradCam: await gradCam(tf, model, modelFile, input, best, prediction[0]!.className, sample.shape, sample.gradCamLayer),
    };
  } finally {
    input.dispose();
  }
}
