/**
 * Where a layer that passes no gradient back (the catalogue's `blocksGradient`: the random image
 * transforms RandomRotation, RandomZoom, RandomTranslation) may sit: before any trainable layer with
 * weights. Training only needs a gradient through it when a trainable weight lies upstream, which is never
 * the case where Keras' image tutorials put these layers (right after the Input, or after Rescaling).
 */
import type { NodeAnalysis } from './analysis';
import { getLayerSpec } from './catalogue';
import type { Diagnostic } from './diagnostics';
import type { ModelGraph } from './graph';

/** The first trainable layer with weights upstream of `id` (in `order`), if any. */
function weightedAncestor(id: string, graph: ModelGraph, order: readonly string[], nodes: ReadonlyMap<string, NodeAnalysis>): NodeAnalysis | undefined {
  const upstream = new Set<string>();
  const stack = [...graph.inputsOf(id)];
  while (stack.length > 0) {
    const cur = stack.pop()!;
    if (upstream.has(cur)) continue;
    upstream.add(cur);
    stack.push(...graph.inputsOf(cur));
  }
  return order.filter((n) => upstream.has(n)).map((n) => nodes.get(n)!).find((a) => a.trainableParams > 0);
}

/** One error per random image transform that has a trainable layer with weights before it. */
export function checkAugmentationPlacement(graph: ModelGraph, order: readonly string[], nodes: ReadonlyMap<string, NodeAnalysis>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const id of order) {
    const a = nodes.get(id);
    if (!a || !getLayerSpec(a.type)?.blocksGradient) continue;
    const before = weightedAncestor(id, graph, order, nodes);
    if (!before) continue;
    out.push({
      nodeId: id,
      code: 'augmentation-after-weights',
      severity: 'error',
      message:
        `${a.type} '${id}' must come before any layer with weights, but ${before.type} '${before.id}' (${before.trainableParams} trainable weights) comes first and training could not reach it through the random transform (it passes no gradient back): ` +
        `move '${id}' right after the Input, as Keras' preprocessing layers are used.`,
    });
  }
  return out;
}
