/**
 * Opening and closing blocks: a card's click or Enter, the frame tab, "Collapse blocks" / "Expand all",
 * and the automatic opening of the block that holds a layer Go to layer, a Problems click or F8 wants
 * to show. The block that opens or closes stays where it was on screen. View state only.
 */
import type { BlockCollapse } from './blockCollapse';
import type { GraphCanvas } from './canvas';
import type { DesignerView } from './derive';
import { moveTarget, type Direction } from './keyboardNav';
import { MIN_ZOOM } from './viewState';

/** The opening fit's least zoom (app.ts): a long model is shown from its top with cards readable. */
const READABLE_FIT_ZOOM = 0.8;

export interface BlockActionsDeps {
  readonly collapse: BlockCollapse;
  readonly canvas: GraphCanvas;
  view(): DesignerView | null;
  /** Derive the view again (a new layout) and draw it. */
  redraw(): void;
}

export class BlockActions {
  constructor(private readonly deps: BlockActionsDeps) {}

  /** Which blocks are collapsed (the view derives from it; the view state saves it). */
  get collapse(): BlockCollapse {
    return this.deps.collapse;
  }

  toggle(blockId: string): void {
    const d = this.deps.view();
    const block = d?.blocks.blocks.find((b) => b.id === blockId);
    if (!d || !block) return;
    const first = block.members[0]!;
    const at = this.deps.canvas.screenPointOf(first);
    this.deps.collapse.set(blockId, !d.blocks.collapsed.has(blockId), d.blocks.blocks, d.graph.byId.size);
    this.deps.redraw();
    if (at) this.deps.canvas.keepAt(first, at);
    // Focus stays on what was toggled: the card, or the block's first layer once open.
    this.deps.canvas.focusNode(first);
  }

  /**
   * "Collapse blocks" (true) or "Expand all" (false), then fitted as the graph changed its whole shape:
   * collapsed, the whole model (an overview); expanded, from the top at a readable zoom (as on opening).
   */
  setAll(collapsed: boolean): void {
    const d = this.deps.view();
    if (!d) return;
    if (collapsed) this.deps.collapse.collapseAll(d.blocks.blocks);
    else this.deps.collapse.expandAll();
    this.deps.redraw();
    this.deps.canvas.fitToView(collapsed ? MIN_ZOOM : READABLE_FIT_ZOOM);
  }

  /** Opens the collapsed block holding the layer, if any (before it is selected and shown). */
  expandFor(layerId: string): void {
    const d = this.deps.view();
    const blockId = d?.blocks.hiddenIn.get(layerId);
    if (!d || !blockId) return;
    this.deps.collapse.set(blockId, false, d.blocks.blocks, d.graph.byId.size);
    this.deps.redraw();
  }

  /** Where an arrow key goes from the focused layer, among what is drawn (a layer or a collapsed block). */
  moveTarget(focusedId: string | null, dir: Direction): string | null {
    const d = this.deps.view();
    if (!d) return null;
    return moveTarget(d.blocks.graph, d.layout, d.analysis?.order, focusedId === null ? null : (d.blocks.hiddenIn.get(focusedId) ?? focusedId), dir);
  }

  /** The layers an arrow-key move onto a drawn node selects: a collapsed block's are all of its layers. */
  layersOf(shownId: string): readonly string[] {
    return this.deps.view()?.blocks.collapsed.get(shownId)?.block.members ?? [shownId];
  }
}
