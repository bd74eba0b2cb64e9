/**
 * The view model of one snapshot: the model (with the inspector's preview edit applied while the user
 * drags a slider or types), its graph and layout, the analysis and the diagnostics grouped by layer.
 * Pure: the same snapshot and preview always give the same view.
 */
import { applyModelEdit } from '../../src/core/applyModelEdit';
import type { ModelAnalysis, ModelTotals, NodeAnalysis } from '../../src/core/analysis';
import { checkModel, mergeDiagnostics } from '../../src/core/checkModel';
import type { Diagnostic } from '../../src/core/diagnostics';
import type { ModelFile } from '../../src/core/format';
import { ModelGraph } from '../../src/core/graph';
import type { ModelEdit } from '../../src/core/modelEdit';
import type { SnapshotMessage } from '../../src/protocol/designer';
import { detectLayerBlocks, type LayerBlock } from '../../src/core/layerBlocks';
import type { BlockCollapse } from './blockCollapse';
import { buildBlockDisplay, type BlockDisplay } from './blockDisplay';
import { GROUP_HEIGHT, GROUP_WIDTH, layoutGraph, type GraphLayout, type LayoutDirection } from './layout';

export interface DesignerView {
  readonly model: ModelFile;
  readonly graph: ModelGraph;
  /** What is drawn: the layers, with collapsed blocks as one card each. */
  readonly blocks: BlockDisplay;
  /** The layout of what is drawn (`blocks.graph`): collapsed blocks have a box, their layers none. */
  readonly layout: GraphLayout;
  readonly analysis: ModelAnalysis | null;
  readonly nodeAnalysis: ReadonlyMap<string, NodeAnalysis>;
  readonly totals: ModelTotals | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly problems: ReadonlyMap<string, readonly Diagnostic[]>;
}

export interface Derived {
  /** Null when the snapshot holds no model (nothing yet, or a file that does not parse). */
  readonly view: DesignerView | null;
  /** The preview that was applied; null when there was none or it no longer applies. */
  readonly preview: ModelEdit | null;
}

export function deriveView(snap: SnapshotMessage | null, preview: ModelEdit | null, direction: LayoutDirection, collapse: BlockCollapse): Derived {
  if (!snap || snap.content.kind !== 'model') return { view: null, preview };
  let model = snap.content.model;
  let applied = preview;
  if (applied) {
    try {
      model = applyModelEdit(model, applied);
    } catch {
      applied = null;
    }
  }
  const graph = new ModelGraph(model.nodes);
  let analysis: ModelAnalysis | null = null;
  let diagnostics: Diagnostic[];
  try {
    ({ analysis, diagnostics } = checkModel(model, snap.content.loadDiagnostics, snap.numClasses !== undefined ? { numClasses: snap.numClasses } : {}));
  } catch (err) {
    // A bug in analysis must not take the editor down: show the graph without shapes.
    console.error('analyzeModel failed', err);
    diagnostics = mergeDiagnostics(snap.content.loadDiagnostics);
  }
  const problems = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    if (d.nodeId === null) continue;
    const list = problems.get(d.nodeId) ?? [];
    list.push(d);
    problems.set(d.nodeId, list);
  }
  const nodeAnalysis = analysis?.nodes ?? new Map<string, NodeAnalysis>();
  let found: LayerBlock[] = [];
  try {
    found = detectLayerBlocks(graph);
  } catch (err) {
    console.error('detectLayerBlocks failed', err); // as for the analysis: every layer is still drawn
  }
  const { collapsed, frames } = collapse.resolve(found, graph.byId.size);
  const blocks = buildBlockDisplay(graph, found, collapsed, frames, nodeAnalysis, problems);
  const groupSize = { width: GROUP_WIDTH, height: GROUP_HEIGHT };
  const layout = layoutGraph(blocks.graph, blocks.graph, direction, new Map([...blocks.collapsed.keys()].map((id) => [id, groupSize])));
  return {
    view: { model, graph, blocks, layout, analysis, nodeAnalysis, totals: analysis?.totals ?? null, diagnostics, problems },
    preview: applied,
  };
}
