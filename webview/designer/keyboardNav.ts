/**
 * Arrow-key movement between nodes along the graph: up = to a producer, down = to a consumer,
 * left/right = to the nearest node beside this one (siblings on the same row first). In a left-to-right
 * layout the same moves turn with the graph: left = to a producer, right = to a consumer, up/down = beside.
 */
import type { ModelGraph } from '../../src/core/graph';
import type { GraphLayout } from './layout';

export type Direction = 'up' | 'down' | 'left' | 'right';

/** The arrow as it reads in a top-down layout (a left-to-right layout is the same graph turned). */
const ACROSS: Readonly<Record<Direction, Direction>> = { left: 'up', right: 'down', up: 'left', down: 'right' };

/** The layer a move from `focusedId` lands on; with nothing focused yet, the model's first layer. */
export function moveTarget(graph: ModelGraph, layout: GraphLayout, order: readonly string[] | undefined, focusedId: string | null, dir: Direction): string | null {
  if (!focusedId || !graph.byId.has(focusedId)) return order?.[0] ?? graph.byId.keys().next().value ?? null;
  return neighbourInDirection(graph, layout, focusedId, dir);
}

export function neighbourInDirection(graph: ModelGraph, layout: GraphLayout, fromId: string, pressed: Direction): string | null {
  const across = layout.direction === 'LR';
  const dir = across ? ACROSS[pressed] : pressed;
  // Centres in "top-down" coordinates: x along a rank, y along the flow.
  const centreOf = (b: { x: number; y: number; width: number; height: number }): { x: number; y: number } =>
    across ? { x: b.y + b.height / 2, y: b.x + b.width / 2 } : { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  const here = layout.nodes.get(fromId);
  const node = graph.byId.get(fromId);
  if (!here || !node) return null;
  const { x: cx, y: cy } = centreOf(here);
  const centre = (id: string): { x: number; y: number } | null => {
    const b = layout.nodes.get(id);
    return b ? centreOf(b) : null;
  };
  const closestByX = (ids: readonly string[]): string | null => {
    let best: string | null = null;
    let bestD = Infinity;
    for (const id of ids) {
      const c = centre(id);
      if (!c) continue;
      const d = Math.abs(c.x - cx);
      if (d < bestD) {
        bestD = d;
        best = id;
      }
    }
    return best;
  };

  if (dir === 'up') return closestByX(node.inputs.filter((i) => graph.byId.has(i)));
  if (dir === 'down') return closestByX(graph.consumersOf(fromId));

  const sign = dir === 'right' ? 1 : -1;
  let best: string | null = null;
  let bestScore = Infinity;
  for (const [id, b] of layout.nodes) {
    if (id === fromId) continue;
    const c = centreOf(b);
    const dx = (c.x - cx) * sign;
    if (dx <= 1) continue;
    // Same-row siblings win; otherwise the nearest node on that side, vertical distance weighing more.
    const score = dx + Math.abs(c.y - cy) * 3;
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}
