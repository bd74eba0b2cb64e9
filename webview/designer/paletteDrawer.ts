/**
 * In editors narrower than the three-column layout (beside the training dashboard) the palette does not
 * fit beside the graph; a "Layers" tab at the graph's top left opens it over the graph and closes it
 * again (Escape too), so every layer stays reachable by mouse as well as through "+ Add Layer…".
 * Wide editors never show the tab (CSS), and the palette stays in its column.
 */
import { h } from '../common/dom';

export class PaletteDrawer {
  readonly tab: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly palette: HTMLElement,
  ) {
    this.tab = h('button', { type: 'button', class: 'palette-tab view-control', 'aria-expanded': 'false', title: 'Show the layer palette' }, 'Layers ›');
    this.tab.addEventListener('click', () => this.setOpen(!this.isOpen));
    this.palette.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.isOpen) {
        e.stopPropagation();
        this.setOpen(false);
        this.tab.focus();
      }
    });
  }

  get isOpen(): boolean {
    return this.root.classList.contains('palette-open');
  }

  setOpen(open: boolean): void {
    this.root.classList.toggle('palette-open', open);
    this.tab.setAttribute('aria-expanded', String(open));
    this.tab.textContent = open ? 'Layers ‹' : 'Layers ›';
    this.tab.title = open ? 'Hide the layer palette' : 'Show the layer palette';
    if (open) this.palette.querySelector<HTMLElement>('input, .palette-item')?.focus();
  }
}
