/**
 * `ModelGraph`: the read-only questions every layer asks about a model's nodes (which node has an id,
 * the edges, who reads a node, the inputs and outputs, the order to compute them in, what reaches what).
 *
 * The analysis, the code generators, model edits, the engine's feature maps and the designer all ask
 * through this one class, so they agree on one order (file order among the nodes that are ready, which
 * is file order for any file whose layers come after their inputs) and on how half-edited graphs are
 * read: the first node with an id wins, and an input naming no node is left out of the edges (the
 * analysis reports it as unknown-input).
 */
import type { ModelNode } from './format';

/** One connection: `to` reads `from` as its input number `index`. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Position in `to.inputs`. */
  readonly index: number;
}

/** A topological order, and the nodes left out of it because they sit on or after a cycle. */
export interface GraphOrder {
  readonly order: readonly string[];
  readonly unordered: readonly string[];
}

/** A node's inputs; a model handed over mid-edit may lack the list, which then reads as empty. */
const inputList = (node: ModelNode): readonly string[] => (Array.isArray(node.inputs) ? node.inputs : []);

export class ModelGraph {
  /** Each id's node; with duplicate ids, the first in file order. */
  readonly byId: ReadonlyMap<string, ModelNode>;
  /** Every input that names a node, in file order. */
  readonly edges: readonly GraphEdge[];
  /** The distinct readers of each node that has any, in file order. */
  readonly consumers: ReadonlyMap<string, readonly string[]>;
  private readonly fileIndex: ReadonlyMap<string, number>;
  private orderCache: GraphOrder | undefined;

  constructor(readonly nodes: readonly ModelNode[]) {
    const byId = new Map<string, ModelNode>();
    const fileIndex = new Map<string, number>();
    nodes.forEach((n, i) => {
      if (byId.has(n.id)) return;
      byId.set(n.id, n);
      fileIndex.set(n.id, i);
    });
    const edges: GraphEdge[] = [];
    const consumers = new Map<string, string[]>();
    for (const n of nodes) {
      inputList(n).forEach((from, index) => {
        if (!byId.has(from)) return;
        edges.push({ from, to: n.id, index });
        const list = consumers.get(from) ?? [];
        if (!list.includes(n.id)) list.push(n.id);
        consumers.set(from, list);
      });
    }
    this.byId = byId;
    this.edges = edges;
    this.consumers = consumers;
    this.fileIndex = fileIndex;
  }

  /** The nodes reading `id`, in file order. */
  consumersOf(id: string): readonly string[] {
    return this.consumers.get(id) ?? [];
  }

  /** The inputs of `id` that name a node, in the node's order (an input listed twice counts twice). */
  inputsOf(id: string): readonly string[] {
    const node = this.byId.get(id);
    return node ? inputList(node).filter((i) => this.byId.has(i)) : [];
  }

  /** Ids nothing reads, in file order (the model's outputs, plus unconnected nodes). */
  sinks(): string[] {
    return [...this.byId.keys()].filter((id) => !this.consumers.has(id));
  }

  /** Ids of the Input layers, in file order. */
  inputIds(): string[] {
    return [...this.byId.values()].filter((n) => n.type === 'Input').map((n) => n.id);
  }

  /**
   * Every node after its inputs; among the nodes that are ready, the earliest in the file goes first, so
   * the order reads like the file. Nodes on a cycle, and everything after one, are `unordered`.
   */
  topologicalOrder(): GraphOrder {
    if (this.orderCache) return this.orderCache;
    const order: string[] = [];
    const pending = new Map<string, number>();
    const ready: string[] = [];
    for (const id of this.byId.keys()) {
      const count = this.inputsOf(id).length;
      pending.set(id, count);
      if (count === 0) ready.push(id);
    }
    while (ready.length > 0) {
      let best = 0;
      for (let i = 1; i < ready.length; i++) if (this.fileIndex.get(ready[i]!)! < this.fileIndex.get(ready[best]!)!) best = i;
      const id = ready.splice(best, 1)[0]!;
      order.push(id);
      for (const c of this.consumersOf(id)) {
        // A node may read the same input twice (Add(x, x)); each reference is one pending edge.
        const left = pending.get(c)! - this.inputsOf(c).filter((i) => i === id).length;
        pending.set(c, left);
        if (left === 0) ready.push(c);
      }
    }
    const ordered = new Set(order);
    this.orderCache = { order, unordered: [...this.byId.keys()].filter((id) => !ordered.has(id)) };
    return this.orderCache;
  }

  /** True when `target` is `start` or can be reached from it by following edges (input → reader). */
  reaches(start: string, target: string): boolean {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length) {
      const id = stack.pop()!;
      if (id === target) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...this.consumersOf(id));
    }
    return false;
  }

  /** The cycles among `ids` (strongly connected components of two or more, or a node reading itself), each in edge order. */
  cycles(ids: readonly string[]): string[][] {
    // Tarjan's strongly connected components.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const cycles: string[][] = [];
    let counter = 0;
    const allowed = new Set(ids);
    const visit = (v: string): void => {
      index.set(v, counter);
      low.set(v, counter);
      counter++;
      stack.push(v);
      onStack.add(v);
      for (const w of this.consumersOf(v)) {
        if (!allowed.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        const selfLoop = this.inputsOf(v).includes(v);
        if (component.length > 1 || selfLoop) cycles.push(component.reverse());
      }
    };
    for (const id of ids) if (!index.has(id)) visit(id);
    return cycles;
  }
}
