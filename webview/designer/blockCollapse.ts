/**
 * Which blocks are collapsed: view state, remembered with the camera and the layout direction, never an
 * edit of the document. Until the user collapses or expands anything, a large model (where a column of
 * layers is unreadable) shows all its blocks collapsed and a small one shows them all expanded.
 */
import type { LayerBlock } from '../../src/core/layerBlocks';

/** From this many layers a model opens with its blocks collapsed. */
export const AUTO_COLLAPSE_LAYERS = 40;

export interface CollapsedBlocks {
  readonly collapsed: ReadonlySet<string>;
  /** Frames around expanded blocks: once the user works with blocks, or by default on a large model. */
  readonly frames: boolean;
}

export class BlockCollapse {
  /** null until the user chose: the default applies. */
  private chosen: Set<string> | null;

  constructor(saved: readonly string[] | null) {
    this.chosen = saved ? new Set(saved) : null;
  }

  /** What to save: the collapsed block ids, or null while the default applies. */
  get saved(): string[] | null {
    return this.chosen ? [...this.chosen] : null;
  }

  /** Back to the default (the panel now shows another document). */
  reset(): void {
    this.chosen = null;
  }

  resolve(blocks: readonly LayerBlock[], layerCount: number): CollapsedBlocks {
    const large = layerCount >= AUTO_COLLAPSE_LAYERS;
    if (!this.chosen) return { collapsed: new Set(large ? blocks.map((b) => b.id) : []), frames: large };
    const chosen = this.chosen;
    return { collapsed: new Set(blocks.filter((b) => chosen.has(b.id)).map((b) => b.id)), frames: true };
  }

  isCollapsed(id: string, blocks: readonly LayerBlock[], layerCount: number): boolean {
    return this.resolve(blocks, layerCount).collapsed.has(id);
  }

  /** Collapses or expands one block; the other blocks keep what they showed. */
  set(id: string, collapsed: boolean, blocks: readonly LayerBlock[], layerCount: number): void {
    const now = new Set(this.resolve(blocks, layerCount).collapsed);
    if (collapsed) now.add(id);
    else now.delete(id);
    this.chosen = now;
  }

  collapseAll(blocks: readonly LayerBlock[]): void {
    this.chosen = new Set(blocks.map((b) => b.id));
  }

  expandAll(): void {
    this.chosen = new Set();
  }
}
