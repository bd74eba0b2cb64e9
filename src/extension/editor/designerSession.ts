/**
 * One open designer: a webview panel showing one `*.cnn.json` text document.
 *
 * The document is the source of truth. The session sends the webview a snapshot when it is ready and
 * after every change of the document (its own edits, undo/redo, typing in a text editor, git checkout),
 * and turns the webview's `edit` messages into one minimal WorkspaceEdit each. Loops cannot form: the
 * webview never edits in answer to a snapshot, and the session sends exactly one snapshot per document
 * version (the change event of its own edit and the edit's completion both want to send one; only the
 * first does).
 */
import * as vscode from 'vscode';
import {
  parseDesignerToHost,
  type DesignerCommandInfo,
  type DesignerToHost,
  type HostToDesigner,
  type SnapshotMessage,
} from '../../protocol/designer';
import type { ModelEdit } from '../../core/modelEdit';
import { readModelText } from '../model/modelText';
import { editModelDocument } from '../model/documentEdit';
import { Disposable } from '../dispose';
import type { OutputLog } from '../outputLog';
import type { WebviewPage } from '../webviewPage';

/** Messages sent and received, kept for the extension-host tests (see the exported API in main.ts). */
export interface DesignerSessionProbe {
  readonly documentUri: string;
  /** Every message posted to the webview, oldest first (bounded). */
  readonly sent: readonly HostToDesigner[];
  /** Handles a message exactly as if the webview had posted it; resolves when it has been handled. */
  receive(raw: unknown): Promise<void>;
  /** Resolves with the first snapshot (already sent or coming) that satisfies `predicate`. */
  nextSnapshot(predicate?: (s: SnapshotMessage) => boolean, timeoutMs?: number): Promise<SnapshotMessage>;
}

/** A designer's selected layers that exist in the document, with their types. */
export interface DesignerSelection {
  readonly uri: vscode.Uri;
  readonly nodes: readonly { readonly id: string; readonly type: string }[];
}

const SENT_LOG_LIMIT = 100;
/** Typing in a text editor changes the document on every key: coalesce those into one snapshot. */
const EXTERNAL_CHANGE_DEBOUNCE_MS = 40;

export class DesignerSession extends Disposable implements DesignerSessionProbe {
  readonly documentUri: string;
  readonly sent: HostToDesigner[] = [];
  private readonly sentEmitter = new vscode.EventEmitter<HostToDesigner>();
  private lastSnapshotVersion = -1;
  /**
   * The page has asked once. A hidden designer's page is discarded (no retainContextWhenHidden) and
   * asks again with `ready` when shown; snapshots posted meanwhile are simply dropped by VS Code.
   */
  private ready = false;
  private page: WebviewPage | undefined;
  /** A node to select once the page is shown and ready. */
  private pendingReveal: string | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly document: vscode.TextDocument,
    private readonly panel: vscode.WebviewPanel,
    private readonly commands: () => readonly DesignerCommandInfo[],
    private readonly log: OutputLog,
    private readonly selectionChanged: (selection: DesignerSelection) => void = () => undefined,
  ) {
    super();
    this.documentUri = document.uri.toString();
    this.register(this.sentEmitter);
    this.register(panel.webview.onDidReceiveMessage((raw) => void this.receive(raw)));
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== this.documentUri || e.contentChanges.length === 0) return;
        this.scheduleSnapshot();
      }),
    );
    this.register(new vscode.Disposable(() => this.debounce && clearTimeout(this.debounce)));
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = parseDesignerToHost(raw);
    if (!parsed.ok) {
      this.log.line(`designer: ignored ${parsed.error}: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const message = parsed.value;
    if ('documentUri' in message && message.documentUri !== this.documentUri) return; // meant for another panel
    try {
      await this.handle(message);
    } catch (err) {
      this.log.error(`designer message ${message.type}`, err);
      void vscode.window.showErrorMessage(`CNN Studio designer: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async handle(message: DesignerToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.page?.markLoaded();
        this.sendSnapshot(true);
        if (this.pendingReveal !== undefined) {
          const nodeId = this.pendingReveal;
          this.pendingReveal = undefined;
          this.revealNode(nodeId);
        }
        return;
      case 'requestSnapshot':
        this.sendSnapshot(true);
        return;
      case 'edit':
        await this.applyEdit(message.baseVersion, message.edit);
        return;
      case 'openAsText':
        // The click made this panel the active editor: the text takes its tab ("Open as Text" command).
        this.panel.reveal(this.panel.viewColumn, false);
        await vscode.commands.executeCommand('cnnStudio.openAsText', this.document.uri);
        return;
      case 'showError':
        void vscode.window.showErrorMessage(message.message);
        return;
      case 'undo':
      case 'redo':
        // The workbench's undo acts on the active editor, which is this panel when its button was clicked.
        this.panel.reveal(this.panel.viewColumn, false);
        await vscode.commands.executeCommand(message.type);
        return;
      case 'selectionChanged': {
        const content = readModelText(this.document.getText());
        const types = new Map(content.kind === 'model' ? content.model.nodes.map((n) => [n.id, n.type] as const) : []);
        const nodes = message.nodeIds.flatMap((id) => {
          const type = types.get(id);
          return type === undefined ? [] : [{ id, type }];
        });
        this.selectionChanged({ uri: this.document.uri, nodes });
        return;
      }
      case 'runCommand':
        if (!this.commands().some((c) => c.id === message.command)) {
          this.log.line(`designer: refused to run "${message.command}", which is not one of its toolbar commands`);
          return;
        }
        await vscode.commands.executeCommand(message.command, this.document.uri);
        return;
    }
  }

  private async applyEdit(baseVersion: number, edit: ModelEdit): Promise<void> {
    const outcome = await editModelDocument(this.document, edit, baseVersion);
    switch (outcome.kind) {
      case 'applied':
        this.sendSnapshot(false);
        return;
      case 'unchanged':
        this.sendSnapshot(true); // confirm the current state so the webview stops waiting
        return;
      case 'stale':
        this.reject(baseVersion, 'The model changed while you were editing (for example in the text editor); your last change was not applied. The designer now shows the current model: please repeat it.');
        return;
      case 'refused':
        this.reject(baseVersion, outcome.message);
        return;
    }
  }

  private reject(baseVersion: number, message: string): void {
    this.post({ type: 'editRejected', documentUri: this.documentUri, baseVersion, message });
    this.sendSnapshot(true);
  }

  private scheduleSnapshot(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.sendSnapshot(false);
    }, EXTERNAL_CHANGE_DEBOUNCE_MS);
  }

  /** Sends the document's current state; `force` sends it even if this version was already sent. */
  sendSnapshot(force: boolean): void {
    if (!this.ready) return;
    if (!force && this.document.version === this.lastSnapshotVersion) return;
    const text = this.document.getText();
    const snapshot: SnapshotMessage = {
      type: 'snapshot',
      documentUri: this.documentUri,
      version: this.document.version,
      text,
      content: readModelText(text),
      commands: this.commands(),
      readOnly: vscode.workspace.fs.isWritableFileSystem(this.document.uri.scheme) === false,
    };
    this.lastSnapshotVersion = snapshot.version;
    this.post(snapshot);
  }

  /** Brings the designer's tab to the front. */
  reveal(): void {
    this.panel.reveal(this.panel.viewColumn, false);
  }

  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  /** Closes this designer's tab (the panel, so VS Code does not ask to save the shared document). */
  closePanel(): void {
    this.panel.dispose();
  }

  isActive(): boolean {
    return this.panel.active;
  }

  /** The page this session talks to: it stops its reload watchdog once the page says `ready`. */
  attachPage(page: WebviewPage & vscode.Disposable): void {
    this.page = this.register(page);
  }

  /** Selects and scrolls to a node; a page that is hidden (discarded) takes it once it is shown again. */
  revealNode(nodeId: string): void {
    if (!this.ready || !this.panel.visible) {
      this.pendingReveal = nodeId;
      return;
    }
    this.post({ type: 'revealNode', documentUri: this.documentUri, nodeId });
  }

  private post(message: HostToDesigner): void {
    this.sent.push(message);
    if (this.sent.length > SENT_LOG_LIMIT) this.sent.shift();
    this.sentEmitter.fire(message);
    void this.panel.webview.postMessage(message);
  }

  nextSnapshot(predicate: (s: SnapshotMessage) => boolean = () => true, timeoutMs = 10_000): Promise<SnapshotMessage> {
    const already = [...this.sent].reverse().find((m): m is SnapshotMessage => m.type === 'snapshot' && predicate(m));
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`no matching designer snapshot within ${timeoutMs} ms`));
      }, timeoutMs);
      const sub = this.sentEmitter.event((m) => {
        if (m.type === 'snapshot' && predicate(m)) {
          clearTimeout(timer);
          sub.dispose();
          resolve(m);
        }
      });
    });
  }

}
