/**
 * The one HTML page shape every CNN Studio webview uses (designer, dashboard, side bar). A pure string
 * function (no vscode import, no DOM) so the extension host and the browser tests build the very same
 * page: strict CSP with a per-load nonce, no inline scripts or handlers, no remote content. Each page
 * supplies only its title, its body markup and the extra image sources it needs.
 */

export interface PageHtmlOptions {
  /** `webview.cspSource`: the origin the webview may load local resources from. */
  readonly cspSource: string;
  /** A fresh random string per page load (base64url/alphanumeric). */
  readonly nonce: string;
  /** `webview.asWebviewUri(dist/webview/<page>.js)` as a string. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(dist/webview/<page>.css)` as a string. */
  readonly styleUri: string;
  /** The page title (screen readers announce it); escaped here. */
  readonly title: string;
  /** The body's markup before the script tag. Trusted: built by the page's own html.ts, not from user input. */
  readonly bodyHtml: string;
  /** Image sources allowed besides the resource origin and `data:`, e.g. `blob:` for canvases. */
  readonly extraImgSrc?: readonly string[];
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function pageHtml(opts: PageHtmlOptions): string {
  const nonce = escapeHtml(opts.nonce);
  const csp = [
    "default-src 'none'",
    [`img-src ${opts.cspSource} data:`, ...(opts.extraImgSrc ?? [])].join(' '),
    // Our CSS is a file; the toolkit's components (FAST) use constructable stylesheets, and the one
    // <style> element FAST creates (its :focus-visible probe) takes the nonce from
    // <meta property="csp-nonce">. Still no 'unsafe-inline'.
    `style-src ${opts.cspSource} 'nonce-${nonce}'`,
    `font-src ${opts.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(opts.styleUri)}">
<title>${escapeHtml(opts.title)}</title>
</head>
<body>
${opts.bodyHtml}
<script nonce="${nonce}" src="${escapeHtml(opts.scriptUri)}"></script>
</body>
</html>
`;
}
