/**
 * The one place a webview page of CNN Studio is rendered: the strict-CSP HTML of `webview/<page>/html.ts`
 * with a fresh nonce and the page's bundle URIs under dist/webview, and a watchdog that renders the page
 * again when it has not said `ready` in time. A webview's script can fail to load (seen in code-server
 * when two webviews start at once before its resource service worker is up); without the watchdog the
 * designer, side bar or dashboard would stay blank until reopened.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { OutputLog } from './outputLog';

export type WebviewPageName = 'designer' | 'sidebar' | 'dashboard';

/** What every page's HTML function takes (see webview/common/pageHtml.ts). */
export interface WebviewPageAssets {
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

/** The folder the pages' bundles are served from; the only local resource root of every page. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

export interface WebviewPage {
  /** Renders the page (again): a new nonce each time. */
  render(): void;
  /** The page said `ready`: the watchdog stands down. */
  markLoaded(): void;
}

/**
 * Sets the webview's options and HTML, and starts the watchdog (`attempts` re-renders, `waitMs`
 * apart, until `markLoaded`). Dispose the result with the view.
 */
export function showWebviewPage(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  page: WebviewPageName,
  html: (assets: WebviewPageAssets) => string,
  log: OutputLog,
  watchdog: { readonly waitMs?: number; readonly attempts?: number } = {},
): WebviewPage & vscode.Disposable {
  const root = webviewRoot(extensionUri);
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, file)).toString();
  webview.options = webviewOptions(extensionUri);
  const render = () => {
    webview.html = html({ cspSource: webview.cspSource, nonce: randomBytes(18).toString('base64url'), scriptUri: asset(`${page}.js`), styleUri: asset(`${page}.css`) });
  };
  let loaded = false;
  let attemptsLeft = watchdog.attempts ?? 2;
  const waitMs = watchdog.waitMs ?? 10_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    timer = setTimeout(() => {
      if (loaded || attemptsLeft-- <= 0) return;
      log.line(`the CNN Studio ${page} page did not load within ${waitMs / 1000} s: reloading it`);
      render();
      arm();
    }, waitMs);
  };
  render();
  arm();
  return {
    render,
    markLoaded: () => {
      loaded = true;
    },
    dispose: () => clearTimeout(timer),
  };
}
