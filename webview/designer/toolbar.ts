/**
 * The designer's toolbar: the model's name and the actions. It always fits on one line: when the
 * labels do not fit, every button shows its short face (a glyph or short word, the full name stays
 * in the tooltip and the accessible name); when even that does not fit, the least needed actions move
 * into a "More actions" (⋯) menu. Nothing is cut off and no button is hidden without a way to it.
 */
import { clear, h } from '../common/dom';

export interface ToolbarAction {
  /** `data-action` of the button (tests and the menu item use it too). */
  readonly action: string;
  /** Accessible name, and the text of its menu item once it has moved into the ⋯ menu. */
  readonly label: string;
  /** Tooltip (with the shortcut). */
  readonly title: string;
  /** Face when there is room. */
  readonly text: string;
  /** Face when space is short (a glyph or a short word); the same as `text` when not given. */
  readonly short?: string;
  /** Buttons of one group sit together; a separator stands between groups. */
  readonly group: string;
  /** Which actions go into the ⋯ menu first when space runs out (lowest first). */
  readonly overflowRank: number;
  run(): void;
}

/** Room the model's name keeps before actions move into the ⋯ menu (about a dozen letters). */
const MIN_NAME_WIDTH = 110;
/** Room the name keeps before the buttons switch to their short faces. */
const FULL_LABELS_NAME_WIDTH = 240;

interface Placed {
  readonly spec: ToolbarAction;
  readonly button: HTMLElement;
}

export class Toolbar {
  readonly element: HTMLElement;
  private readonly titleGroup: HTMLElement;
  private readonly actionGroup: HTMLElement;
  private readonly moreButton: HTMLElement;
  private readonly menu: HTMLElement;
  private placed: Placed[] = [];
  private overflowed: Placed[] = [];
  /** The width the buttons were last fitted to (a resize to the same width needs no work). */
  private fittedWidth = -1;

  constructor() {
    this.titleGroup = h('div', { class: 'toolbar-title' });
    this.actionGroup = h('div', { class: 'toolbar-group toolbar-actions' });
    this.moreButton = h(
      'vscode-button',
      { appearance: 'secondary', class: 'toolbar-more', 'data-action': 'more', 'aria-label': 'More actions', title: 'More actions', 'aria-haspopup': 'menu', 'aria-expanded': 'false', hidden: true },
      h('span', { class: 'face-icon' }, '⋯'),
    );
    this.menu = h('div', { class: 'toolbar-menu', role: 'menu', 'aria-label': 'More actions', hidden: true });
    this.element = h('header', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Designer' }, this.titleGroup, this.actionGroup, this.menu);
    this.moreButton.addEventListener('click', () => (this.menu.hidden ? this.openMenu() : this.closeMenu(true)));
    this.moreButton.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' && this.menu.hidden) {
        e.preventDefault();
        this.openMenu();
      }
    });
    this.menu.addEventListener('keydown', (e) => this.onMenuKey(e));
    this.menu.addEventListener('click', (e) => {
      const item = (e.target as Element).closest<HTMLElement>('[role="menuitem"]');
      if (item) this.runMenuItem(item);
    });
    document.addEventListener('pointerdown', (e) => {
      if (!this.menu.hidden && !this.menu.contains(e.target as Node) && !this.moreButton.contains(e.target as Node)) this.closeMenu(false);
    });
    new ResizeObserver(() => {
      if (this.element.clientWidth !== this.fittedWidth) this.fit();
    }).observe(this.element);
  }

  render(title: string, badge: string | null, actions: readonly ToolbarAction[]): void {
    // Every snapshot re-renders the toolbar: a keyboard user pressing Undo again and again keeps focus.
    const focused = this.actionGroup.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.action : undefined;
    this.closeMenu(false);
    clear(this.titleGroup);
    this.titleGroup.append(h('span', { class: 'model-name', title }, title));
    if (badge) this.titleGroup.append(h('span', { class: 'readonly-badge' }, badge));
    clear(this.actionGroup);
    this.placed = [];
    let group: string | null = null;
    for (const spec of actions) {
      if (group !== null && spec.group !== group) this.actionGroup.append(h('span', { class: 'toolbar-sep', 'aria-hidden': 'true' }));
      group = spec.group;
      const button = h(
        'vscode-button',
        { appearance: 'secondary', 'aria-label': spec.label, title: spec.title, 'data-action': spec.action },
        h('span', { class: 'face-full' }, spec.text),
        h('span', { class: 'face-short' }, spec.short ?? spec.text),
      );
      button.addEventListener('click', () => spec.run());
      this.actionGroup.append(button);
      this.placed.push({ spec, button });
    }
    this.actionGroup.append(this.moreButton);
    this.fit();
    if (focused) this.placed.find((p) => p.spec.action === focused && !p.button.hidden)?.button.focus();
  }

  /** Chooses the faces and what goes into the ⋯ menu for the toolbar's current width. */
  fit(): void {
    this.fittedWidth = this.element.clientWidth;
    if (this.fittedWidth === 0) return; // hidden: fitted when it shows again
    const menuWasOpen = !this.menu.hidden;
    this.element.classList.remove('compact');
    for (const p of this.placed) p.button.hidden = false;
    this.overflowed = [];
    this.moreButton.hidden = true;
    this.updateSeparators();
    // Labels give way before the model's name does: full labels only while the name has room.
    if (this.fits(FULL_LABELS_NAME_WIDTH)) return this.afterFit(menuWasOpen);
    this.element.classList.add('compact');
    if (this.fits(MIN_NAME_WIDTH)) return this.afterFit(menuWasOpen);
    this.moreButton.hidden = false;
    const byRank = [...this.placed].sort((a, b) => a.spec.overflowRank - b.spec.overflowRank);
    for (const p of byRank) {
      p.button.hidden = true;
      this.overflowed.push(p);
      this.updateSeparators();
      if (this.fits(MIN_NAME_WIDTH)) break;
    }
    this.afterFit(menuWasOpen);
  }

  /** The actions now in the ⋯ menu (for tests and the menu itself), in toolbar order. */
  get overflowActions(): string[] {
    return this.placed.filter((p) => this.overflowed.includes(p)).map((p) => p.spec.action);
  }

  /** Nothing spills over, and the model's name shows whole or at least `nameWidth` pixels of it. */
  private fits(nameWidth: number): boolean {
    if (this.element.scrollWidth > this.element.clientWidth + 0.5) return false;
    const name = this.titleGroup.querySelector<HTMLElement>('.model-name');
    return !name || name.scrollWidth <= name.clientWidth + 0.5 || name.clientWidth >= nameWidth;
  }

  private afterFit(menuWasOpen: boolean): void {
    this.element.dataset.overflow = String(this.overflowed.length);
    if (menuWasOpen && this.overflowed.length) this.openMenu();
    else this.closeMenu(false);
  }

  /** A separator shows only between two groups that both still have a button on the toolbar. */
  private updateSeparators(): void {
    let seenButton = false;
    let pending: HTMLElement | null = null;
    for (const child of this.actionGroup.children) {
      const el = child as HTMLElement;
      if (el.classList.contains('toolbar-sep')) {
        el.hidden = true;
        if (seenButton) pending = el;
        seenButton = false;
      } else if (!el.hidden) {
        if (pending) pending.hidden = false;
        pending = null;
        seenButton = true;
      }
    }
  }

  /* ---------------------------------------------------------------------------------------------- */
  /* the ⋯ menu                                                                                     */
  /* ---------------------------------------------------------------------------------------------- */

  private openMenu(): void {
    const items = this.placed.filter((p) => this.overflowed.includes(p));
    if (!items.length) return;
    clear(this.menu);
    for (const { spec } of items) {
      this.menu.append(
        h('div', { class: 'toolbar-menu-item', role: 'menuitem', tabindex: -1, 'data-action': spec.action, title: spec.title }, h('span', { class: 'menu-glyph', 'aria-hidden': 'true' }, menuGlyph(spec)), h('span', {}, spec.label)),
      );
    }
    // Fixed, so the toolbar's overflow clipping does not cut it; right-aligned under the ⋯ button.
    const r = this.moreButton.getBoundingClientRect();
    this.menu.style.top = `${Math.round(r.bottom + 2)}px`;
    this.menu.style.right = `${Math.max(4, Math.round(document.documentElement.clientWidth - r.right))}px`;
    this.menu.hidden = false;
    this.moreButton.setAttribute('aria-expanded', 'true');
    this.menu.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }

  private closeMenu(returnFocus: boolean): void {
    if (this.menu.hidden) return;
    this.menu.hidden = true;
    this.moreButton.setAttribute('aria-expanded', 'false');
    if (returnFocus) this.moreButton.focus();
  }

  private runMenuItem(item: HTMLElement): void {
    const spec = this.placed.find((p) => p.spec.action === item.dataset.action)?.spec;
    this.closeMenu(true);
    spec?.run();
  }

  private onMenuKey(e: KeyboardEvent): void {
    const items = [...this.menu.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    const focus = (n: number): void => items[(n + items.length) % items.length]?.focus();
    switch (e.key) {
      case 'ArrowDown':
        focus(i + 1);
        break;
      case 'ArrowUp':
        focus(i - 1);
        break;
      case 'Home':
        focus(0);
        break;
      case 'End':
        focus(items.length - 1);
        break;
      case 'Enter':
      case ' ':
        if (items[i]) this.runMenuItem(items[i]!);
        break;
      case 'Escape':
        this.closeMenu(true);
        break;
      case 'Tab':
        this.closeMenu(false);
        return; // let Tab move on
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation(); // not a designer shortcut
  }
}

/** The button's face beside a menu item when it is a glyph or a short word. */
function menuGlyph(spec: ToolbarAction): string {
  const face = spec.short ?? spec.text;
  return face.length <= 3 ? face : '';
}
