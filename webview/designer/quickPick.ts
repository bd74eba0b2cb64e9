/**
 * "Add Layer…": a quick pick inside the webview, styled like VS Code's. Type to filter, arrows to
 * move, Enter to insert, Escape to close; focus returns where it was.
 */
import { CATEGORY_ORDER, LAYER_CATALOGUE, type LayerSpec } from '../../src/core/catalogue';
import { clear, h } from '../common/dom';
import { CATEGORY_LABELS, categoryClass } from './categoryStyle';
import { wireFilterBox } from './listKeys';
import { layerMatches } from './palette';

export class LayerQuickPick {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly titleEl: HTMLElement;
  private items: LayerSpec[] = [];
  private active = 0;
  private onPick: ((type: string) => void) | null = null;
  private returnFocus: HTMLElement | SVGElement | null = null;

  constructor() {
    this.titleEl = h('div', { class: 'quick-pick-title', id: 'quick-pick-title' });
    this.input = h('input', {
      class: 'quick-pick-input',
      type: 'text',
      role: 'combobox',
      'aria-expanded': 'true',
      'aria-controls': 'quick-pick-list',
      'aria-autocomplete': 'list',
      'aria-labelledby': 'quick-pick-title',
      placeholder: 'Type a layer name, e.g. Dropout',
      spellcheck: 'false',
    });
    this.list = h('div', { class: 'quick-pick-list', id: 'quick-pick-list', role: 'listbox', 'aria-labelledby': 'quick-pick-title' });
    this.element = h('div', { class: 'quick-pick', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'quick-pick-title', hidden: true }, this.titleEl, this.input, this.list);

    wireFilterBox(this.input, {
      count: () => this.items.length,
      active: () => this.active,
      setActive: (i) => {
        this.active = i;
        this.renderList();
      },
      pick: (i) => this.pick(this.items[i]!.type),
      close: () => this.close(),
    });
    this.input.addEventListener('blur', () => {
      // Clicking an option blurs the input first; let the click land.
      setTimeout(() => {
        if (!this.element.contains(document.activeElement)) this.close(false);
      }, 150);
    });
    this.list.addEventListener('mousedown', (e) => e.preventDefault());
    this.list.addEventListener('click', (e) => {
      const opt = (e.target as Element).closest<HTMLElement>('.quick-pick-item');
      if (opt) this.pick(opt.dataset.type!);
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  open(title: string, onPick: (type: string) => void): void {
    this.returnFocus = document.activeElement instanceof HTMLElement || document.activeElement instanceof SVGElement ? document.activeElement : null;
    this.onPick = onPick;
    this.titleEl.textContent = title;
    this.input.value = '';
    this.active = 0;
    this.element.hidden = false;
    this.renderList();
    this.input.focus();
  }

  close(restoreFocus = true): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.onPick = null;
    if (restoreFocus && this.returnFocus?.isConnected) this.returnFocus.focus();
  }

  private pick(type: string): void {
    const cb = this.onPick;
    this.close();
    cb?.(type);
  }

  private renderList(): void {
    const filter = this.input.value;
    const specs = CATEGORY_ORDER.flatMap((c) => [...LAYER_CATALOGUE.values()].filter((s) => s.category === c && layerMatches(s, filter)));
    // Names starting with what was typed come first (typing "dro" should pick Dropout, not SpatialDropout2D).
    const f = filter.trim().toLowerCase();
    this.items = f ? [...specs.filter((s) => s.type.toLowerCase().startsWith(f)), ...specs.filter((s) => !s.type.toLowerCase().startsWith(f))] : specs;
    this.active = Math.min(this.active, Math.max(0, this.items.length - 1));
    clear(this.list);
    this.items.forEach((spec, i) => {
      this.list.append(
        h(
          'div',
          {
            class: `quick-pick-item ${categoryClass(spec.category)}${i === this.active ? ' active' : ''}`,
            role: 'option',
            id: `qp-${spec.type}`,
            'aria-selected': i === this.active ? 'true' : 'false',
            'data-type': spec.type,
          },
          h('span', { class: 'swatch', 'aria-hidden': 'true' }),
          h('span', { class: 'quick-pick-name' }, spec.type),
          h('span', { class: 'quick-pick-detail' }, `${CATEGORY_LABELS[spec.category]} — ${spec.description}`),
        ),
      );
    });
    if (!this.items.length) this.list.append(h('div', { class: 'quick-pick-empty' }, `No layer matches “${filter}”.`));
    const activeSpec = this.items[this.active];
    if (activeSpec) {
      this.input.setAttribute('aria-activedescendant', `qp-${activeSpec.type}`);
      this.list.querySelector('.active')?.scrollIntoView({ block: 'nearest' });
    } else this.input.removeAttribute('aria-activedescendant');
  }
}
