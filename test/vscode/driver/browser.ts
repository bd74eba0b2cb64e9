/**
 * Opens code-server's workbench in Debian's chromium with playwright-core. Shared by the extension-host
 * test runner and the UI test (same chromium and flags as the webview tests), with a throw-away profile.
 */
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../webview/harness/browser';

export async function launchWorkbenchBrowser(outDir: string): Promise<{ context: BrowserContext; page: Page }> {
  mkdirSync(outDir, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'cnn-studio-chrome-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1400, height: 900 },
    // The workbench is heavy: without this, /dev/shm (small in containers) runs out.
    args: [...CHROMIUM_ARGS, '--disable-dev-shm-usage'],
  });
  // Removed when the driver exits, when chromium has surely stopped writing to it.
  process.on('exit', () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // left in the temp folder; never fail a test over it
    }
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** Polls `check` until it returns a value (errors count as not yet); throws naming `what` after the timeout. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Seconds since start, for log lines that show where the time goes. */
export function stopwatch(): (label: string) => void {
  const t0 = Date.now();
  return (label) => console.log(`[+${((Date.now() - t0) / 1000).toFixed(1)}s] ${label}`);
}

/** `vscode-remote://host:port/abs/path`: how the browser workbench names a path on the server. */
export function remoteUri(baseUrl: string, absPath: string): string {
  return `vscode-remote://${new URL(baseUrl).host}${absPath}`;
}

/** Runs a palette command; right after load the palette may not list the extension's commands yet, so retry. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await input.fill(`>${title}`);
    if (await row.waitFor({ timeout: 2_000 }).then(() => true, () => false)) break;
    if (attempt >= 15) throw new Error(`the command palette never listed "${title}"`);
    await page.keyboard.press('Escape');
  }
  await page.keyboard.press('Enter');
}

/**
 * The frame of a webview whose page contains `selector`. Webviews are nested iframes
 * (<iframe class="webview"> → <iframe id="active-frame">); several can be open (designer, side bar).
 */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (await frame.$(selector).catch(() => null)) return frame;
    }
    if (Date.now() > until) throw new Error(`no webview shows ${selector}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Runs one UI test: the workbench opened on `workspace`, then `body`; the browser is closed either way.
 * Prints "<name> passed", or "<name> failed: <stack>" and sets a failing exit code.
 */
export function driveWorkbench(name: string, args: { baseUrl: string; workspace: string; outDir: string }, log: (label: string) => void, body: (page: Page) => Promise<void>): void {
  const run = async (): Promise<void> => {
    const { context, page } = await launchWorkbenchBrowser(args.outDir);
    try {
      await page.goto(`${args.baseUrl}/?folder=${encodeURIComponent(args.workspace)}`);
      await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
      log('workbench loaded');
      await body(page);
      console.log(`${name} passed`);
    } finally {
      await context.close();
    }
  };
  run().catch((err: unknown) => {
    console.error(`${name} failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  });
}
