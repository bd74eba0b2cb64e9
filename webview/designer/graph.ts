/** Read-only questions about a model's graph that the canvas, keyboard navigation and edits ask. */
import type { ModelFile, ModelNode } from '../../src/core/format';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Position in `to.inputs`. */
  readonly index: number;
}

export interface GraphIndex {
  readonly byId: ReadonlyMap<string, ModelNode>;
  readonly edges: readonly GraphEdge[];
  /** Consumers of each node, in file order. */
  readonly consumers: ReadonlyMap<string, readonly string[]>;
}

export function indexGraph(model: ModelFile): GraphIndex {
  const byId = new Map<string, ModelNode>();
  for (const n of model.nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const edges: GraphEdge[] = [];
  const consumers = new Map<string, string[]>();
  for (const n of model.nodes) {
    n.inputs.forEach((from, index) => {
      if (!byId.has(from)) return; // a dangling reference: diagnostics report it
      edges.push({ from, to: n.id, index });
      const list = consumers.get(from) ?? [];
      if (!list.includes(n.id)) list.push(n.id);
      consumers.set(from, list);
    });
  }
  return { byId, edges, consumers };
}

export const edgeKey = (from: string, to: string): string => `${from}\u2192${to}`;

/** Node ids nothing consumes, in file order (where "add after the end" goes). */
export function sinkIds(model: ModelFile, graph: GraphIndex): string[] {
  return model.nodes.filter((n) => !graph.consumers.has(n.id)).map((n) => n.id);
}
