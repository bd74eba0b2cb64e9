/**
 * Arrow-key movement between nodes along the graph: up = to a producer, down = to a consumer,
 * left/right = to the nearest node beside this one (siblings on the same row first).
 */
import type { ModelGraph } from '../../src/core/graph';
import type { GraphLayout } from './layout';

export type Direction = 'up' | 'down' | 'left' | 'right';

export function neighbourInDirection(graph: ModelGraph, layout: GraphLayout, fromId: string, dir: Direction): string | null {
  const here = layout.nodes.get(fromId);
  const node = graph.byId.get(fromId);
  if (!here || !node) return null;
  const cx = here.x + here.width / 2;
  const cy = here.y + here.height / 2;
  const centre = (id: string): { x: number; y: number } | null => {
    const b = layout.nodes.get(id);
    return b ? { x: b.x + b.width / 2, y: b.y + b.height / 2 } : null;
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
    const c = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
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
