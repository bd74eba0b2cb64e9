/**
 * The side bar view's HTML page: a pure string function (no vscode import), strict CSP with a nonce,
 * no inline handlers, no remote content (see webview/common/pageHtml.ts). The bundle
 * (`dist/webview/sidebar.js`) builds the UI.
 */
import { pageHtml } from '../common/pageHtml';

export interface SidebarHtmlOptions {
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

export function sidebarHtml(opts: SidebarHtmlOptions): string {
  return pageHtml({
    ...opts,
    title: 'CNN Studio',
    bodyHtml: '<div id="app" class="sidebar"><p class="muted" role="status">Loading…</p></div>',
  });
}
