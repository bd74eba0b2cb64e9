/** The keyboard shortcuts dialog (`?`): a list of every key the designer answers to. */
import { h } from '../common/dom';

const SHORTCUTS: readonly (readonly [string, string])[] = [
  ['↑ ↓', 'Go to the layer feeding / fed by the selected one'],
  ['← →', 'Go to the layer beside it'],
  ['Enter', 'Edit the selected layer in the inspector'],
  ['Enter / Space', 'On a block’s card: open it; on an open block’s tab: collapse it'],
  ['A  or  Ctrl+Shift+A', 'Add a layer after the selected one'],
  ['Delete', 'Remove the selected layers (or connection)'],
  ['Ctrl+D', 'Duplicate the selection'],
  ['Ctrl+C / Ctrl+V', 'Copy and paste layers'],
  ['Ctrl+A', 'Select all layers'],
  ['F2', 'Rename the selected layer'],
  ['F8', 'Go to the next problem'],
  ['Ctrl+F  or  /', 'Go to a layer by its id or type'],
  ['+ / − / F', 'Zoom in, zoom out, fit to view'],
  ['Shift+drag', 'Select with a box'],
  ['Ctrl+Z / Ctrl+Y', 'Undo / redo (VS Code’s, one step per edit)'],
];

export class ShortcutsDialog {
  readonly element: HTMLElement;

  constructor() {
    const table = h('dl', { class: 'shortcut-list' });
    for (const [k, v] of SHORTCUTS) table.append(h('dt', {}, h('kbd', {}, k)), h('dd', {}, v));
    this.element = h(
      'div',
      { class: 'shortcuts-dialog', role: 'dialog', 'aria-label': 'Keyboard shortcuts', hidden: true },
      h('h2', {}, 'Keyboard shortcuts'),
      table,
      h('vscode-button', { appearance: 'secondary' }, 'Close'),
    );
    this.element.querySelector('vscode-button')?.addEventListener('click', () => this.toggle());
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
    if (!this.element.hidden) this.element.querySelector<HTMLElement>('vscode-button')?.focus();
  }
}
