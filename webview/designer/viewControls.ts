/**
 * Controls of how the graph is shown, over the canvas' bottom left: the layout direction (top-down or
 * left-to-right, remembered with the view state), "Go to layer…", and "Collapse blocks" / "Expand all"
 * when the model has repeated blocks. View only: nothing here edits.
 */
import { h } from '../common/dom';
import type { LayoutDirection } from './layout';

export class ViewControls {
  readonly element: HTMLElement;
  private readonly directionButton: HTMLButtonElement;
  private readonly blocksButton: HTMLButtonElement;
  private collapseNext = true;

  constructor(direction: LayoutDirection, toggleDirection: () => void, openSearch: () => void, setAllBlocks: (collapsed: boolean) => void) {
    this.directionButton = h('button', { type: 'button', class: 'view-control', 'data-action': 'layout-direction' });
    this.directionButton.addEventListener('click', toggleDirection);
    const search = h('button', { type: 'button', class: 'view-control', 'data-action': 'go-to-layer', title: 'Go to a layer by its id or type (Ctrl+F or /)' }, '⌕ Go to layer…');
    search.addEventListener('click', openSearch);
    this.blocksButton = h('button', { type: 'button', class: 'view-control', 'data-action': 'blocks', hidden: true });
    this.blocksButton.addEventListener('click', () => setAllBlocks(this.collapseNext));
    this.element = h('div', { class: 'view-controls', role: 'group', 'aria-label': 'View' }, this.directionButton, search, this.blocksButton);
    this.show(direction);
  }

  /** "Collapse blocks" while any block is open, else "Expand all"; hidden when the model has no blocks. */
  showBlocks(blocks: number, collapsed: number): void {
    this.blocksButton.hidden = blocks === 0;
    this.collapseNext = collapsed < blocks;
    this.blocksButton.textContent = this.collapseNext ? `▣ Collapse blocks (${blocks})` : '⊞ Expand all';
    this.blocksButton.title = this.collapseNext
      ? `Show each of the ${blocks} repeated blocks as one card (click a card to open it)`
      : `Show every layer of the ${blocks} blocks`;
  }

  show(direction: LayoutDirection): void {
    const across = direction === 'LR';
    this.directionButton.textContent = across ? '⇄ Left to right' : '⇅ Top down';
    this.directionButton.title = across ? 'Lay the graph out top-down' : 'Lay the graph out left to right (long models on wide editors)';
    this.directionButton.setAttribute('aria-label', 'Left-to-right layout');
    this.directionButton.setAttribute('aria-pressed', String(across));
  }
}
