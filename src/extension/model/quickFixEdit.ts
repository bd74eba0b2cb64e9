/**
 * A diagnostic's typed quick fix as a `ModelEdit`. Pure (no vscode): the code-action provider and the
 * tests share it.
 */
import type { QuickFix } from '../../core/diagnostics';
import type { ModelFile, ParamValue } from '../../core/format';
import { ModelGraph } from '../../core/graph';
import type { ModelEdit } from '../../core/modelEdit';
import { uniqueNodeId } from '../../core/nodeIds';

export function quickFixToEdit(model: ModelFile, fix: QuickFix): ModelEdit {
  switch (fix.kind) {
    case 'insertLayer':
      return insertLayerAfter(model, fix.afterNodeId, fix.layerType, (fix.params ?? {}) as Record<string, ParamValue>);
    case 'setParam':
      return { kind: 'setParam', id: fix.nodeId, param: fix.param, value: fix.value as ParamValue };
    case 'setCompile':
      return { kind: 'setSetting', path: ['compile', fix.field], value: fix.value };
    case 'removeNode':
      return { kind: 'removeNodes', ids: [fix.nodeId] };
  }
}

/**
 * A new layer right after `afterId`: between it and its consumer when it has exactly one, otherwise
 * as a new branch reading from it.
 */
export function insertLayerAfter(model: ModelFile, afterId: string, layerType: string, params: Record<string, ParamValue> = {}): ModelEdit {
  const id = uniqueNodeId(layerType, new Set(model.nodes.map((n) => n.id)));
  const consumers = new ModelGraph(model.nodes).consumersOf(afterId);
  const node = { id, type: layerType, params, inputs: [afterId] };
  if (consumers.length === 1) return { kind: 'addNode', node: { ...node, inputs: [] }, insertOnEdge: { from: afterId, to: consumers[0]! } };
  return { kind: 'addNode', node };
}
