/**
 * The side bar's dataset panel in headless chromium (the built dist/webview/sidebar.js under its real
 * CSP), fed with what the engine's describeDataset says about generated data: 28×28 RGB shapes for a
 * model whose input is 28×28×1. It must show the classes with counts and thumbnails, the size and
 * colour against the input with one "Set the Input to the data" button, the split, and the
 * augmentation settings with their preview; its intents reach the host. Screenshots: light, dark, narrow.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createModelFromTemplate } from '../../src/core/templates';
import { DatasetDescriber } from '../../src/engine/data/describeDataset';
import { writeSyntheticDataset } from '../../src/engine/data/synthetic';
import type { DatasetDescription } from '../../src/protocol/engine';
import { sidebarDatasetKey, type SidebarDatasetMessage, type SidebarStateMessage } from '../../src/protocol/sidebar';
import { sidebarHtml } from '../../webview/sidebar/html';
import { cspViolations, openWebviewPage, posted } from './dashboard-harness';
import { launchChromium } from './harness/browser';
import { REPO_ROOT, startServer, type StaticServer } from './harness/server';
import type { ThemeName } from './harness/themes';

const results = join(REPO_ROOT, 'test-results');
mkdirSync(results, { recursive: true });
const URI = 'file:///w/shapes.cnn.json';

let browser: Browser;
let server: StaticServer;
let root: string;
let description: DatasetDescription;
const model = createModelFromTemplate('mnist-small', 'shapes');
model.dataset = { kind: 'imageFolder', path: 'data/shapes', imageSize: [28, 28], colorMode: 'grayscale' };
model.training = { ...model.training, augmentation: { horizontalFlip: true, translate: 0.1, brightness: 0.2 } };

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cnn-sidebar-'));
  await writeSyntheticDataset('shapes', join(root, 'data', 'shapes'), { perClass: 20, size: 28, seed: 2 });
  description = await new DatasetDescriber().describe({
    modelPath: join(root, 'shapes.cnn.json'),
    dataset: model.dataset!,
    inputShape: [28, 28, 1],
    validationSplit: model.training.validationSplit,
    augmentation: model.training.augmentation,
    samplesPerClass: 6,
  });
  browser = await launchChromium();
  server = await startServer();
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

function sidebarPage(): string {
  const nonce = randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '');
  const path = `/sidebar-${randomBytes(4).toString('hex')}.html`;
  server.setPage(path, sidebarHtml({ cspSource: server.origin, nonce, scriptUri: `${server.origin}/dist/webview/sidebar.js`, styleUri: `${server.origin}/dist/webview/sidebar.css` }));
  return path;
}

const state: SidebarStateMessage = { type: 'state', model: { documentUri: URI, fileName: 'shapes.cnn.json', version: 4, content: { kind: 'model', model, loadDiagnostics: [] } }, training: { state: 'idle', status: 'No run yet.' } };
const datasetMessage = (): SidebarDatasetMessage => ({
  type: 'dataset',
  documentUri: URI,
  datasetKey: sidebarDatasetKey(model.dataset, [28, 28, 1], model.training.validationSplit, model.training.augmentation),
  info: { status: 'ready', description },
});

async function open(theme: ThemeName, width = 320) {
  const opened = await openWebviewPage(browser, server, sidebarPage(), theme, { width, height: 1100 });
  await opened.page.evaluate((msgs) => (globalThis as unknown as { __deliver(m: unknown[]): void }).__deliver(msgs), [state, datasetMessage()] as unknown[]);
  await opened.page.locator('[data-role="dataset-facts"]').waitFor({ timeout: 10_000 });
  return opened;
}

describe('side bar dataset panel', () => {
  test('shows what the data is, against the model input, and sends one-click intents', async () => {
    const { page, errors } = await open('dark');
    try {
      assert.equal(await page.locator('[data-role="dataset-facts"]').innerText(), '3 classes · 60 images');
      assert.match(await page.locator('[data-role="dataset-fit"]').innerText(), /Images: 28×28 RGB, but the model's input is 28×28 grayscale: training converts every image\./);
      assert.equal(await page.locator('[data-role="dataset-split"]').innerText(), 'Training 48 · validation 12 (20% of each class held out)');
      assert.deepEqual(await page.locator('.classes .class-name').allInnerTexts(), ['circle', 'square', 'triangle']);
      assert.equal(await page.locator('.classes img.thumb').count(), 18);
      // Thumbnails are real decoded images (data: PNGs allowed by the CSP), not broken icons.
      const widths = await page.locator('.classes img.thumb').evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth));
      assert.ok(widths.every((w) => w === 28), `thumbnail widths ${widths}`);
      await page.locator('vscode-button', { hasText: 'Set the Input to the data (28×28×3)' }).click();
      assert.deepEqual((await posted(page)).at(-1), { type: 'setInputToData', documentUri: URI, baseVersion: 4, shape: [28, 28, 3] });
      // Augmentation: editable, previewed on three images with four draws each.
      await page.locator('.aug-details summary').click();
      assert.equal(await page.locator('.aug-preview .aug-row').count(), 3);
      assert.equal(await page.locator('.aug-preview img').count(), 15);
      await page.locator('vscode-checkbox[data-setting="horizontalFlip"]').click();
      assert.deepEqual((await posted(page)).at(-1), { type: 'setAugmentation', documentUri: URI, baseVersion: 4, augmentation: { horizontalFlip: false, translate: 0.1, brightness: 0.2 } });
      const shift = page.locator('vscode-text-field[data-setting="translate"] input');
      await shift.fill('0.9');
      await shift.press('Enter');
      assert.match(await page.locator('.augmentation .error:not([hidden])').innerText(), /from 0 to 0\.5/);
      await shift.fill('0.25');
      await shift.press('Enter');
      assert.deepEqual((await posted(page)).at(-1), { type: 'setAugmentation', documentUri: URI, baseVersion: 4, augmentation: { horizontalFlip: true, translate: 0.25, brightness: 0.2 } });
      await page.screenshot({ path: join(results, 'sidebar-dataset-dark.png'), fullPage: true });
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('an answer about another dataset is not shown; errors name the fix', async () => {
    const { page } = await open('light');
    try {
      await page.screenshot({ path: join(results, 'sidebar-dataset-light.png'), fullPage: true });
      const stale = { ...datasetMessage(), datasetKey: 'another dataset' };
      await page.evaluate((msgs) => (globalThis as unknown as { __deliver(m: unknown[]): void }).__deliver(msgs), [stale, state] as unknown[]);
      await page.locator('[data-role="dataset-panel"] [role="status"]').waitFor({ timeout: 5000 });
      assert.equal(await page.locator('[data-role="dataset-panel"] [role="status"]').innerText(), 'Reading the dataset…');
      const failed: SidebarDatasetMessage = { ...datasetMessage(), info: { status: 'error', message: "The dataset path '/w/data/shapes' does not exist. Choose the dataset again." } };
      await page.evaluate((msgs) => (globalThis as unknown as { __deliver(m: unknown[]): void }).__deliver(msgs), [failed] as unknown[]);
      await page.locator('[data-role="dataset-panel"] > .error').waitFor({ timeout: 5000 });
      assert.match(await page.locator('[data-role="dataset-panel"] > .error').innerText(), /does not exist\. Choose the dataset again/);
    } finally {
      await page.close();
    }
  });

  test('narrow side bar: the dataset panel never overflows sideways', async () => {
    const { page } = await open('dark', 220);
    try {
      await page.locator('.aug-details summary').click();
      // The dataset panel's own content stays inside the side bar (the layer outline below is not this test's).
      const wide = await page.locator('[data-role="dataset-panel"] *').evaluateAll((els) =>
        els.filter((e) => e.getBoundingClientRect().right > e.ownerDocument.documentElement.clientWidth + 0.5).map((e) => `${e.tagName}.${e.className}`),
      );
      assert.deepEqual(wide, [], 'elements wider than the side bar');
      await page.screenshot({ path: join(results, 'sidebar-dataset-narrow.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
