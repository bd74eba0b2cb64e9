/**
 * Shared set-up for designer test files: one chromium and one server per file, a fresh page per
 * test, and after each test the checks every test wants (no page errors, no CSP violations, no
 * message the host would reject).
 */
import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import type { ModelEdit } from '../../../src/core/modelEdit';
import { launchChromium } from './browser';
import { DesignerHarness, type DesignerHarnessOptions } from './designerHost';
import { REPO_ROOT, startServer, type StaticServer } from './server';

export interface DesignerSuite {
  /** Opens the designer on `text` (does not wait for the graph). */
  openDesigner(text: string, opts?: DesignerHarnessOptions): Promise<DesignerHarness>;
  /** Opens the designer on `text` and waits until the graph is drawn. */
  openModel(text: string, opts?: DesignerHarnessOptions): Promise<DesignerHarness>;
}

export function useDesignerSuite(): DesignerSuite {
  let browser: Browser;
  let server: StaticServer;
  const open: DesignerHarness[] = [];

  before(async () => {
    assert.ok(existsSync(join(REPO_ROOT, 'dist/webview/designer.js')), 'dist/webview/designer.js is missing: run `npm run build` first');
    browser = await launchChromium();
    server = await startServer();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    for (const h of open.splice(0)) {
      try {
        assert.deepEqual(h.pageErrors, [], 'the page threw');
        assert.deepEqual(h.consoleErrors, [], 'the page logged errors (CSP violations show up here)');
        assert.ok(!h.received.includes(null), `the page posted a message the host rejects: ${JSON.stringify(h.received)}`);
      } finally {
        await h.close();
      }
    }
  });

  const openDesigner = async (text: string, opts: DesignerHarnessOptions = {}): Promise<DesignerHarness> => {
    // Tall enough that tutorial-cifar fits at the initial zoom: every layer can be clicked.
    const h = await DesignerHarness.open(browser, server, text, { width: 1280, height: 1400, ...opts });
    open.push(h);
    return h;
  };
  return {
    openDesigner,
    async openModel(text, opts) {
      const h = await openDesigner(text, opts);
      await h.page.locator('g.node').first().waitFor();
      return h;
    },
  };
}

export const nodeLocator = (h: DesignerHarness, id: string): Locator => h.page.locator(`g.node[data-id="${id}"]`);

export function lastEdit(h: DesignerHarness): ModelEdit {
  const edits = h.edits();
  assert.ok(edits.length > 0, 'no edit was sent');
  return edits[edits.length - 1]!.edit;
}
