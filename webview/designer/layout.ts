/**
 * Top-to-bottom (or left-to-right, for long models on wide screens) layout with dagre. Nodes the user placed (`node.position`) stay where they are; the
 * others get dagre's positions. Edges between two auto-placed nodes follow dagre's routed points, so
 * long skip connections bend around the layers in between.
 */
import dagre from '@dagrejs/dagre';
import type { ModelNode } from '../../src/core/format';
import type { ModelGraph } from '../../src/core/graph';
import { edgeKey } from './graph';

export const NODE_WIDTH = 212;
export const NODE_HEIGHT = 74;

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface NodeBox {
  /** Top-left corner in graph coordinates. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** True when the position comes from the file, not the layout. */
  readonly pinned: boolean;
}

/** Which way data flows on screen: top-down (inputs on a node's top) or left-to-right (inputs on its left). */
export type LayoutDirection = 'TB' | 'LR';

export interface GraphLayout {
  readonly direction: LayoutDirection;
  readonly nodes: ReadonlyMap<string, NodeBox>;
  /** Routed points of edges whose ends were both laid out by dagre (key: `edgeKey(from, to)`). */
  readonly edgePoints: ReadonlyMap<string, readonly Point[]>;
  readonly bounds: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

/** A collapsed block's card is larger than a layer's (it names the block and its type sequence). */
export const GROUP_WIDTH = 340;
export const GROUP_HEIGHT = 82;

/**
 * `nodes` and `graph` are what is drawn: the model's layers, or the display graph where collapsed blocks
 * are one node each (`sizes` gives those their card size).
 */
export function layoutGraph(model: { readonly nodes: readonly ModelNode[] }, graph: ModelGraph, direction: LayoutDirection = 'TB', sizes: ReadonlyMap<string, { width: number; height: number }> = new Map()): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: direction, nodesep: direction === 'TB' ? 48 : 28, ranksep: direction === 'TB' ? 56 : 64, edgesep: 24, marginx: 24, marginy: 24 });
  g.setDefaultEdgeLabel(() => ({}));
  const sizeOf = (id: string): { width: number; height: number } => sizes.get(id) ?? { width: NODE_WIDTH, height: NODE_HEIGHT };
  // A fresh label each: dagre writes the position into it.
  for (const id of graph.byId.keys()) g.setNode(id, { ...sizeOf(id) });
  for (const e of graph.edges) g.setEdge(e.from, e.to, { minlen: 1 });
  dagre.layout(g);

  const nodes = new Map<string, NodeBox>();
  for (const n of model.nodes) {
    if (nodes.has(n.id)) continue;
    if (n.position) {
      nodes.set(n.id, { x: n.position.x, y: n.position.y, width: NODE_WIDTH, height: NODE_HEIGHT, pinned: true });
    } else {
      const d = g.node(n.id) as { x: number; y: number } | undefined;
      const { width, height } = sizeOf(n.id);
      // dagre gives centres
      nodes.set(n.id, { x: (d?.x ?? 0) - width / 2, y: (d?.y ?? 0) - height / 2, width, height, pinned: false });
    }
  }

  const edgePoints = new Map<string, Point[]>();
  for (const e of graph.edges) {
    if (nodes.get(e.from)?.pinned || nodes.get(e.to)?.pinned) continue;
    const d = g.edge(e.from, e.to) as { points?: Point[] } | undefined;
    if (d?.points && d.points.length > 2) edgePoints.set(edgeKey(e.from, e.to), d.points);
  }

  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const b of nodes.values()) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.width);
    maxY = Math.max(maxY, b.y + b.height);
  }
  const bounds = nodes.size ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : { x: 0, y: 0, width: 0, height: 0 };
  return { direction, nodes, edgePoints, bounds };
}
