/**
 * The side bar view's HTML page: a pure string function (no vscode import), strict CSP with a nonce,
 * no inline handlers, no remote content. The bundle (`dist/webview/sidebar.js`) builds the UI.
 */
export interface SidebarHtmlOptions {
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function sidebarHtml(opts: SidebarHtmlOptions): string {
  const nonce = escapeHtml(opts.nonce);
  // The toolkit (FAST) adds a probe <style> carrying the nonce from the csp-nonce meta tag; our own CSS
  // is a file. No 'unsafe-inline'.
  const csp = [
    "default-src 'none'",
    `img-src ${opts.cspSource} data:`,
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
<title>CNN Studio</title>
</head>
<body>
<div id="app" class="sidebar"><p class="muted" role="status">Loading…</p></div>
<script nonce="${nonce}" src="${escapeHtml(opts.scriptUri)}"></script>
</body>
</html>
`;
}
