/**
 * Launches Debian's chromium for the webview tests (playwright-core drives it; nothing is downloaded).
 * Shared by the designer and dashboard suites.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Waits (up to `waitMs`) for chromium to appear, e.g. while apt is still installing it. */
async function waitForChromium(waitMs: number): Promise<void> {
  const until = Date.now() + waitMs;
  while (!existsSync(CHROMIUM_PATH)) {
    if (Date.now() > until) {
      throw new Error(`Chromium was not found at ${CHROMIUM_PATH}: install it with 'apt-get install -y chromium' (or set CHROMIUM_PATH).`);
    }
    await sleep(2000);
  }
}

export async function launchChromium(waitMs = 10 * 60_000): Promise<Browser> {
  await waitForChromium(waitMs);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
