/**
 * The layer palette: the catalogue by category, with a search box. A layer is added by dragging it
 * onto the canvas (an edge: inserted there; a node: inserted after it; empty space: unconnected), by
 * double-click or Enter (inserted after the selection).
 */
import { CATEGORY_ORDER, LAYER_CATALOGUE, type LayerSpec } from '../../src/core/catalogue';
import { clear, h } from '../common/dom';
import { LAYER_DRAG_MIME } from './canvas';
import { CATEGORY_LABELS, categoryClass } from './categoryStyle';

export interface PaletteCallbacks {
  add(type: string): void;
  filterChanged(filter: string): void;
}

export function layerMatches(spec: LayerSpec, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return [spec.type, spec.kerasName, spec.category, spec.description].some((t) => t.toLowerCase().includes(f));
}

export class Palette {
  readonly element: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly list: HTMLElement;
  private readOnly = false;

  constructor(
    private readonly callbacks: PaletteCallbacks,
    initialFilter: string,
  ) {
    this.search = h('input', {
      type: 'search',
      class: 'palette-search',
      placeholder: 'Search layers',
      'aria-label': 'Search layers',
      spellcheck: 'false',
    });
    this.search.value = initialFilter;
    this.list = h('div', { class: 'palette-list', role: 'list' });
    this.element = h(
      'aside',
      { class: 'palette', 'aria-label': 'Layer palette' },
      h('div', { class: 'panel-title' }, 'Layers'),
      this.search,
      this.list,
      h('p', { class: 'palette-hint' }, 'Drag onto the graph or an edge, or double-click to add after the selection.'),
    );
    this.search.addEventListener('input', () => {
      this.renderList();
      this.callbacks.filterChanged(this.search.value);
    });
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        this.list.querySelector<HTMLElement>('.palette-item')?.focus();
      } else if (e.key === 'Enter') {
        const first = this.list.querySelector<HTMLElement>('.palette-item');
        if (first) this.callbacks.add(first.dataset.type!);
      }
    });
    this.list.addEventListener('dblclick', (e) => {
      const item = (e.target as Element).closest<HTMLElement>('.palette-item');
      if (item && !this.readOnly) this.callbacks.add(item.dataset.type!);
    });
    this.list.addEventListener('keydown', (e) => {
      const item = (e.target as Element).closest<HTMLElement>('.palette-item');
      if (!item) return;
      const items = [...this.list.querySelectorAll<HTMLElement>('.palette-item')];
      const i = items.indexOf(item);
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        if (!this.readOnly) this.callbacks.add(item.dataset.type!);
      } else if (e.key === 'ArrowDown') {
        e.preventDefault();
        items[Math.min(items.length - 1, i + 1)]?.focus();
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        if (i === 0) this.search.focus();
        else items[i - 1]?.focus();
      }
    });
    this.list.addEventListener('dragstart', (e) => {
      const item = (e.target as Element).closest<HTMLElement>('.palette-item');
      if (!item || !e.dataTransfer) return;
      e.dataTransfer.setData(LAYER_DRAG_MIME, item.dataset.type!);
      e.dataTransfer.setData('text/plain', item.dataset.type!);
      e.dataTransfer.effectAllowed = 'copy';
    });
    this.renderList();
  }

  setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly;
    this.element.classList.toggle('read-only', readOnly);
  }

  focusSearch(): void {
    this.search.focus();
  }

  private renderList(): void {
    clear(this.list);
    const filter = this.search.value;
    let shown = 0;
    for (const category of CATEGORY_ORDER) {
      const specs = [...LAYER_CATALOGUE.values()].filter((s) => s.category === category && layerMatches(s, filter));
      if (!specs.length) continue;
      const group = h('div', { class: `palette-group ${categoryClass(category)}`, role: 'group', 'aria-label': CATEGORY_LABELS[category] });
      group.append(h('div', { class: 'palette-category' }, CATEGORY_LABELS[category]));
      for (const spec of specs) {
        shown++;
        group.append(
          h(
            'div',
            {
              class: `palette-item ${categoryClass(category)}`,
              role: 'listitem',
              // One tab stop for the whole list (arrows move inside it), not one per layer type.
              tabindex: shown === 1 ? 0 : -1,
              draggable: 'true',
              'data-type': spec.type,
              title: `${spec.description}\nDouble-click or Enter: add after the selected layer.`,
              'aria-label': `${spec.type}: ${spec.description}`,
            },
            h('span', { class: 'swatch', 'aria-hidden': 'true' }),
            h('span', { class: 'palette-name' }, spec.type),
          ),
        );
      }
      this.list.append(group);
    }
    if (shown === 0) this.list.append(h('p', { class: 'palette-empty' }, `No layer matches “${filter}”.`));
  }
}
