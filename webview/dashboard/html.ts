/**
 * The dashboard page's HTML. Pure (no vscode import) so the host and the browser tests build the same
 * page: only the nonce'd script runs, styles and fonts come from the webview's own resource origin
 * (see webview/common/pageHtml.ts).
 */
import { pageHtml } from '../common/pageHtml';

export interface DashboardHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly title?: string;
}

export function dashboardHtml(o: DashboardHtmlOptions): string {
  return pageHtml({
    ...o,
    title: o.title ?? 'Training dashboard',
    bodyHtml: '<main id="app" aria-label="Training dashboard"></main>',
    // The dashboard has always allowed blob: images (kept so its CSP does not change; nothing uses it today).
    extraImgSrc: ['blob:'],
  });
}
