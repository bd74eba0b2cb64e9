/**
 * The designer's keyboard: which key does what, and where it counts (anywhere on the page, or only
 * while the graph has focus). Keys typed into a field or while the layer picker is open are left alone.
 * The shortcuts dialog (`?`) lists the same keys.
 */
import { isTyping } from '../common/dom';
import type { Direction } from './keyboardNav';
import type { ShortcutsDialog } from './shortcutsDialog';

export interface KeyTarget {
  readonly shortcuts: ShortcutsDialog;
  pickerOpen(): boolean;
  /** Keys act only while a model (or the empty model's start page) is shown. */
  acceptsKeys(): boolean;
  /** The event happened in the graph (or on the page itself, with nothing focused). */
  inCanvas(target: EventTarget | null): boolean;
  focusedId(): string | null;
  openPickerAfterSelection(): void;
  openSearch(): void;
  nextProblem(): void;
  moveFocus(dir: Direction, extend: boolean): void;
  editFocused(): void;
  renameFocused(): void;
  deleteSelection(): void;
  clearSelection(): void;
  duplicateSelection(): void;
  selectAll(): void;
  zoomBy(factor: number): void;
  fitToView(): void;
}

export function wireKeys(t: KeyTarget): void {
  document.addEventListener('keydown', (e) => {
    if (t.pickerOpen()) return;
    if (t.shortcuts.isOpen && e.key === 'Escape') {
      t.shortcuts.toggle();
      return;
    }
    if (isTyping(e.target) || !t.acceptsKeys()) return;
    const ctrl = e.ctrlKey || e.metaKey;
    const key = e.key;
    if ((key === 'a' || key === 'A') && !ctrl && !e.altKey) {
      e.preventDefault();
      t.openPickerAfterSelection();
    } else if (ctrl && e.shiftKey && (key === 'a' || key === 'A')) {
      e.preventDefault();
      t.openPickerAfterSelection();
    } else if ((ctrl && (key === 'f' || key === 'F')) || (key === '/' && !ctrl)) {
      e.preventDefault();
      t.openSearch();
    } else if (key === '?') {
      t.shortcuts.toggle();
    } else if (key === 'F8') {
      e.preventDefault();
      t.nextProblem();
    } else if (!t.inCanvas(e.target)) {
      return;
    } else if (key.startsWith('Arrow')) {
      e.preventDefault();
      t.moveFocus(key.slice(5).toLowerCase() as Direction, e.shiftKey);
    } else if (key === 'Enter') {
      if (t.focusedId()) {
        e.preventDefault();
        t.editFocused();
      }
    } else if (key === 'Delete' || key === 'Backspace') {
      e.preventDefault();
      t.deleteSelection();
    } else if (key === 'Escape') {
      t.clearSelection();
    } else if (ctrl && (key === 'd' || key === 'D')) {
      e.preventDefault();
      t.duplicateSelection();
    } else if (ctrl && key === 'a') {
      e.preventDefault();
      t.selectAll();
    } else if (key === 'F2' && t.focusedId()) {
      e.preventDefault();
      t.renameFocused();
    } else if (!ctrl && (key === '+' || key === '=')) {
      t.zoomBy(1.25);
    } else if (!ctrl && key === '-') {
      t.zoomBy(1 / 1.25);
    } else if (!ctrl && (key === 'f' || key === 'F')) {
      t.fitToView();
    }
  });
}
