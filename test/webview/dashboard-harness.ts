/**
 * Runs the built dashboard (dist/webview/dashboard.js + .css) in headless chromium the way VS Code would:
 * the page from `dashboardHtml` with a strict CSP, served over http from dist/webview, theme variables on
 * <html>, and `acquireVsCodeApi` replaced by a recorder of posted messages. Host messages are replayed
 * from a recorded fixture (typed arrays stored as base64).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { dashboardHtml } from '../../webview/dashboard/html';
import { REPO_ROOT, type StaticServer } from './harness/server';
import { themeBodyClass, themeVariables, type ThemeName } from './harness/themes';


/** Serves the page from `dashboardHtml` (fresh nonce, as VS Code does per load) beside the built bundles. */
export function setDashboardPage(server: StaticServer): string {
  if (!existsSync(join(REPO_ROOT, 'dist', 'webview', 'dashboard.js'))) throw new Error('dist/webview/dashboard.js is missing: run `npm run build` first.');
  const nonce = randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '');
  const path = `/dashboard-${++pageCounter}.html`;
  server.setPage(path, dashboardHtml({ cspSource: server.origin, nonce, scriptUri: `${server.origin}/dist/webview/dashboard.js`, styleUri: `${server.origin}/dist/webview/dashboard.css` }));
  return path;
}

let pageCounter = 0;

/** Runs in the page before its own script: the `acquireVsCodeApi` stand-in, CSP recorder, theme. */
function initScript(vars: Record<string, string>, bodyClass: string): string {
  return `(() => {
    window.__posted = [];
    window.__csp = [];
    let acquired = false;
    window.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      // VS Code clones messages on the way to the extension host.
      return { postMessage: (m) => window.__posted.push(structuredClone(m)), getState: () => undefined, setState: () => undefined };
    };
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
    const vars = ${JSON.stringify(vars)};
    // As in VS Code, the variables must be on <html> before the page's script reads them; <html> does not
    // exist yet when this runs, so wait for it.
    const applyVars = () => { for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v); };
    if (document.documentElement) applyVars();
    else new MutationObserver((_m, obs) => { if (document.documentElement) { obs.disconnect(); applyVars(); } }).observe(document, { childList: true });
    const applyClass = () => document.body && document.body.classList.add(${JSON.stringify(bodyClass)});
    new MutationObserver((_m, obs) => { if (document.body) { obs.disconnect(); applyClass(); } }).observe(document, { childList: true, subtree: true });
  })();`;
}

export interface DashboardPage {
  readonly page: Page;
  readonly errors: string[];
}

/** Opens the dashboard page in a theme; resolves once it has said `ready`. */
export async function openDashboard(browser: Browser, server: StaticServer, theme: ThemeName, viewport = { width: 1100, height: 900 }): Promise<DashboardPage> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  await page.addInitScript({ content: initScript(themeVariables(theme), themeBodyClass(theme)) });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(server.origin + setDashboardPage(server));
  await page.waitForFunction('window.__posted.some((m) => m.type === "ready")');
  return { page, errors };
}

export interface PostedMessage {
  readonly type: string;
  readonly [k: string]: unknown;
}

/** What the page posted to the host so far. */
export function posted(page: Page): Promise<PostedMessage[]> {
  return page.evaluate('window.__posted') as Promise<PostedMessage[]>;
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate('window.__csp') as Promise<string[]>;
}

const REVIVE = `(msgs) => {
  const revive = (v) => {
    if (Array.isArray(v)) return v.map(revive);
    if (v && typeof v === 'object') {
      if (typeof v.$u8 === 'string') {
        const bin = atob(v.$u8);
        const out = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
        return out;
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
    }
    return v;
  };
  for (const m of msgs) window.postMessage(revive(m), '*');
}`;

/**
 * Delivers host messages like VS Code does (a `message` event on window). Fixture messages carry typed
 * arrays as `{ "$u8": base64 }`; they become Uint8Arrays inside the page.
 */
export async function deliver(page: Page, messages: readonly unknown[]): Promise<void> {
  await page.evaluate(`(${REVIVE})(${JSON.stringify(messages)})`);
}
