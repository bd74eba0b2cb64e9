/**
 * The designer webview's HTML page. A pure string function (no vscode import) so the extension host
 * and the browser tests build the very same page: strict CSP with a nonce, no inline scripts or
 * handlers, no remote content (see webview/common/pageHtml.ts). The bundle (`dist/webview/designer.js`)
 * builds the whole UI.
 */
import { pageHtml } from '../common/pageHtml';

export interface DesignerHtmlOptions {
  /** `webview.cspSource`: the origin the webview may load local resources from. */
  readonly cspSource: string;
  /** A fresh random string per page load (at least 16 base64/alphanumeric characters). */
  readonly nonce: string;
  /** `webview.asWebviewUri(dist/webview/designer.js)` as a string. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(dist/webview/designer.css)` as a string. */
  readonly styleUri: string;
  /** The document's file name, for the page title (screen readers announce it). */
  readonly title?: string;
}

export function designerHtml(opts: DesignerHtmlOptions): string {
  return pageHtml({
    ...opts,
    title: opts.title ? `${opts.title} — CNN Studio Designer` : 'CNN Studio Designer',
    bodyHtml: '<div id="app" class="app" data-state="loading"><p class="loading" role="status">Loading the model…</p></div>',
  });
}
