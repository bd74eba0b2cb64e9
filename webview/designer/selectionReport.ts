/**
 * Tells the host which layers are selected (the dashboard's feature maps follow it) once the selection
 * settles: arrow keys move it quickly, and only real changes are sent.
 */
import type { DesignerConnection } from './connection';

const SETTLE_MS = 150;

export class SelectionReporter {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** `documentUri + ids` of the last `selectionChanged` sent. */
  private reported = '';

  constructor(private readonly conn: DesignerConnection) {}

  schedule(documentUri: () => string | undefined, nodeIds: () => string[]): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const uri = documentUri();
      if (!uri) return;
      const ids = nodeIds();
      const key = `${uri}\n${ids.join('\n')}`;
      if (key === this.reported) return;
      // Nothing selected yet in a freshly opened page is not news.
      if (this.reported === '' && ids.length === 0) return;
      this.reported = key;
      this.conn.post({ type: 'selectionChanged', documentUri: uri, nodeIds: ids });
    }, SETTLE_MS);
  }
}
