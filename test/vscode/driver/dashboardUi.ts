/**
 * UI test of training in the real workbench, as the walkthrough tells a user:
 *   palette → "Make Sample Dataset" → "New Model from Template" (mnist-small) → "Train Model" → pick the
 *   sample dataset → the dashboard opens beside the designer and follows the run to its end; the chosen
 *   data is now the model's dataset (the side bar shows data/shapes); Evaluate Run on a test set (a CSV
 *   picked in the file dialog) → the dashboard says the figures come from that test set.
 * Checks the dashboard's charts and feature maps in the real webview and saves a screenshot.
 *
 *   node --import tsx test/vscode/driver/dashboardUi.ts <baseUrl> <workspaceFolder> <outDir>
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import sharp from 'sharp';
import { driveWorkbench, runFromPalette, stopwatch, until, webviewFrame } from './browser';

const [baseUrl, workspace, outDir] = process.argv.slice(2) as [string, string, string];
const log = stopwatch();

/** Picks the quick-pick row containing `text` once it shows. */
async function pick(page: Page, text: string): Promise<void> {
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first().waitFor({ timeout: 30_000 });
  await page.locator('.quick-input-widget input').fill(text);
  await page.keyboard.press('Enter');
}

/** A held-out test set as a CSV: label + 784 grayscale pixels per row, from 4 images per class of the sample data. */
async function writeTestCsv(path: string): Promise<number> {
  const rows = ['label,' + Array.from({ length: 784 }, (_, i) => `p${i}`).join(',')];
  for (const cls of ['circle', 'square', 'triangle']) {
    const dir = join(workspace, 'data', 'shapes', cls);
    for (const file of readdirSync(dir).sort().slice(-4)) {
      const pixels = await sharp(join(dir, file)).grayscale().resize(28, 28).raw().toBuffer();
      rows.push([cls, ...pixels].join(','));
    }
  }
  writeFileSync(path, rows.join('\n') + '\n');
  return rows.length - 1;
}

/** The dashboard's frame: the webview (nested iframes) whose page has the run header. */
function dashboardFrame(page: Page): Promise<Frame> {
  return until('the dashboard webview', async () => {
    for (const f of page.frames()) if (f !== page.mainFrame() && (await f.$('main[aria-label="Training dashboard"]'))) return f;
    return undefined;
  }, 60_000);
}

driveWorkbench('dashboard UI test', { baseUrl, workspace, outDir }, log, async (page) => {

  await runFromPalette(page, 'CNN Studio: Make Sample Dataset');
  const triangles = join(workspace, 'data', 'shapes', 'triangle');
  await until('the sample dataset', async () => (existsSync(triangles) && readdirSync(triangles).length >= 150 ? true : undefined), 60_000);
  log('sample dataset written');

  await runFromPalette(page, 'CNN Studio: New Model from Template');
  await pick(page, 'mnist-small');
  // Then the file name box, pre-filled with mnist-small.cnn.json: accept it.
  const nameBox = page.locator('.quick-input-widget input');
  await until('the file name box', async () => ((await nameBox.inputValue()).endsWith('.cnn.json') ? true : undefined), 10_000);
  await page.keyboard.press('Enter');
  await until('the designer', async () => {
    for (const f of page.frames()) if (f !== page.mainFrame() && (await f.$('.summary-bar'))) return true;
    return undefined;
  }, 30_000);
  log('model created and open in the designer');

  await runFromPalette(page, 'CNN Studio: Train Model');
  // The template's dataset (data/mnist) is not there: the command offers the sample dataset.
  await pick(page, 'Use the sample dataset');
  log('training started');

  const frame = await dashboardFrame(page);
  await frame.locator('.status-finished').waitFor({ timeout: 180_000 });
  await frame.locator('figure.chart[data-chart="Loss"]:not(.is-empty)').waitFor({ timeout: 10_000 });
  const points = Number(await frame.locator('figure.chart[data-chart="Loss"]').getAttribute('data-points'));
  const maps = await frame.locator('canvas[data-role="feature-map"]').count();
  const facts = await frame.locator('.run-header .facts').innerText();
  log(`dashboard: ${facts}; loss chart ${points} points; ${maps} feature-map grids`);
  if (!(points > 0)) throw new Error('the loss chart has no points');
  if (maps === 0) throw new Error('no feature maps were drawn');
  const status = await page.locator('.statusbar-item', { hasText: 'finished' }).first().innerText();
  log(`status bar: ${status}`);
  await runFromPalette(page, 'Notifications: Clear All Notifications');
  const charts = join(outDir, 'ui-dashboard-trained.png');
  await page.screenshot({ path: charts });
  await frame.locator('section.feature-maps').scrollIntoViewIfNeeded();
  const featureMaps = join(outDir, 'ui-dashboard-feature-maps.png');
  await page.screenshot({ path: featureMaps });
  log(`screenshots ${charts}, ${featureMaps}`);

  // Shown = used: the sample dataset picked for this run is now the model's dataset.
  await page.locator('.activitybar .action-item a[aria-label^="CNN Studio"]').first().click();
  const sidebar = await webviewFrame(page, '[data-role="dataset-panel"]');
  await until('the side bar names data/shapes', async () => ((await sidebar.locator('.dataset-path').innerText()).includes('data/shapes') ? true : undefined), 30_000);
  log('the model now names data/shapes as its dataset');

  // Evaluate on a held-out test set, picked in the file dialog.
  const csv = join(workspace, 'data', 'shapes-test.csv');
  const rows = await writeTestCsv(csv);
  await runFromPalette(page, 'CNN Studio: Evaluate Run');
  await pick(page, 'Test set…');
  const fileBox = page.locator('.quick-input-widget input');
  await until('the file dialog', async () => ((await fileBox.inputValue()).startsWith('/') ? true : undefined), 20_000);
  await fileBox.fill(csv);
  await page.keyboard.press('Enter');
  const label = `Test set: data/shapes-test.csv (${rows} images)`;
  await until('the test-set evaluation', async () => {
    const source = frame.locator('[data-role="eval-source"]');
    return (await source.count()) && (await source.innerText()) === label ? true : undefined;
  }, 120_000);
  await frame.locator('section.evaluation').scrollIntoViewIfNeeded();
  const evaluation = join(outDir, 'ui-dashboard-test-set.png');
  await page.screenshot({ path: evaluation });
  log(`evaluated on the test set: '${label}'; screenshot ${evaluation}`);
});
