/**
 * The one way an edit reaches the host. At most one edit is in flight: later ones wait in a queue for
 * the snapshot that answers it and are then sent against that snapshot's version. An edit the model
 * would refuse is checked here first (the same `applyModelEdit` the host runs) and gets its message at
 * once instead of a round trip. A host that never answers is asked for the current state after a while.
 */
import { applyModelEdit } from '../../src/core/applyModelEdit';
import type { ModelEdit } from '../../src/core/modelEdit';
import type { SnapshotMessage } from '../../src/protocol/designer';
import type { DesignerConnection } from './connection';

const PENDING_TIMEOUT_MS = 5000;

export class EditChannel {
  private pendingVersion: number | null = null;
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  private queue: ModelEdit[] = [];
  /** The layers to select once the snapshot answering the last edit arrives. */
  private selectAfterSnapshot: string[] | null = null;

  constructor(
    private readonly conn: DesignerConnection,
    private readonly snapshot: () => SnapshotMessage | null,
    private readonly refused: (message: string) => void,
  ) {}

  send(edit: ModelEdit, selectAfter?: string[]): void {
    const snap = this.snapshot();
    if (!snap || snap.content.kind !== 'model' || snap.readOnly) return;
    // Check it here first: an edit the host would refuse gets its message now, and is not sent.
    try {
      applyModelEdit(snap.content.model, edit);
    } catch (err) {
      this.refused(err instanceof Error ? err.message : String(err));
      return;
    }
    if (selectAfter) this.selectAfterSnapshot = selectAfter;
    if (this.pendingVersion !== null) {
      this.queue.push(edit);
      return;
    }
    this.pendingVersion = snap.version;
    clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => {
      // No answer: ask for the current state rather than wait forever.
      this.clearPending();
      this.conn.post({ type: 'requestSnapshot', documentUri: snap.documentUri });
    }, PENDING_TIMEOUT_MS);
    this.conn.post({ type: 'edit', documentUri: snap.documentUri, baseVersion: snap.version, edit });
  }

  /** The host answers every edit with exactly one snapshot (the same version when nothing changed). */
  snapshotArrived(version: number): void {
    if (this.pendingVersion !== null && version >= this.pendingVersion) this.clearPending();
  }

  rejected(baseVersion: number): void {
    if (this.pendingVersion !== null && baseVersion === this.pendingVersion) this.clearPending();
    this.queue = []; // they were made against a model that no longer is (the host sends a fresh snapshot)
    this.selectAfterSnapshot = null; // the layer it would have selected may not exist
  }

  /** The layers the last answered edit asked to select, once (null when it asked for nothing). */
  takeSelectAfter(): string[] | null {
    const ids = this.selectAfterSnapshot;
    this.selectAfterSnapshot = null;
    return ids;
  }

  /** Sends the next waiting edit, against the snapshot just accepted. */
  flush(): void {
    const next = this.queue.shift();
    if (next) this.send(next);
  }

  private clearPending(): void {
    this.pendingVersion = null;
    clearTimeout(this.pendingTimer);
  }
}
