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
import { layoutGraph, type GraphLayout, type LayoutDirection } from './layout';

export interface DesignerView {
  readonly model: ModelFile;
  readonly graph: ModelGraph;
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

export function deriveView(snap: SnapshotMessage | null, preview: ModelEdit | null, direction: LayoutDirection = 'TB'): Derived {
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
  const layout = layoutGraph(model, graph, direction);
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
  return {
    view: { model, graph, layout, analysis, nodeAnalysis: analysis?.nodes ?? new Map(), totals: analysis?.totals ?? null, diagnostics, problems },
    preview: applied,
  };
}
