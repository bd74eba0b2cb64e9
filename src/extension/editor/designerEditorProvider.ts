/**
 * The custom text editor for `*.cnn.json` (view type `cnnStudio.designer`): a webview over the file's
 * TextDocument, so VS Code keeps owning dirty state, save, undo/redo, hot exit and git. The webview
 * page itself is the designer bundle (`dist/webview/designer.js`); this file only wires a panel to a
 * `DesignerSession` and keeps the list of open sessions (commands and tests find them here).
 */
import * as vscode from 'vscode';
import { designerHtml } from '../../../webview/designer/html';
import type { DesignerCommandInfo } from '../../protocol/designer';
import type { OutputLog } from '../outputLog';
import { showWebviewPage } from '../webviewPage';
import { DesignerSession, type DesignerSelection } from './designerSession';
import type { DesignerPanels } from './reopenModel';

export const DESIGNER_VIEW_TYPE = 'cnnStudio.designer';

export class DesignerEditorProvider implements vscode.CustomTextEditorProvider, DesignerPanels {
  private readonly sessions = new Set<DesignerSession>();
  private readonly sessionsChanged = new vscode.EventEmitter<void>();
  /** Fires when a designer opens or closes. */
  readonly onDidChangeSessions = this.sessionsChanged.event;
  private readonly selectionChanged = new vscode.EventEmitter<DesignerSelection>();
  /** Fires when the selected layers of a designer change (debounced by the page). */
  readonly onDidChangeSelection = this.selectionChanged.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: OutputLog,
    /** Toolbar commands for a document (training etc. register theirs when they exist). */
    private readonly toolbarCommands: () => readonly DesignerCommandInfo[],
  ) {}

  static register(provider: DesignerEditorProvider): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(DESIGNER_VIEW_TYPE, provider, {
      // No retainContextWhenHidden: the page restores from the snapshot it asks for when shown again.
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'cnn-studio.svg');
    const session = new DesignerSession(document, panel, this.toolbarCommands, this.log, (sel) => this.selectionChanged.fire(sel));
    this.sessions.add(session);
    this.sessionsChanged.fire();
    panel.onDidDispose(() => {
      session.dispose();
      this.sessions.delete(session);
      this.sessionsChanged.fire();
    });
    const title = document.uri.path.split('/').pop();
    session.attachPage(showWebviewPage(panel.webview, this.extensionUri, 'designer', (assets) => designerHtml({ ...assets, title }), this.log));
  }

  /** The open designers of a document (several when it is split). */
  sessionsFor(uri: vscode.Uri): DesignerSession[] {
    const key = uri.toString();
    return [...this.sessions].filter((s) => s.documentUri === key);
  }

  /**
   * Shows a layer in the model's designer: opens the designer if needed, then selects and scrolls to
   * the node (the side bar's outline, the dashboard's layer picks).
   */
  async revealNode(uri: vscode.Uri, nodeId: string): Promise<void> {
    const open = this.sessionsFor(uri);
    if (open.length === 0) await vscode.commands.executeCommand('vscode.openWith', uri, DESIGNER_VIEW_TYPE);
    const session = open[0] ?? (await this.waitForSession(uri));
    session.reveal();
    // A designer that has just opened takes the node once its page is ready.
    await session.nextSnapshot(undefined, 15_000).catch(() => undefined);
    session.revealNode(nodeId);
  }

  /** Closes the designers of `uri` in `column` (their panels: no save question, the document stays open). */
  closeDesigners(uri: vscode.Uri, column: vscode.ViewColumn): number {
    const closing = this.sessionsFor(uri).filter((s) => s.viewColumn === column);
    for (const s of closing) s.closePanel();
    return closing.length;
  }

  /** The document of the designer the user is looking at, if a designer is the active editor. */
  activeDocumentUri(): vscode.Uri | undefined {
    for (const s of this.sessions) if (s.isActive()) return s.document.uri;
    return undefined;
  }

  /** Resolves with the first designer of `uri` once one is open. */
  waitForSession(uri: vscode.Uri, timeoutMs = 15_000): Promise<DesignerSession> {
    const existing = this.sessionsFor(uri)[0];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`no designer opened for ${uri.toString()} within ${timeoutMs} ms`));
      }, timeoutMs);
      const sub = this.onDidChangeSessions(() => {
        const s = this.sessionsFor(uri)[0];
        if (s) {
          clearTimeout(timer);
          sub.dispose();
          resolve(s);
        }
      });
    });
  }

  dispose(): void {
    for (const s of this.sessions) s.dispose();
    this.sessions.clear();
    this.sessionsChanged.dispose();
    this.selectionChanged.dispose();
  }
}
