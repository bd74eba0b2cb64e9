/**
 * The keys of a filter box over a list (the "Add Layer…" picker and "Go to layer"): arrows move the
 * active row (wrapping), Enter picks it, Escape closes without picking.
 */
export interface FilterList {
  count(): number;
  active(): number;
  /** Makes row `index` the active one and draws the list again (typing makes row 0 active). */
  setActive(index: number): void;
  pick(index: number): void;
  close(): void;
}

/** Wires a filter box: typing filters from the top, the keys move and pick, and none reaches the canvas. */
export function wireFilterBox(input: HTMLInputElement, list: FilterList): void {
  input.addEventListener('input', () => list.setActive(0));
  input.addEventListener('keydown', (e) => {
    onListKey(e, list.count(), list.active(), { move: (i) => list.setActive(i), pick: (i) => list.pick(i), close: () => list.close() });
    e.stopPropagation(); // keys typed here are not canvas shortcuts
  });
}

interface ListKeyActions {
  move(active: number): void;
  pick(index: number): void;
  close(): void;
}

function onListKey(e: KeyboardEvent, count: number, active: number, act: ListKeyActions): void {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    act.move(count ? (active + (e.key === 'ArrowDown' ? 1 : count - 1)) % count : active);
  } else if (e.key === 'Enter') {
    e.preventDefault();
    if (active < count) act.pick(active);
  } else if (e.key === 'Escape') {
    e.preventDefault();
    e.stopPropagation();
    act.close();
  }
}
