/**
 * F8 (and the summary bar's problem count): steps through the layers that have problems, in the order
 * the diagnostics list them, wrapping round.
 */
import type { DesignerView } from './derive';

export class ProblemCursor {
  private index = -1;

  /** The next layer with a problem; null when the problems are all about the whole model; undefined when there are none. */
  next(d: DesignerView | null): string | null | undefined {
    if (!d || !d.diagnostics.length) return undefined;
    const ids = [...new Set(d.diagnostics.flatMap((x) => (x.nodeId !== null && d.graph.byId.has(x.nodeId) ? [x.nodeId] : [])))];
    if (!ids.length) return null;
    this.index = (this.index + 1) % ids.length;
    return ids[this.index]!;
  }
}
