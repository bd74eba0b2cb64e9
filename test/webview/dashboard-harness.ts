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
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
    // Host messages arrive as a 'message' event on window, as in VS Code; fixtures store typed arrays
    // as { $u8: base64 }.
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
    window.__deliver = (msgs) => { for (const m of msgs) window.postMessage(revive(m), '*'); };
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
export function openDashboard(browser: Browser, server: StaticServer, theme: ThemeName, viewport = { width: 1100, height: 900 }): Promise<DashboardPage> {
  return openWebviewPage(browser, server, setDashboardPage(server), theme, viewport);
}

/** Opens any webview page served at `path` (see `server.setPage`) as VS Code would; resolves once it has said `ready`. */
export async function openWebviewPage(browser: Browser, server: StaticServer, path: string, theme: ThemeName, viewport: { width: number; height: number }): Promise<DashboardPage> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  await page.addInitScript({ content: initScript(themeVariables(theme), themeBodyClass(theme)) });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(server.origin + path);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === 'ready'));
  return { page, errors };
}

export interface PostedMessage {
  readonly type: string;
  readonly [k: string]: unknown;
}

export interface DashboardStats {
  readonly draws: number;
  readonly busyMs: number;
  readonly messages: number;
  readonly messageMs: number;
  readonly dropped: number;
  /** Something was delivered but is not drawn yet. */
  readonly pending: boolean;
}

/** The page's globals the harness reads. Page functions are passed as functions (CDP callFunctionOn), not
 * strings: string evaluation goes through `eval`, which the page's CSP rightly refuses. */
interface PageGlobals {
  __posted: PostedMessage[];
  __csp: string[];
  dashboardStats(): DashboardStats;
  /** Defined by the init script (named functions cannot be passed in: tsx adds `__name` helpers). */
  __deliver(messages: unknown[]): void;
}

/** What the page posted to the host so far. */
export function posted(page: Page): Promise<PostedMessage[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__posted);
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__csp);
}

export function dashboardStats(page: Page): Promise<DashboardStats> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).dashboardStats());
}

/** Waits until the page has drawn everything delivered (draws are coalesced, at most 4 per second). */
export async function settle(page: Page): Promise<void> {
  // Interval polling: playwright's default (every animation frame) would keep the page busy itself.
  await page.waitForFunction(() => !(globalThis as unknown as PageGlobals).dashboardStats().pending, undefined, { timeout: 5000, polling: 50 });
}

/**
 * Delivers host messages like VS Code does (a `message` event on window). Fixture messages carry typed
 * arrays as `{ "$u8": base64 }`; they become Uint8Arrays inside the page.
 */
export async function deliver(page: Page, messages: readonly unknown[], opts: { waitUntilTaken?: boolean } = {}): Promise<void> {
  const before = opts.waitUntilTaken === false ? 0 : (await dashboardStats(page)).messages;
  await page.evaluate((msgs) => (globalThis as unknown as PageGlobals).__deliver(msgs), messages as unknown[]);
  if (opts.waitUntilTaken === false) return;
  // Message events are dispatched after evaluate returns: wait until the page has taken them all.
  await page.waitForFunction((n) => (globalThis as unknown as PageGlobals).dashboardStats().messages >= n, before + messages.length, { timeout: 5000, polling: 20 });
}
