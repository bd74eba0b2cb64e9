/**
 * The dashboard webview panel (beside the designer). Strict CSP with a fresh nonce, resources only from
 * dist/webview. The page says `ready` when loaded (also after being hidden and shown again, since its
 * context is not retained) and gets a `hydrate`; while hidden, deltas are dropped instead of queued.
 */
import * as vscode from 'vscode';
import { dashboardHtml } from '../../../webview/dashboard/html';
import { parseDashboardToHost, type HostToDashboard, type DashboardToHost } from '../../protocol/dashboard';
import { DeltaOutbox } from './deltaOutbox';
import type { OutputLog } from '../outputLog';
import { showWebviewPage, webviewOptions } from '../webviewPage';

export const DASHBOARD_VIEW_TYPE = 'cnnStudio.dashboard';

export interface DashboardProbe {
  /** Types of the messages posted to the page, in order (for the extension-host tests). */
  readonly sent: readonly HostToDashboard['type'][];
  /** Messages the page sent, validated. */
  readonly received: readonly DashboardToHost['type'][];
  readonly isOpen: boolean;
}

export class DashboardPanel implements vscode.Disposable, DashboardProbe {
  private panel: vscode.WebviewPanel | null = null;
  private readonly outbox: DeltaOutbox;
  readonly sent: HostToDashboard['type'][] = [];
  readonly received: DashboardToHost['type'][] = [];
  /** Called when the page asks for a snapshot and on every validated message. */
  onMessage: (m: DashboardToHost) => void = () => undefined;
  onOpenChanged: (open: boolean) => void = () => undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: OutputLog,
  ) {
    this.outbox = new DeltaOutbox((m) => {
      this.sent.push(m.type);
      if (this.sent.length > 5000) this.sent.splice(0, 1000);
      void this.panel?.webview.postMessage(m);
    });
  }

  get isOpen(): boolean {
    return this.panel !== null;
  }

  /** Opens the panel beside the active editor, or reveals it. */
  show(preserveFocus = true): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      'Training',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      webviewOptions(this.extensionUri),
    );
    this.adopt(panel);
  }

  /** Takes over a panel VS Code restored after a reload. */
  adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'cnn-studio.svg');
    const page = showWebviewPage(panel.webview, this.extensionUri, 'dashboard', dashboardHtml, this.log);
    const subscriptions: vscode.Disposable[] = [
      page,
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const parsed = parseDashboardToHost(raw);
        if (!parsed.ok) {
          this.log.line(`Dashboard sent a message that was ignored: ${parsed.error}`);
          return;
        }
        if (parsed.value.type === 'ready') page.markLoaded();
        this.received.push(parsed.value.type);
        this.onMessage(parsed.value);
      }),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.outbox.clear();
      }),
      panel.onDidDispose(() => {
        this.panel = null;
        this.outbox.clear();
        for (const d of subscriptions) d.dispose();
        this.onOpenChanged(false);
      }),
    ];
    this.onOpenChanged(true);
  }

  post(message: HostToDashboard): void {
    if (!this.panel || !this.panel.visible) return;
    this.outbox.send(message);
  }

  dispose(): void {
    this.outbox.clear();
    this.panel?.dispose();
  }
}
