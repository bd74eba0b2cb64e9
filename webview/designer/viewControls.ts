/**
 * Controls of how the graph is shown, over the canvas' bottom left: the layout direction (top-down or
 * left-to-right, remembered with the view state) and "Go to layer…". View only: nothing here edits.
 */
import { h } from '../common/dom';
import type { LayoutDirection } from './layout';

export class ViewControls {
  readonly element: HTMLElement;
  private readonly directionButton: HTMLButtonElement;

  constructor(direction: LayoutDirection, toggleDirection: () => void, openSearch: () => void) {
    this.directionButton = h('button', { type: 'button', class: 'view-control', 'data-action': 'layout-direction' });
    this.directionButton.addEventListener('click', toggleDirection);
    const search = h('button', { type: 'button', class: 'view-control', 'data-action': 'go-to-layer', title: 'Go to a layer by its id or type (Ctrl+F or /)' }, '⌕ Go to layer…');
    search.addEventListener('click', openSearch);
    this.element = h('div', { class: 'view-controls', role: 'group', 'aria-label': 'View' }, this.directionButton, search);
    this.show(direction);
  }

  show(direction: LayoutDirection): void {
    const across = direction === 'LR';
    this.directionButton.textContent = across ? '⇄ Left to right' : '⇅ Top down';
    this.directionButton.title = across ? 'Lay the graph out top-down' : 'Lay the graph out left to right (long models on wide editors)';
    this.directionButton.setAttribute('aria-label', 'Left-to-right layout');
    this.directionButton.setAttribute('aria-pressed', String(across));
  }
}
