/**
 * "Go to layer" (Ctrl+F or /): type part of a layer's id or type, arrows to move, Enter selects the
 * layer and brings it into view. The way around a 100-layer model when its names are too small to read.
 * Styled as the "Add Layer…" quick pick; focus returns where it was on Escape.
 */
import type { ModelNode } from '../../src/core/format';
import { clear, h } from '../common/dom';
import { wireFilterBox } from './listKeys';

const MAX_SHOWN = 50;

export class LayerSearch {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLElement;
  private nodes: readonly ModelNode[] = [];
  private matches: ModelNode[] = [];
  private active = 0;
  private returnFocus: Element | null = null;

  constructor(private readonly go: (id: string) => void) {
    this.input = h('input', {
      class: 'layer-search-input',
      type: 'text',
      role: 'combobox',
      'aria-expanded': 'true',
      'aria-controls': 'layer-search-list',
      'aria-autocomplete': 'list',
      'aria-label': 'Go to layer',
      placeholder: 'Go to layer: type part of its id or type, e.g. conv_dw_5',
      spellcheck: 'false',
    });
    this.list = h('div', { class: 'layer-search-list', id: 'layer-search-list', role: 'listbox', 'aria-label': 'Matching layers' });
    this.element = h('div', { class: 'layer-search', role: 'dialog', 'aria-label': 'Go to layer', hidden: true }, this.input, this.list);
    const activate = (i: number): void => {
      this.active = i;
      this.renderList();
    };
    wireFilterBox(this.input, { count: () => this.matches.length, active: () => this.active, setActive: activate, pick: (i) => this.pick(this.matches[i]!.id), close: () => this.close(true) });
    this.list.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the input
    this.list.addEventListener('click', (e) => {
      const item = (e.target as Element).closest<HTMLElement>('[data-id]');
      if (item?.dataset.id) this.pick(item.dataset.id);
    });
    this.input.addEventListener('blur', () => setTimeout(() => this.close(false), 0));
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  open(nodes: readonly ModelNode[]): void {
    this.nodes = nodes;
    this.returnFocus = document.activeElement;
    this.element.hidden = false;
    this.input.value = '';
    this.active = 0;
    this.renderList();
    this.input.focus();
  }

  private pick(id: string): void {
    this.close(false);
    this.go(id);
  }

  private close(restoreFocus: boolean): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    if (restoreFocus && this.returnFocus instanceof HTMLElement) this.returnFocus.focus();
    else if (restoreFocus && this.returnFocus instanceof SVGElement) this.returnFocus.focus();
  }

  private renderList(): void {
    const q = this.input.value.trim().toLowerCase();
    const all = q ? this.nodes.filter((n) => n.id.toLowerCase().includes(q) || n.type.toLowerCase().includes(q)) : [...this.nodes];
    // Ids that start with the query first: "conv_dw_1" before "conv_pw_1" when typing "conv_dw".
    this.matches = all.sort((a, b) => Number(!a.id.toLowerCase().startsWith(q)) - Number(!b.id.toLowerCase().startsWith(q))).slice(0, MAX_SHOWN);
    clear(this.list);
    if (!this.matches.length) {
      this.list.append(h('div', { class: 'layer-search-empty' }, `No layer matches “${this.input.value}”.`));
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    this.matches.forEach((n, i) => {
      this.list.append(
        h('div', { class: `layer-search-item${i === this.active ? ' active' : ''}`, role: 'option', id: `layer-search-${i}`, 'aria-selected': String(i === this.active), 'data-id': n.id },
          h('span', { class: 'layer-search-name' }, n.id),
          h('span', { class: 'layer-search-detail' }, n.type)),
      );
    });
    this.input.setAttribute('aria-activedescendant', `layer-search-${this.active}`);
    this.list.querySelector('.active')?.scrollIntoView({ block: 'nearest' });
  }
}
