/**
 * `analyzeModel`: the graph checks (ids, inputs, cycles, outputs), each node's params, output shape,
 * parameter counts and cost (layerShapes.ts), and the checks of the output against the loss, the
 * number of classes and the dataset. A bad node never stops the analysis of the others: its output
 * shape is `null` and the nodes after it are skipped silently (the first problem is the one to fix).
 *
 * Pure and allocation-light: the designer runs it on every keystroke.
 */
import type { AnalyzeOptions, ModelAnalysis, NodeAnalysis, Shape } from './analysis';
import { checkAugmentationPlacement } from './augmentationPlacement';
import { getLayerSpec, LAYER_TYPES, type LayerSpec } from './catalogue';
import type { Diagnostic, QuickFix } from './diagnostics';
import type { ModelFile, ModelNode } from './format';
import { ModelGraph } from './graph';
import { formatShape, inferLayer, product } from './layerShapes';
import { checkParams, type ResolvedParams } from './paramCheck';
import { isValidNodeId, NODE_ID_RULE, suggestNodeId } from './nodeIds';


/** A node the analysis accepted (a text id, the first with that id), with its catalogue entry. */
interface GraphNode {
  node: ModelNode;
  index: number;
  spec: LayerSpec | undefined;
  /** How many inputs the file lists, unknown ones included. */
  listedInputs: number;
}

function emptyAnalysis(node: ModelNode): NodeAnalysis {
  return {
    id: node.id,
    type: node.type,
    outputShape: null,
    inputShapes: [],
    params: 0,
    trainableParams: 0,
    nonTrainableParams: 0,
    flops: 0,
    activationBytes: 0,
  };
}

/** Text for any value in a message, even one whose toString is broken (`{"toString": 1}`). */
function safeText(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}

function suggestType(type: string): string {
  const lower = safeText(type).toLowerCase();
  const close = LAYER_TYPES.find((t) => t.toLowerCase() === lower || t.toLowerCase().startsWith(lower) || lower.startsWith(t.toLowerCase()));
  return close ? ` Did you mean '${close}'?` : '';
}

/** Where the output's activation is set: the output itself, or the layer before shape-only layers after it. */
function activationOwner(id: string, graph: ModelGraph, params: ReadonlyMap<string, ResolvedParams>): string {
  let cur = id;
  for (let hops = 0; hops < 8; hops++) {
    const inputs = graph.inputsOf(cur);
    if (params.get(cur)?.has('activation') || inputs.length !== 1) return cur;
    if (!['Dropout', 'SpatialDropout2D', 'Flatten', 'Reshape'].includes(graph.byId.get(cur)!.type)) return cur;
    cur = inputs[0]!;
  }
  return cur;
}

function checkOutput(
  model: ModelFile,
  outputId: string,
  graph: ModelGraph,
  nodes: ReadonlyMap<string, NodeAnalysis>,
  params: ReadonlyMap<string, ResolvedParams>,
  opts: AnalyzeOptions,
  out: Diagnostic[],
): void {
  const shape = nodes.get(outputId)?.outputShape;
  if (!shape) return;
  const loss = model.compile?.loss;
  const classification = loss === 'sparseCategoricalCrossentropy' || loss === 'categoricalCrossentropy';
  if ((classification || loss === 'binaryCrossentropy') && shape.length !== 1) {
    out.push({
      nodeId: outputId,
      code: 'rank-mismatch',
      severity: 'error',
      message: `The output '${outputId}' has shape ${formatShape(shape)}, but ${loss} needs one vector of class scores per image: add a Flatten or GlobalAveragePooling2D before the last Dense layer.`,
    });
    return;
  }
  const owner = activationOwner(outputId, graph, params);
  const ownerParams = params.get(owner);
  const activation = ownerParams?.get('activation');
  // A Softmax layer as the output is a softmax activation (its axis is checked by its shape rule).
  const act = typeof activation === 'string' ? activation : graph.byId.get(owner)?.type === 'Softmax' ? 'softmax' : 'linear';
  const units = shape[shape.length - 1]!;
  const unitsParam = ownerParams?.has('units') ? 'units' : ownerParams?.has('filters') ? 'filters' : undefined;
  const setActivation = (value: string): QuickFix[] =>
    ownerParams?.has('activation') ? [{ kind: 'setParam', title: `Set the activation of '${owner}' to ${value}`, nodeId: owner, param: 'activation', value }] : [];
  const mismatch = (message: string, fixes: QuickFix[]): void => {
    out.push({ nodeId: owner, code: 'softmax-loss-mismatch', severity: 'error', message, ...(fixes.length ? { fixes } : {}) });
  };

  if (classification) {
    if (act === 'sigmoid' && units === 1) {
      mismatch(`The output '${owner}' is one sigmoid unit (a yes/no output), but the loss is ${loss}: use binaryCrossentropy, or softmax with one unit per class.`, [
        { kind: 'setCompile', title: 'Use binaryCrossentropy', field: 'loss', value: 'binaryCrossentropy' },
      ]);
    } else if (act !== 'softmax') {
      mismatch(`The output '${owner}' uses activation '${act}', but ${loss} expects class probabilities: set its activation to 'softmax'.`, setActivation('softmax'));
    } else if (units === 1) {
      mismatch(`The output '${owner}' is a softmax over 1 unit, which always outputs 1: use one unit per class, or 1 sigmoid unit with binaryCrossentropy.`, [
        ...setActivation('sigmoid'),
        { kind: 'setCompile', title: 'Use binaryCrossentropy', field: 'loss', value: 'binaryCrossentropy' },
      ]);
    }
    if (opts.numClasses !== undefined && units !== opts.numClasses) {
      const fixes: QuickFix[] = unitsParam
        ? [{ kind: 'setParam', title: `Set ${unitsParam} of '${owner}' to ${opts.numClasses}`, nodeId: owner, param: unitsParam, value: opts.numClasses }]
        : [];
      out.push({
        nodeId: owner,
        code: 'output-units-vs-classes',
        severity: 'error',
        message: `The output '${owner}' has ${units} unit(s), but the dataset has ${opts.numClasses} classes: set ${unitsParam ?? 'its size'} to ${opts.numClasses}.`,
        ...(fixes.length ? { fixes } : {}),
      });
    }
  } else if (loss === 'binaryCrossentropy') {
    if (act === 'softmax' && units > 1) {
      mismatch(`The output '${owner}' is a softmax over ${units} classes, but binaryCrossentropy needs 1 sigmoid unit: use sparseCategoricalCrossentropy.`, [
        { kind: 'setCompile', title: 'Use sparseCategoricalCrossentropy', field: 'loss', value: 'sparseCategoricalCrossentropy' },
      ]);
    } else if (act !== 'sigmoid') {
      mismatch(`The output '${owner}' uses activation '${act}', but binaryCrossentropy needs a probability from 1 sigmoid unit: set its activation to 'sigmoid'.`, setActivation('sigmoid'));
    } else if (units !== 1) {
      out.push({
        nodeId: owner,
        code: 'softmax-loss-mismatch',
        severity: 'warning',
        message: `The output '${owner}' has ${units} sigmoid units: binaryCrossentropy then treats each as a separate yes/no label. For one label out of ${units} classes use softmax with sparseCategoricalCrossentropy; for two classes use 1 unit.`,
        fixes: unitsParam ? [{ kind: 'setParam', title: `Set ${unitsParam} to 1`, nodeId: owner, param: unitsParam, value: 1 }] : [],
      });
    }
    if (opts.numClasses !== undefined && opts.numClasses !== 2) {
      out.push({
        nodeId: owner,
        code: 'output-units-vs-classes',
        severity: 'error',
        message: `The dataset has ${opts.numClasses} classes, but binaryCrossentropy is for 2: use sparseCategoricalCrossentropy with ${opts.numClasses} softmax units.`,
        fixes: [{ kind: 'setCompile', title: 'Use sparseCategoricalCrossentropy', field: 'loss', value: 'sparseCategoricalCrossentropy' }],
      });
    }
  }
}

function checkDataset(model: ModelFile, inputIds: readonly string[], nodes: ReadonlyMap<string, NodeAnalysis>, out: Diagnostic[]): void {
  const ds = model.dataset;
  if (!ds || inputIds.length !== 1 || !Array.isArray(ds.imageSize)) return;
  const id = inputIds[0]!;
  const shape = nodes.get(id)?.outputShape;
  if (!shape || shape.length !== 3) return;
  const channels = ds.colorMode === 'grayscale' ? 1 : 3;
  const want: Shape = [ds.imageSize[0], ds.imageSize[1], channels];
  if (want.every((d, i) => d === shape[i])) return;
  out.push({
    nodeId: id,
    code: 'dataset-shape-mismatch',
    severity: 'error',
    message: `The Input '${id}' is ${formatShape(shape)}, but the dataset gives ${ds.imageSize[0]}×${ds.imageSize[1]} ${ds.colorMode} images ${formatShape(want)}: set the Input shape to ${formatShape(want)} (or change the dataset's imageSize/colorMode).`,
    fixes: [{ kind: 'setParam', title: `Set the Input shape to ${formatShape(want)}`, nodeId: id, param: 'shape', value: want }],
  });
}

export function analyzeModel(model: ModelFile, opts: AnalyzeOptions = {}): ModelAnalysis {
  const diagnostics: Diagnostic[] = [];
  const graph = new Map<string, GraphNode>();
  const modelNodes: readonly ModelNode[] = Array.isArray(model.nodes) ? model.nodes : [];

  // 1. Ids and types.
  modelNodes.forEach((node, index) => {
    // The designer may hand over a model mid-edit; a hole in the list is skipped, not fatal.
    if (typeof node !== 'object' || node === null) return;
    if (typeof node.id !== 'string') {
      diagnostics.push({
        nodeId: null,
        code: 'invalid-id',
        severity: 'error',
        message: `Node ${index + 1} has no text id (it is ${safeText(node.id)}): give it an id such as "layer${index + 1}"; it is ignored until then.`,
      });
      return;
    }
    const prev = graph.get(node.id);
    if (prev) {
      diagnostics.push({
        nodeId: node.id,
        code: 'duplicate-id',
        severity: 'error',
        message: `Two nodes have the id '${node.id}' (nodes ${prev.index + 1} and ${index + 1}): rename one; ids must be unique. The second one is ignored until then.`,
      });
      return;
    }
    if (!isValidNodeId(node.id)) {
      const suggestion = suggestNodeId(node.id);
      diagnostics.push({
        nodeId: node.id,
        code: 'invalid-id',
        severity: 'error',
        message: `The node id '${node.id}' cannot be a layer name: ${NODE_ID_RULE}${suggestion ? ` (e.g. '${suggestion}')` : ''}; rename it.`,
      });
    }
    const spec = getLayerSpec(node.type);
    if (!spec) {
      diagnostics.push({
        nodeId: node.id,
        code: 'unknown-layer',
        severity: 'error',
        message: `Node '${node.id}' has the unknown layer type '${safeText(node.type)}': use one of ${LAYER_TYPES.join(', ')}.${suggestType(node.type)}`,
      });
    }
    graph.set(node.id, { node, index, spec, listedInputs: 0 });
  });
  const edges = new ModelGraph([...graph.values()].map((g) => g.node));

  // 2. Edges.
  for (const g of graph.values()) {
    const raw = Array.isArray(g.node.inputs) ? g.node.inputs : [];
    g.listedInputs = raw.length;
    for (const inputId of raw) {
      const src = graph.get(inputId);
      if (!src) {
        diagnostics.push({
          nodeId: g.node.id,
          code: 'unknown-input',
          severity: 'error',
          message: `Node '${g.node.id}' reads from '${safeText(inputId)}', but no node has that id: connect it to an existing node or remove the input.`,
        });
      }
    }
    const spec = g.spec;
    if (!spec) continue;
    const n = raw.length;
    if (spec.type === 'Input' && n > 0) {
      diagnostics.push({
        nodeId: g.node.id,
        code: 'extra-input',
        severity: 'error',
        message: `The Input '${g.node.id}' cannot read from other nodes (it reads from ${raw.map((i) => `'${safeText(i)}'`).join(', ')}): remove its inputs.`,
      });
    } else if (n > spec.maxInputs) {
      diagnostics.push({
        nodeId: g.node.id,
        code: 'extra-input',
        severity: 'error',
        message: `${spec.type} '${g.node.id}' takes ${spec.maxInputs} input but has ${n}: remove the extra connections, or join them first with Add or Concatenate.`,
      });
    } else if (n < spec.minInputs && n > 0) {
      diagnostics.push({
        nodeId: g.node.id,
        code: 'missing-input',
        severity: 'error',
        message: `${spec.type} '${g.node.id}' joins at least ${spec.minInputs} inputs but has ${n}: connect another branch to it, or remove it.`,
        fixes: [{ kind: 'removeNode', title: `Remove '${g.node.id}'`, nodeId: g.node.id }],
      });
    }
  }

  // 3. Nodes with no connection at all, missing inputs, and the model's inputs and outputs.
  const isolated = new Set<string>();
  const inputIds: string[] = [];
  for (const g of graph.values()) {
    const id = g.node.id;
    if (g.spec?.type === 'Input') {
      inputIds.push(id);
      if (edges.consumersOf(id).length === 0 && graph.size > 1) {
        isolated.add(id);
        diagnostics.push({
          nodeId: id,
          code: 'unconnected-node',
          severity: 'warning',
          message: `The Input '${id}' feeds nothing: connect it to the first layer, or remove it.`,
          fixes: [{ kind: 'removeNode', title: `Remove '${id}'`, nodeId: id }],
        });
      }
      continue;
    }
    if (g.listedInputs > 0 || !g.spec) continue;
    if (edges.consumersOf(id).length === 0) {
      isolated.add(id);
      diagnostics.push({
        nodeId: id,
        code: 'unconnected-node',
        severity: 'error',
        message: `${g.spec.type} '${id}' is not connected to anything: connect it between two layers, or remove it.`,
        fixes: [{ kind: 'removeNode', title: `Remove '${id}'`, nodeId: id }],
      });
    } else {
      diagnostics.push({
        nodeId: id,
        code: 'missing-input',
        severity: 'error',
        message: `${g.spec.type} '${id}' has no input: connect a layer (or the Input) to it.`,
      });
    }
  }
  if (inputIds.length === 0 && graph.size > 0) {
    diagnostics.push({
      nodeId: null,
      code: 'no-input-layer',
      severity: 'error',
      message: 'The model has no Input layer: add an Input with the image shape, e.g. [32, 32, 3], and connect it to the first layer.',
    });
  }

  // 4. Topological order (file order among ready nodes, so the order reads like the file).
  const { order, unordered } = edges.topologicalOrder();
  if (unordered.length > 0) {
    for (const cycle of edges.cycles(unordered)) {
      const path = [...cycle, cycle[0]].map((id) => `'${id}'`).join(' → ');
      for (const id of cycle) {
        diagnostics.push({
          nodeId: id,
          code: 'cycle',
          severity: 'error',
          message: `'${id}' is part of a cycle ${path}: remove one of these connections; data must flow one way from the Input to the output.`,
        });
      }
    }
  }

  // 5. Params, shapes and costs, in order.
  const nodes = new Map<string, NodeAnalysis>();
  const resolved = new Map<string, ResolvedParams>();
  for (const g of graph.values()) nodes.set(g.node.id, emptyAnalysis(g.node));
  for (const g of graph.values()) {
    if (!g.spec) continue;
    const check = checkParams(g.node, g.spec);
    diagnostics.push(...check.diagnostics);
    if (check.ok) resolved.set(g.node.id, check.params);
  }
  for (const id of order) {
    const g = graph.get(id)!;
    const inputs = edges.inputsOf(id);
    const a = nodes.get(id)!;
    a.inputShapes = inputs.map((i) => nodes.get(i)!.outputShape);
    const params = resolved.get(id);
    if (!g.spec || !params) continue;
    if (inputs.length < g.spec.minInputs || inputs.length > g.spec.maxInputs) continue;
    if (g.listedInputs !== inputs.length) continue; // an unknown input: reported above
    const shapes = a.inputShapes;
    if (shapes.some((s) => s === null)) continue; // an earlier node is broken; its diagnostic says why
    const result = inferLayer({ id, type: g.spec.type, inputIds: inputs, params }, shapes as Shape[]);
    diagnostics.push(...result.diagnostics);
    a.outputShape = result.shape;
    // A frozen layer's weights all count as non-trainable, as in Keras' summary of a frozen layer.
    const frozen = g.node.trainable === false;
    a.trainableParams = frozen ? 0 : result.trainable;
    a.nonTrainableParams = frozen ? result.trainable + result.nonTrainable : result.nonTrainable;
    a.params = result.trainable + result.nonTrainable;
    a.flops = result.flops;
    a.activationBytes = result.shape ? product(result.shape) * 4 : 0;
  }

  placeFlattenFixes(diagnostics, edges, nodes);
  diagnostics.push(...checkAugmentationPlacement(edges, order, nodes));

  // 6. Outputs: nodes nothing reads from (isolated ones are reported already).
  const outputIds = [...graph.values()]
    .filter((g) => edges.consumersOf(g.node.id).length === 0 && !isolated.has(g.node.id) && g.spec?.type !== 'Input')
    .sort((a, b) => order.indexOf(a.node.id) - order.indexOf(b.node.id))
    .map((g) => g.node.id);
  // A dangling reference (mid-edit) leaves its upstream node without a consumer; that is one problem,
  // already reported as unknown-input, not also an extra output.
  const danglingEdges = diagnostics.some((d) => d.code === 'unknown-input');
  if (outputIds.length > 1 && !danglingEdges) {
    const main = outputIds[outputIds.length - 1]!;
    for (const id of outputIds.slice(0, -1)) {
      diagnostics.push({
        nodeId: id,
        code: 'multiple-outputs',
        severity: 'error',
        message: `Nothing reads from '${id}', so the model would have ${outputIds.length} outputs (${outputIds.map((o) => `'${o}'`).join(', ')}); training needs one ('${main}'): connect '${id}' to a later layer (e.g. through Add or Concatenate), or remove it.`,
        fixes: [{ kind: 'removeNode', title: `Remove '${id}'`, nodeId: id }],
      });
    }
  } else if (outputIds.length === 1) {
    checkOutput(model, outputIds[0]!, edges, nodes, resolved, opts, diagnostics);
  }
  checkDataset(model, inputIds, nodes, diagnostics);

  const totals = { params: 0, trainableParams: 0, nonTrainableParams: 0, flops: 0, activationBytes: 0 };
  for (const a of nodes.values()) {
    totals.params += a.params;
    totals.trainableParams += a.trainableParams;
    totals.nonTrainableParams += a.nonTrainableParams;
    totals.flops += a.flops;
    totals.activationBytes += a.activationBytes;
  }
  return { order: [...order], nodes, inputIds, outputIds, totals, diagnostics };
}

/**
 * Feature maps that reach a chain of Dense layers reach every one of them, so each warns; the fix that
 * helps is one Flatten where the maps first enter a Dense. Every dense-on-4d fix is pointed there, and
 * only at that edge when the layer before it has other readers (a branch keeps its maps).
 */
function placeFlattenFixes(diagnostics: Diagnostic[], graph: ModelGraph, nodes: ReadonlyMap<string, NodeAnalysis>): void {
  const warned = new Set(diagnostics.filter((d) => d.code === 'dense-on-4d' && d.nodeId !== null).map((d) => d.nodeId!));
  const soleInput = (id: string): string | undefined => {
    const inputs = graph.inputsOf(id);
    return inputs.length === 1 ? inputs[0] : undefined;
  };
  for (const d of diagnostics) {
    if (d.code !== 'dense-on-4d' || d.nodeId === null) continue;
    // Walk up while the maps are still 4-D; the most upstream warned Dense is where they entered.
    let first = d.nodeId;
    const seen = new Set<string>([first]);
    for (let up = soleInput(first); up !== undefined && !seen.has(up) && (nodes.get(up)?.outputShape?.length ?? 0) >= 3; up = soleInput(up)) {
      seen.add(up);
      if (warned.has(up)) first = up;
    }
    const after = soleInput(first);
    if (after === undefined) continue;
    const onlyThisEdge = graph.consumersOf(after).length > 1;
    if (first === d.nodeId && !onlyThisEdge) continue; // the rule's own fix already is this one
    d.fixes = [
      {
        kind: 'insertLayer',
        title: first === d.nodeId ? 'Insert a Flatten before it' : `Insert a Flatten before '${first}' (where the feature maps enter)`,
        afterNodeId: after,
        layerType: 'Flatten',
        ...(onlyThisEdge ? { beforeNodeId: first } : {}),
      },
    ];
  }
}
