/**
 * The model edits that a diagnostic's quick fix and "insert a layer after" stand for. One rule for the
 * designer (its gestures and lightbulb), the host's Problems-panel fixes and the Add Layer command, so
 * a fix does the same thing wherever it is clicked.
 */
import { getLayerSpec } from './catalogue';
import type { QuickFix } from './diagnostics';
import type { LayerParams, ModelFile, ModelNode } from './format';
import { ModelGraph } from './graph';
import { isParamValue } from './guards';
import type { ModelEdit } from './modelEdit';
import { uniqueNodeId } from './nodeIds';

/**
 * A new layer right after `afterId`: it reads from `afterId`, and everything that read from `afterId`
 * now reads from it. One consumer is the plain "insert on edge"; several become one batch (one undo step).
 */
export function insertLayerAfterEdit(model: ModelFile, afterId: string, type: string, params: LayerParams = {}, graph = new ModelGraph(model.nodes)): ModelEdit {
  const node: ModelNode = { id: uniqueNodeId(type, new Set(model.nodes.map((n) => n.id))), type, params, inputs: [afterId] };
  const consumers = graph.consumersOf(afterId);
  if (consumers.length === 0) return { kind: 'addNode', node };
  if (consumers.length === 1) return { kind: 'addNode', node, insertOnEdge: { from: afterId, to: consumers[0]! } };
  const edits: ModelEdit[] = [{ kind: 'addNode', node }];
  for (const c of consumers) {
    const index = graph.byId.get(c)!.inputs.indexOf(afterId);
    edits.push({ kind: 'disconnect', from: afterId, to: c }, { kind: 'connect', from: node.id, to: c, index });
  }
  return { kind: 'batch', label: `Insert ${type} after ${afterId}`, edits };
}

/** The edit a diagnostic's quick fix stands for, or `null` when it no longer fits the model (stale or bad data). */
export function quickFixToEdit(model: ModelFile, fix: QuickFix, graph = new ModelGraph(model.nodes)): ModelEdit | null {
  switch (fix.kind) {
    case 'insertLayer': {
      if (!graph.byId.has(fix.afterNodeId) || !getLayerSpec(fix.layerType)) return null;
      const params: LayerParams = {};
      for (const [k, v] of Object.entries(fix.params ?? {})) if (isParamValue(v)) params[k] = v;
      if (fix.beforeNodeId !== undefined) {
        if (!graph.byId.get(fix.beforeNodeId)?.inputs.includes(fix.afterNodeId)) return null;
        const node: ModelNode = { id: uniqueNodeId(fix.layerType, new Set(model.nodes.map((n) => n.id))), type: fix.layerType, params, inputs: [] };
        return { kind: 'addNode', node, insertOnEdge: { from: fix.afterNodeId, to: fix.beforeNodeId } };
      }
      return insertLayerAfterEdit(model, fix.afterNodeId, fix.layerType, params, graph);
    }
    case 'setParam':
      return isParamValue(fix.value) && graph.byId.has(fix.nodeId) ? { kind: 'setParam', id: fix.nodeId, param: fix.param, value: fix.value } : null;
    case 'setCompile':
      return { kind: 'setCompileSettings', settings: { [fix.field]: fix.value } };
    case 'removeNode':
      return graph.byId.has(fix.nodeId) ? { kind: 'removeNodes', ids: [fix.nodeId] } : null;
  }
}
