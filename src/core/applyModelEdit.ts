/**
 * Applies one typed `ModelEdit` to a model, returning a new model (the input is never mutated).
 *
 * The designer only sends edits it believes possible; this is the host's check of that belief. An edit
 * that cannot be applied (an id that does not exist, a duplicate id, a connection that would make a
 * cycle) throws `ModelEditError`, and the caller answers with a fresh snapshot instead of touching the
 * document. Edits that are possible but leave the model invalid (a Dense on a 4-D tensor) are applied:
 * shape inference reports those as diagnostics with a fix, which is what the user needs to see.
 */
import { getLayerSpec } from './catalogue';
import type { LayerParams, ModelFile, ModelNode, NodePosition } from './format';
import { ModelGraph } from './graph';
import type { ModelEdit, SettingsEdit } from './modelEdit';
import { isValidNodeId, NODE_ID_RULE } from './nodeIds';
import { mergeSettings, settingsEditProblem } from './settingsCheck';
import { UserFacingError } from './userFacingError';

export type ModelEditErrorCode =
  | 'unknown-node'
  | 'duplicate-id'
  | 'bad-id'
  | 'unknown-layer'
  | 'unknown-param'
  | 'not-connected'
  | 'already-connected'
  | 'cycle'
  | 'bad-index'
  | 'bad-setting'
  | 'bad-name';

/** An edit that cannot be applied to this model; `message` names the problem and what to do instead. */
export class ModelEditError extends UserFacingError {
  constructor(
    readonly code: ModelEditErrorCode,
    message: string,
  ) {
    super(message, 'ModelEditError');
  }
}

export function applyModelEdit(model: ModelFile, edit: ModelEdit): ModelFile {
  switch (edit.kind) {
    case 'addNode':
      return addNode(model, edit.node, edit.insertOnEdge);
    case 'addNodes':
      return edit.nodes.reduce<ModelFile>((m, node) => addNode(m, node, undefined), model);
    case 'removeNodes':
      return removeNodes(model, edit.ids);
    case 'setParam': {
      const node = requireNode(model, edit.id);
      requireKnownParam(node, edit.param);
      const params: LayerParams = { ...node.params };
      if (edit.value === undefined) delete params[edit.param];
      else params[edit.param] = edit.value;
      return replaceNode(model, { ...node, params });
    }
    case 'setParams': {
      const node = requireNode(model, edit.id);
      for (const name of Object.keys(edit.params)) requireKnownParam(node, name);
      return replaceNode(model, { ...node, params: { ...edit.params } });
    }
    case 'connect':
      return connect(model, edit.from, edit.to, edit.index);
    case 'disconnect': {
      requireNode(model, edit.from);
      const to = requireNode(model, edit.to);
      const at = to.inputs.indexOf(edit.from);
      if (at < 0) throw new ModelEditError('not-connected', `"${edit.from}" does not feed "${edit.to}", so there is nothing to disconnect.`);
      return replaceNode(model, { ...to, inputs: to.inputs.filter((_, i) => i !== at) });
    }
    case 'moveNodes': {
      for (const id of Object.keys(edit.positions)) requireNode(model, id);
      return {
        ...model,
        nodes: model.nodes.map((n) => {
          const p: NodePosition | undefined = edit.positions[n.id];
          return p ? { ...n, position: { x: p.x, y: p.y } } : n;
        }),
      };
    }
    case 'setTrainable': {
      for (const id of edit.ids) requireNode(model, id);
      const ids = new Set(edit.ids);
      return {
        ...model,
        nodes: model.nodes.map((n) => {
          if (!ids.has(n.id)) return n;
          const { trainable: _dropped, ...rest } = n;
          return edit.trainable ? rest : { ...rest, trainable: false };
        }),
      };
    }
    case 'renameNode':
      return renameNode(model, edit.id, edit.newId);
    case 'setCompileSettings':
    case 'setTrainingSettings':
    case 'setDataset':
      return setSettings(model, edit);
    case 'setName': {
      const name = edit.name.trim();
      if (name === '') throw new ModelEditError('bad-name', 'A model name cannot be empty: type at least one character.');
      return { ...model, name };
    }
    case 'batch':
      return edit.edits.reduce<ModelFile>((m, e) => applyModelEdit(m, e), model);
  }
}

function findNode(model: ModelFile, id: string): ModelNode | undefined {
  return model.nodes.find((n) => n.id === id);
}

function requireNode(model: ModelFile, id: string): ModelNode {
  const node = findNode(model, id);
  if (!node) throw new ModelEditError('unknown-node', `There is no layer "${id}" in the model (it may have been removed in the text): reopen the designer to see the current model.`);
  return node;
}

function replaceNode(model: ModelFile, node: ModelNode): ModelFile {
  return { ...model, nodes: model.nodes.map((n) => (n.id === node.id ? node : n)) };
}

function requireNewId(model: ModelFile, id: string): void {
  if (!isValidNodeId(id)) {
    throw new ModelEditError('bad-id', `"${id}" is not a usable layer id: ${NODE_ID_RULE}.`);
  }
  if (findNode(model, id)) throw new ModelEditError('duplicate-id', `A layer named "${id}" already exists: choose another id.`);
}

function requireKnownParam(node: ModelNode, param: string): void {
  const spec = getLayerSpec(node.type);
  // Unknown layer types are reported by diagnostics; their params cannot be checked here.
  if (spec && !Object.prototype.hasOwnProperty.call(spec.params, param)) {
    const known = Object.keys(spec.params);
    throw new ModelEditError(
      'unknown-param',
      `${node.type} has no parameter "${param}"` + (known.length ? ` (it has ${known.join(', ')}).` : ' (it has no parameters).'),
    );
  }
}

function addNode(model: ModelFile, node: ModelNode, insertOnEdge: { from: string; to: string } | undefined): ModelFile {
  requireNewId(model, node.id);
  if (!getLayerSpec(node.type)) {
    throw new ModelEditError('unknown-layer', `"${node.type}" is not a layer type CNN Studio knows: pick one from the palette.`);
  }
  const added: ModelNode = { ...node, params: { ...node.params }, inputs: [...node.inputs] };
  if (insertOnEdge) {
    const from = requireNode(model, insertOnEdge.from);
    const to = requireNode(model, insertOnEdge.to);
    if (!to.inputs.includes(from.id)) {
      throw new ModelEditError('not-connected', `"${from.id}" does not feed "${to.id}", so nothing can be inserted between them.`);
    }
    added.inputs = [from.id];
    const nodes = model.nodes.map((n) => (n.id === to.id ? { ...n, inputs: n.inputs.map((i) => (i === from.id ? added.id : i)) } : n));
    // Keep the file readable: the new layer goes right after the one that feeds it.
    nodes.splice(nodes.findIndex((n) => n.id === from.id) + 1, 0, added);
    return { ...model, nodes };
  }
  for (const input of added.inputs) requireNode(model, input);
  const lastInput = Math.max(-1, ...added.inputs.map((id) => model.nodes.findIndex((n) => n.id === id)));
  const nodes = [...model.nodes];
  if (lastInput >= 0) nodes.splice(lastInput + 1, 0, added);
  else nodes.push(added);
  return { ...model, nodes };
}

function removeNodes(model: ModelFile, ids: readonly string[]): ModelFile {
  for (const id of ids) requireNode(model, id);
  const removed = new Set(ids);
  // A removed node with exactly one input hands its consumers that input (followed through chains of
  // removed nodes); one with none or several simply disappears from its consumers' inputs.
  const bridge = (id: string, depth = 0): string | null => {
    if (!removed.has(id)) return id;
    const node = findNode(model, id)!;
    if (node.inputs.length !== 1 || depth > model.nodes.length) return null;
    return bridge(node.inputs[0]!, depth + 1);
  };
  const nodes = model.nodes
    .filter((n) => !removed.has(n.id))
    .map((n) => {
      if (!n.inputs.some((i) => removed.has(i))) return n;
      const inputs: string[] = [];
      for (const i of n.inputs) {
        const b = bridge(i);
        if (b !== null) inputs.push(b);
      }
      return { ...n, inputs };
    });
  return { ...model, nodes };
}

function connect(model: ModelFile, fromId: string, toId: string, index: number | undefined): ModelFile {
  requireNode(model, fromId);
  const to = requireNode(model, toId);
  if (fromId === toId) throw new ModelEditError('cycle', `A layer cannot feed itself: connect "${toId}" to a different layer.`);
  if (to.inputs.includes(fromId)) throw new ModelEditError('already-connected', `"${fromId}" already feeds "${toId}".`);
  if (new ModelGraph(model.nodes).reaches(toId, fromId)) {
    throw new ModelEditError('cycle', `Connecting "${fromId}" to "${toId}" would make a loop ("${toId}" already feeds "${fromId}"): a model must flow one way.`);
  }
  const inputs = [...to.inputs];
  if (index === undefined) inputs.push(fromId);
  else {
    if (!Number.isInteger(index) || index < 0 || index > inputs.length) {
      throw new ModelEditError('bad-index', `Input position ${index} does not exist on "${toId}": use 0 to ${inputs.length}.`);
    }
    inputs.splice(index, 0, fromId);
  }
  return replaceNode(model, { ...to, inputs });
}

function renameNode(model: ModelFile, id: string, newId: string): ModelFile {
  requireNode(model, id);
  if (id === newId) return model;
  requireNewId(model, newId);
  return {
    ...model,
    nodes: model.nodes.map((n) => ({
      ...n,
      id: n.id === id ? newId : n.id,
      inputs: n.inputs.map((i) => (i === id ? newId : i)),
    })),
  };
}

function setSettings(model: ModelFile, edit: SettingsEdit): ModelFile {
  const problem = settingsEditProblem(edit, model);
  if (problem !== null) throw new ModelEditError('bad-setting', `This setting cannot be changed: ${problem}`);
  const { dataset: _old, ...rest } = model;
  return { ...rest, ...mergeSettings(model, edit) };
}
