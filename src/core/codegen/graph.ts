/**
 * Graph facts the code generators need: a topological order, whether the model is a plain chain (so it
 * can be written as a `Sequential`), and each node's params with the catalogue's defaults filled in.
 */
import { getLayerSpec, paramOrDefault } from '../catalogue';
import type { LayerParams, ModelFile, ModelNode, ParamValue } from '../format';
import { ModelGraph } from '../graph';
import { UserFacingError } from '../userFacingError';

/** Thrown when a model cannot be turned into code (e.g. a cycle or an unknown layer); the message names the fix. */
export class CodegenError extends UserFacingError {
  constructor(message: string) {
    super(message, 'CodegenError');
  }
}

/** The nodes in an order where every node comes after its inputs (ModelGraph's order); throws when there is none. */
export function topologicalOrder(model: ModelFile): ModelNode[] {
  const graph = new ModelGraph(model.nodes);
  for (const n of model.nodes) {
    for (const i of n.inputs) {
      if (!graph.byId.has(i)) throw new CodegenError(`Layer '${n.id}' takes input from '${i}', which is not in the model. Connect it to an existing layer first.`);
    }
    if (!getLayerSpec(n.type)) throw new CodegenError(`Layer '${n.id}' has the unknown type '${n.type}'. Change it to a layer from the palette first.`);
  }
  const { order, unordered } = graph.topologicalOrder();
  if (unordered.length > 0) {
    throw new CodegenError(`The layers ${unordered.join(', ')} form a cycle. Remove one of their connections, then export again.`);
  }
  return order.map((id) => graph.byId.get(id)!);
}

/** Nodes nothing reads: the model's outputs. */
export function outputNodes(model: ModelFile): ModelNode[] {
  const graph = new ModelGraph(model.nodes);
  return model.nodes.filter((n) => n.type !== 'Input' && graph.consumersOf(n.id).length === 0);
}

export function inputNodes(model: ModelFile): ModelNode[] {
  return model.nodes.filter((n) => n.type === 'Input');
}

/** True when the model is one Input followed by single-input layers, each read by exactly the next one. */
export function isChain(model: ModelFile): boolean {
  const order = topologicalOrder(model);
  if (inputNodes(model).length !== 1 || order[0]?.type !== 'Input') return false;
  for (let k = 1; k < order.length; k++) {
    const n = order[k]!;
    if (n.inputs.length !== 1 || n.inputs[0] !== order[k - 1]!.id) return false;
  }
  const graph = new ModelGraph(model.nodes);
  return order.slice(0, -1).every((n) => graph.consumersOf(n.id).length === 1);
}

/**
 * The activation the model's output ends in: its `activation` param, or the layer itself when it is one
 * (a Softmax layer is a softmax output; LeakyReLU is named for messages). Null when it has none.
 */
export function outputActivation(model: ModelFile): string | null {
  const out = outputNodes(model)[0];
  if (!out) return null;
  const act = resolvedParams(out)['activation'];
  if (typeof act === 'string') return act;
  return out.type === 'Softmax' ? 'softmax' : out.type === 'LeakyReLU' ? 'leakyRelu' : null;
}

/** Every param of a node, stored value or catalogue default. */
export function resolvedParams(node: ModelNode): LayerParams {
  const spec = getLayerSpec(node.type);
  if (!spec) throw new CodegenError(`Layer '${node.id}' has the unknown type '${node.type}'.`);
  const out: Record<string, ParamValue> = {};
  for (const name of Object.keys(spec.params)) out[name] = paramOrDefault(spec, node.params, name);
  return out;
}

export function pairParam(params: LayerParams, name: string): [number, number] {
  const v = params[name];
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  if (typeof v === 'number') return [v, v];
  throw new CodegenError(`Param '${name}' should be a [height, width] pair, got ${JSON.stringify(v)}.`);
}

export function pair2Param(params: LayerParams, name: string): [[number, number], [number, number]] {
  const v = params[name] as unknown;
  if (Array.isArray(v) && v.length === 2 && Array.isArray(v[0]) && Array.isArray(v[1])) {
    const [a, b] = v as [number[], number[]];
    return [
      [a[0] ?? 0, a[1] ?? 0],
      [b[0] ?? 0, b[1] ?? 0],
    ];
  }
  if (typeof v === 'number') return [[v, v], [v, v]];
  throw new CodegenError(`Param '${name}' should be [[top, bottom], [left, right]], got ${JSON.stringify(v)}.`);
}

export function numberParam(params: LayerParams, name: string): number {
  const v = params[name];
  if (typeof v !== 'number') throw new CodegenError(`Param '${name}' should be a number, got ${JSON.stringify(v)}.`);
  return v;
}

export function stringParam(params: LayerParams, name: string): string {
  const v = params[name];
  if (typeof v !== 'string') throw new CodegenError(`Param '${name}' should be text, got ${JSON.stringify(v)}.`);
  return v;
}

export function boolParam(params: LayerParams, name: string): boolean {
  const v = params[name];
  if (typeof v !== 'boolean') throw new CodegenError(`Param '${name}' should be true or false, got ${JSON.stringify(v)}.`);
  return v;
}

export function shapeParam(params: LayerParams, name: string): number[] {
  const v = params[name];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new CodegenError(`Param '${name}' should be a list of sizes, got ${JSON.stringify(v)}.`);
  return v as number[];
}
