/**
 * The designer webview's HTML page. A pure string function (no vscode import) so the extension host
 * and the browser tests build the very same page: strict CSP with a nonce, no inline scripts or
 * handlers, no remote content. The bundle (`dist/webview/designer.js`) builds the whole UI.
 */

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

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function designerHtml(opts: DesignerHtmlOptions): string {
  const nonce = escapeHtml(opts.nonce);
  const csp = [
    "default-src 'none'",
    `img-src ${opts.cspSource} data:`,
    // Our CSS is a file; the toolkit's components use constructable stylesheets, and the one <style>
    // element FAST creates takes the nonce from <meta property="csp-nonce">.
    `style-src ${opts.cspSource} 'nonce-${nonce}'`,
    `font-src ${opts.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const title = escapeHtml(opts.title ? `${opts.title} — CNN Studio Designer` : 'CNN Studio Designer');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(opts.styleUri)}">
<title>${title}</title>
</head>
<body>
<div id="app" class="app" data-state="loading"><p class="loading" role="status">Loading the model…</p></div>
<script nonce="${nonce}" src="${escapeHtml(opts.scriptUri)}"></script>
</body>
</html>
`;
}
