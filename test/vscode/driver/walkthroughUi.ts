/**
 * UI test of a new user's first path, clicked as a new user clicks it: walkthrough → template → dataset
 * with its preview → train → evaluate on a test set → predict from the explorer (walkthroughRunSteps.ts)
 * → import with the save dialog (walkthroughImportStep.ts). The walkthrough's first step:
 *   "Welcome: Open Walkthrough…" → "Get started with CNN Studio" → the "New Model from Template" button
 *   in the step → mnist-small in the quick pick → the file-name box must stay open → Enter
 *   → the file is written and opens in the designer, and only then is the step ticked.
 * The walkthrough page had the focus back as soon as the quick pick closed, and the name box (which
 * closed on focus loss) vanished: nothing was written, yet the step was ticked on the command's start.
 * Screenshots: <outDir>/ui-walkthrough-*.png.
 *
 *   node --import tsx test/vscode/driver/walkthroughUi.ts <baseUrl> <workspaceFolder> <outDir>
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { driveWorkbench, runFromPalette, stopwatch, until, webviewFrame } from './browser';
import { evaluateOnTestSet, predictFromExplorer, train, type StepContext } from './walkthroughRunSteps';
import { importWithSaveDialog } from './walkthroughImportStep';

const [baseUrl, workspace, outDir] = process.argv.slice(2) as [string, string, string];
const log = stopwatch();

/** An IDX file of unsigned bytes (MNIST's format). */
function idx(dims: readonly number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

/**
 * MNIST-format files at data/mnist, where the mnist-small template looks: 20 images per digit, each
 * a bright bar whose place says its class (visible in the side bar's thumbnails), plus 50 t10k images.
 */
function writeDigits(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const write = (prefix: string, n: number) => {
    const pixels = new Uint8Array(n * 784);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const label = i % 10;
      labels[i] = label;
      for (let r = 4; r < 24; r++) for (let c = 0; c < 3; c++) pixels[i * 784 + r * 28 + 2 + label * 2 + c] = 255;
    }
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), idx([n, 28, 28], pixels));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), idx([n], labels));
  };
  write('train', 200);
  write('t10k', 50);
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = join(outDir, `ui-walkthrough-${name}.png`);
  await page.screenshot({ path: file });
  log(`screenshot ${file}`);
}

/** The step's row in the walkthrough. */
function step(page: Page, title: string): Locator {
  return page.locator('.getting-started-step', { hasText: title }).first();
}

async function ticked(row: Locator): Promise<boolean> {
  return (await row.getAttribute('aria-checked')) === 'true';
}

driveWorkbench('walkthrough UI test', { baseUrl, workspace, outDir }, log, async (page) => {
  writeDigits(join(workspace, 'data', 'mnist'));

  await runFromPalette(page, 'Welcome: Open Walkthrough...');
  const walkthrough = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Get started with CNN Studio' }).first();
  await walkthrough.waitFor({ timeout: 20_000 });
  await walkthrough.click();
  const create = step(page, 'Create a model from a template');
  await create.waitFor({ timeout: 20_000 });
  await create.click();
  await screenshot(page, '1-step');

  await create.getByRole('button', { name: 'New Model from Template' }).click();
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'mnist-small' }).first();
  await row.waitFor({ timeout: 20_000 });
  await page.locator('.quick-input-widget input').fill('mnist-small');
  await page.keyboard.press('Enter');
  log('picked mnist-small');
  // The file-name box must open and stay open (it used to flash and close).
  const nameBox = page.locator('.quick-input-widget input');
  await until('the file name box', async () => ((await nameBox.inputValue()).endsWith('.cnn.json') ? true : undefined), 10_000);
  await new Promise((r) => setTimeout(r, 1500));
  if (!(await page.locator('.quick-input-widget').isVisible())) throw new Error('the file name box closed by itself');
  if (await ticked(create)) throw new Error('the step is ticked while no model has been written');
  // The walkthrough page took the focus back: typing then went to the page, not to the box.
  if (!(await page.locator('.quick-input-widget input').evaluate((el) => el === el.ownerDocument.activeElement))) throw new Error('the file name box does not have the keyboard focus');
  await screenshot(page, '2-file-name');
  await page.keyboard.press('Enter');

  const file = join(workspace, 'mnist-small.cnn.json');
  // The file can exist a moment before its text is written: wait until it parses.
  const model = await until('the model file', async () => {
    try {
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { name: string }) : undefined;
    } catch {
      return undefined;
    }
  }, 15_000);
  if (model.name !== 'mnist-small') throw new Error(`the file holds model "${model.name}"`);
  await until('the designer', async () => {
    for (const f of page.frames()) if (f !== page.mainFrame() && (await f.$('.summary-bar'))) return true;
    return undefined;
  }, 30_000);
  log('model written and open in the designer');

  // Back to the walkthrough tab: the step is ticked now that a model exists.
  await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
  await until('the ticked step', async () => ((await ticked(create)) ? true : undefined), 10_000);
  await screenshot(page, '3-ticked');

  // The dataset with its preview: the side bar shows what data/mnist holds, not only its path.
  await page.locator('.activitybar .action-item a[aria-label^="CNN Studio"]').first().click();
  const sidebar = await webviewFrame(page, '[data-role="dataset-panel"]');
  await until('the dataset summary', async () => ((await sidebar.locator('[data-role="dataset-facts"]').count()) ? true : undefined), 60_000);
  const facts = await sidebar.locator('[data-role="dataset-facts"]').innerText();
  if (facts !== '10 classes · 250 images') throw new Error(`the side bar says '${facts}'`);
  const fit = await sidebar.locator('[data-role="dataset-fit"]').innerText();
  if (!fit.includes('28×28 grayscale, the same as the model')) throw new Error(`image size line: '${fit}'`);
  const split = await sidebar.locator('[data-role="dataset-split"]').innerText();
  if (split !== 'Training 200 · validation 50 (its own validation files)') throw new Error(`split line: '${split}'`);
  const thumbs = await sidebar.locator('.classes img.thumb').count();
  if (thumbs !== 60) throw new Error(`${thumbs} thumbnails, expected 6 per class`);
  await sidebar.locator('[data-role="dataset-panel"]').scrollIntoViewIfNeeded();
  await screenshot(page, '4-dataset');
  log('side bar: 10 classes, 60 thumbnails');

  // Augmentation: switch the flip on in the side bar; the model document changes and the preview appears.
  await sidebar.locator('.aug-details summary').click();
  await sidebar.locator('vscode-checkbox[data-setting="horizontalFlip"]').click();
  await until('the augmentation preview', async () => ((await sidebar.locator('.aug-preview img').count()) >= 5 ? true : undefined), 30_000);
  await sidebar.locator('.aug-preview').scrollIntoViewIfNeeded();
  await screenshot(page, '5-augmentation');
  log('augmentation preview shown');

  const steps: StepContext = { page, workspace, log, screenshot: (name) => screenshot(page, name) };
  try {
    const dashboard = await train(steps);
    await evaluateOnTestSet(steps, dashboard);
    await predictFromExplorer(steps, dashboard);
    await importWithSaveDialog(steps);
  } catch (err) {
    // What the workbench showed when a step failed (a notification often says why).
    await screenshot(page, 'failed').catch(() => undefined);
    const toasts = await page.locator('.notification-toast .notification-list-item-message').allInnerTexts().catch(() => []);
    if (toasts.length) log(`notifications: ${toasts.join(' | ')}`);
    throw err;
  }
});
