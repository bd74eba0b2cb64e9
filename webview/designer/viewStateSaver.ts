/**
 * Saves the designer's view state (`vscode.setState`) shortly after it changes, so a hidden or reloaded
 * page comes back with the same selection, camera, palette filter and folded inspector.
 */
import type { DesignerConnection } from './connection';
import type { DesignerViewState } from './viewState';

const SAVE_DELAY_MS = 150;

export class ViewStateSaver {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly conn: DesignerConnection) {}

  /** `state` is read when the delay is over (the latest values); null means there is nothing to save yet. */
  schedule(state: () => DesignerViewState | null): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const s = state();
      if (s) this.conn.saveState(s);
    }, SAVE_DELAY_MS);
  }
}
