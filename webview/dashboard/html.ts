/**
 * The dashboard page's HTML. Pure (no vscode import) so the host and the browser tests build the same
 * page: only the nonce'd script runs, styles and fonts come from the webview's own resource origin.
 */
export interface DashboardHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly title?: string;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function dashboardHtml(o: DashboardHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `img-src ${o.cspSource} data: blob:`,
    // The toolkit (FAST) probes :focus-visible with a <style> element carrying the nonce from the
    // csp-nonce meta tag; our own CSS is a file. Still no 'unsafe-inline'.
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `font-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${attr(o.nonce)}">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>${attr(o.title ?? 'Training dashboard')}</title>
</head>
<body>
<main id="app" aria-label="Training dashboard"></main>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
