/**
 * What is selected in the graph: layers (with the one that has keyboard focus) or one connection, never
 * both. Pure state: the coordinator redraws when an operation reports a change.
 */
import type { ModelGraph } from '../../src/core/graph';
import { edgeKey } from './graph';

export type SelectMode = 'replace' | 'toggle' | 'add';

export class Selection {
  ids = new Set<string>();
  focusedId: string | null = null;
  /** `edgeKey(from, to)` of the selected connection. */
  edge: string | null = null;

  constructor(saved: readonly string[] = []) {
    this.ids = new Set(saved);
    this.focusedId = saved[0] ?? null;
  }

  /** Changes the layer selection; true when anything (layers, focus, the connection) changed. */
  select(ids: readonly string[], mode: SelectMode): boolean {
    const before = this.key();
    if (mode === 'replace') this.ids = new Set(ids);
    else if (mode === 'add') for (const id of ids) this.ids.add(id);
    else for (const id of ids) (this.ids.has(id) ? this.ids.delete(id) : this.ids.add(id));
    this.edge = null;
    this.focusedId = ids.length && this.ids.has(ids[ids.length - 1]!) ? ids[ids.length - 1]! : ([...this.ids][0] ?? null);
    return before !== this.key();
  }

  selectEdge(key: string): void {
    this.ids.clear();
    this.edge = key;
  }

  clear(): void {
    this.ids.clear();
    this.focusedId = null;
  }

  /** The focused layer when it is also selected (where "add after the selection" adds). */
  get anchor(): string | null {
    return this.focusedId && this.ids.has(this.focusedId) ? this.focusedId : null;
  }

  /** After a new snapshot: selects `wanted` (what the last edit asked for) and drops what no longer exists. */
  reconcile(graph: ModelGraph, wanted: readonly string[] | null): void {
    const ids = graph.byId;
    if (wanted) {
      const present = wanted.filter((id) => ids.has(id));
      if (present.length) {
        this.ids = new Set(present);
        this.focusedId = present[0]!;
        this.edge = null;
      }
    }
    this.ids = new Set([...this.ids].filter((id) => ids.has(id)));
    if (this.focusedId && !ids.has(this.focusedId)) this.focusedId = [...this.ids][0] ?? null;
    if (this.edge && !graph.edges.some((e) => edgeKey(e.from, e.to) === this.edge)) this.edge = null;
  }

  private key(): string {
    return [...this.ids].join(',') + '|' + this.edge + '|' + this.focusedId;
  }
}
