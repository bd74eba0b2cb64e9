/**
 * Builds the `ModelEdit`s the designer's gestures stand for (insert after, duplicate, paste, connect,
 * quick fixes). Pure functions of the current model, so every gesture is one edit = one undo step.
 */
import { getLayerSpec } from '../../src/core/catalogue';
import type { QuickFix } from '../../src/core/diagnostics';
import type { LayerParams, ModelFile, ModelNode, NodePosition } from '../../src/core/format';
import type { ModelEdit } from '../../src/core/modelEdit';
import { uniqueNodeId } from '../../src/core/nodeIds';
import { insertLayerAfterEdit, quickFixToEdit } from '../../src/core/quickFixEdit';
import type { ModelGraph } from '../../src/core/graph';

export function takenIds(model: ModelFile): Set<string> {
  return new Set(model.nodes.map((n) => n.id));
}

export function newNode(model: ModelFile, type: string, inputs: string[], params: LayerParams = {}, position?: NodePosition): ModelNode {
  const node: ModelNode = { id: uniqueNodeId(type, takenIds(model)), type, params, inputs };
  if (position) node.position = { x: Math.round(position.x), y: Math.round(position.y) };
  return node;
}

/** Insert a new layer right after `afterId` (the one rule in src/core/quickFixEdit.ts). */
export function insertAfterEdit(model: ModelFile, graph: ModelGraph, afterId: string, type: string, params: LayerParams = {}): ModelEdit {
  return insertLayerAfterEdit(model, afterId, type, params, graph);
}

/**
 * Where a layer added "by double-click" goes: after the selected node, else after the model's last
 * output, else (empty model) it stands alone.
 */
export function addLayerEdit(model: ModelFile, graph: ModelGraph, type: string, afterId: string | null): ModelEdit {
  const spec = getLayerSpec(type);
  if (spec && spec.maxInputs === 0) return { kind: 'addNode', node: newNode(model, type, []) };
  if (afterId && graph.byId.has(afterId)) return insertAfterEdit(model, graph, afterId, type);
  const last = graph.sinks().at(-1);
  return { kind: 'addNode', node: newNode(model, type, last ? [last] : []) };
}

/**
 * Copies of `nodes` with fresh ids. Inputs among the copied nodes point at the copies; inputs to nodes
 * outside the set are kept when they exist in `model` (so a pasted Conv stays fed), otherwise dropped.
 */
export function copiesOf(model: ModelFile, nodes: readonly ModelNode[], offset: NodePosition | null): ModelNode[] {
  const taken = takenIds(model);
  const rename = new Map<string, string>();
  for (const n of nodes) {
    const id = uniqueNodeId(n.type, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  return nodes.map((n) => {
    const copy: ModelNode = {
      id: rename.get(n.id)!,
      type: n.type,
      params: structuredClone(n.params),
      inputs: n.inputs.flatMap((i) => {
        const copied = rename.get(i);
        if (copied) return [copied];
        return model.nodes.some((m) => m.id === i) ? [i] : [];
      }),
    };
    if (offset && n.position) copy.position = { x: n.position.x + offset.x, y: n.position.y + offset.y };
    return copy;
  });
}

/** Connect `from` → `to`; a single-input layer that is already fed has its input replaced. */
export function connectEdit(graph: ModelGraph, from: string, to: string): ModelEdit | string {
  const target = graph.byId.get(to);
  if (!target) return `There is no layer "${to}".`;
  if (from === to) return 'A layer cannot feed itself.';
  if (target.inputs.includes(from)) return `"${from}" already feeds "${to}".`;
  const spec = getLayerSpec(target.type);
  if (spec && spec.maxInputs === 0) return `${target.type} layers take no inputs: connect "${from}" to a later layer.`;
  if (spec && spec.maxInputs === 1 && target.inputs.length >= 1) {
    const old = target.inputs[0]!;
    return {
      kind: 'batch',
      label: `Connect ${from} to ${to}`,
      edits: [
        { kind: 'disconnect', from: old, to },
        { kind: 'connect', from, to, index: 0 },
      ],
    };
  }
  return { kind: 'connect', from, to };
}

/** The edit a diagnostic's quick fix stands for (the one rule in src/core/quickFixEdit.ts), or `null`. */
export function quickFixEdit(model: ModelFile, graph: ModelGraph, fix: QuickFix): ModelEdit | null {
  return quickFixToEdit(model, fix, graph);
}
