/**
 * UI test of training in the real workbench, as the walkthrough tells a user:
 *   palette → "New Model from Template" (mnist-small) → "Make Sample Dataset" → its note's "Use It for
 *   mnist-small.cnn.json" makes it the model's dataset; Ctrl+Z undoes that in one step → "Train Model" → pick the
 *   sample dataset → the dashboard opens beside the designer and follows the run to its end; the chosen
 *   data is now the model's dataset (the side bar shows data/shapes).
 * Checks the dashboard's charts and feature maps in the real webview and saves a screenshot.
 *
 *   node --import tsx test/vscode/driver/dashboardUi.ts <baseUrl> <workspaceFolder> <outDir>
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { driveWorkbench, runFromPalette, stopwatch, until, webviewFrame } from './browser';

const [baseUrl, workspace, outDir] = process.argv.slice(2) as [string, string, string];
const log = stopwatch();

/** Picks the quick-pick row containing `text` once it shows. */
async function pick(page: Page, text: string): Promise<void> {
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first().waitFor({ timeout: 30_000 });
  await page.locator('.quick-input-widget input').fill(text);
  await page.keyboard.press('Enter');
}

/** The dashboard's frame: the webview (nested iframes) whose page has the run header. */
function dashboardFrame(page: Page): Promise<Frame> {
  return until('the dashboard webview', async () => {
    for (const f of page.frames()) if (f !== page.mainFrame() && (await f.$('main[aria-label="Training dashboard"]'))) return f;
    return undefined;
  }, 60_000);
}

driveWorkbench('dashboard UI test', { baseUrl, workspace, outDir }, log, async (page) => {

  await runFromPalette(page, 'CNN Studio: New Model from Template');
  await pick(page, 'mnist-small');
  // Then the file name box, pre-filled with mnist-small.cnn.json: accept it.
  const nameBox = page.locator('.quick-input-widget input');
  await until('the file name box', async () => ((await nameBox.inputValue()).endsWith('.cnn.json') ? true : undefined), 10_000);
  await page.keyboard.press('Enter');
  const designer = await until('the designer', async () => {
    for (const f of page.frames()) if (f !== page.mainFrame() && (await f.$('.summary-bar'))) return f;
    return undefined;
  }, 30_000);
  log('model created and open in the designer');

  // The sample dataset, made while the model is in front: its note offers to make it the model's dataset.
  await runFromPalette(page, 'CNN Studio: Make Sample Dataset');
  const triangles = join(workspace, 'data', 'shapes', 'triangle');
  await until('the sample dataset', async () => (existsSync(triangles) && readdirSync(triangles).length >= 150 ? true : undefined), 60_000);
  log('sample dataset written');
  const useIt = page.locator('.notifications-toasts .monaco-button', { hasText: 'Use It for mnist-small.cnn.json' });
  await useIt.waitFor({ timeout: 15_000 });
  await page.screenshot({ path: join(outDir, 'ui-dashboard-sample-note.png') });
  await useIt.click();
  await page.locator('.activitybar .action-item a[aria-label^="CNN Studio"]').first().click();
  const sidebar = await webviewFrame(page, '[data-role="dataset-panel"]');
  const datasetPath = () => sidebar.locator('.dataset-path').innerText().catch(() => '');
  await until('the side bar names data/shapes after "Use It"', async () => ((await datasetPath()).includes('data/shapes') ? true : undefined), 30_000);
  log('"Use It for mnist-small.cnn.json" made data/shapes the model\'s dataset');
  // One undo step: Ctrl+Z in the designer gives the template's dataset back.
  await designer.locator('.summary-bar').click();
  await page.keyboard.press('Control+Z');
  await until('undo to give data/mnist back', async () => ((await datasetPath()).includes('data/mnist') ? true : undefined), 15_000);
  log('Ctrl+Z undid it in one step');
  await runFromPalette(page, 'Notifications: Clear All Notifications');

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
  await until('the side bar names data/shapes', async () => ((await sidebar.locator('.dataset-path').innerText()).includes('data/shapes') ? true : undefined), 30_000);
  log('the model now names data/shapes as its dataset');
});
