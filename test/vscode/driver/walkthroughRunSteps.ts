/**
 * The walkthrough UI test's steps after the dataset, as a new user takes them:
 *   train (the walkthrough's "Train Model" button) → evaluate on a held-out test set ("Evaluate Run" →
 *   "Test set…" → the file dialog) → predict from the explorer (right-click an image → "Predict Image with
 *   a Trained Run…" → pick the latest of two runs → the notification with the top 3 → "Show" scrolls the
 *   dashboard to the prediction).
 * Screenshots: <outDir>/ui-walkthrough-<n>-*.png.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import sharp from 'sharp';
import { runFromPalette, until } from './browser';

export interface StepContext {
  readonly page: Page;
  readonly workspace: string;
  readonly log: (label: string) => void;
  readonly screenshot: (name: string) => Promise<void>;
}

/** The digit images of the test data: a bright bar whose column says the class (as in the training data). */
export function digitPixels(label: number): Uint8Array {
  const pixels = new Uint8Array(784);
  for (let r = 4; r < 24; r++) for (let c = 0; c < 3; c++) pixels[r * 28 + 2 + label * 2 + c] = 255;
  return pixels;
}

/** The dashboard's frame: the webview whose page has the run header. */
function dashboardFrame(page: Page): Promise<Frame> {
  return until('the dashboard webview', async () => {
    for (const f of page.frames()) if (f !== page.mainFrame() && (await f.$('main[aria-label="Training dashboard"]'))) return f;
    return undefined;
  }, 60_000);
}

async function pickRow(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
}

/** Train with the walkthrough's own button; the dashboard follows the run to its end. */
export async function train(c: StepContext): Promise<Frame> {
  const { page } = c;
  await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
  const step = page.locator('.getting-started-step', { hasText: 'Train and look at the feature maps' }).first();
  await step.click();
  await step.getByRole('button', { name: 'Train Model' }).click();
  c.log('training started from the walkthrough');
  const dashboard = await dashboardFrame(page);
  await dashboard.locator('.status-finished').waitFor({ timeout: 180_000 });
  await runFromPalette(page, 'Notifications: Clear All Notifications');
  await c.screenshot('6-trained');
  c.log(`trained: ${await dashboard.locator('.run-header .facts').innerText()}`);
  return dashboard;
}

/** MNIST-format test files in their own folder, never trained on: 3 per digit. */
function writeTestSet(workspace: string): { path: string; count: number } {
  const n = 30;
  const pixels = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 10;
    pixels.set(digitPixels(i % 10), i * 784);
  }
  const dir = join(workspace, 'data', 'mnist-test');
  mkdirSync(dir, { recursive: true });
  const idx = (dims: readonly number[], data: Uint8Array) => {
    const head = Buffer.alloc(4 + 4 * dims.length);
    head[2] = 0x08;
    head[3] = dims.length;
    dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
    return Buffer.concat([head, Buffer.from(data)]);
  };
  const path = join(dir, 't10k-images-idx3-ubyte');
  writeFileSync(path, idx([n, 28, 28], pixels));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx([n], labels));
  return { path, count: n };
}

/**
 * Types `path` into code-server's file dialog (a quick input titled `title`) and accepts it. The dialog
 * fills in its default folder a moment after it opens (a path typed before that is overwritten), and
 * while it reads a typed path from the server it ignores Enter (seen under load): so wait for the default,
 * type, let it settle, and press Enter until this dialog is gone (closed, or replaced by the next one).
 */
export async function typeInFileDialog(page: Page, title: string, path: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const box = widget.locator('input').first();
  const ours = async () => (await widget.isVisible()) && (await widget.locator('.quick-input-title').innerText()).includes(title);
  await until(`the file dialog "${title}"`, async () => ((await ours()) && (await box.inputValue()).startsWith('/') ? true : undefined), 20_000);
  await box.fill(path);
  await until('the typed path', async () => ((await box.inputValue()) === path ? true : undefined), 5_000);
  await acceptFileDialog(page, title, path);
}

/** Presses Enter in the file dialog titled `title` until it is gone; refuses to press when it no longer holds `path`. */
export async function acceptFileDialog(page: Page, title: string, path: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const box = widget.locator('input').first();
  const ours = async () => (await widget.isVisible()) && (await widget.locator('.quick-input-title').innerText()).includes(title);
  for (let attempt = 1; ; attempt++) {
    await page.waitForTimeout(700);
    if (!(await ours())) return;
    const value = await box.inputValue();
    if (value !== path) throw new Error(`the file dialog "${title}" shows '${value}', not '${path}'`);
    await page.keyboard.press('Enter');
    if (await until(`the file dialog "${title}" to go`, async () => ((await ours()) ? undefined : true), 10_000).then(() => true, () => false)) return;
    if (attempt >= 4) throw new Error(`the file dialog "${title}" did not accept ${path}`);
  }
}

/** "Evaluate Run" → "Test set…" → the file typed into code-server's file dialog → the dashboard names that set. */
export async function evaluateOnTestSet(c: StepContext, dashboard: Frame): Promise<void> {
  const { page } = c;
  const test = writeTestSet(c.workspace);
  await runFromPalette(page, 'CNN Studio: Evaluate Run');
  await pickRow(page, 'Test set…');
  await typeInFileDialog(page, 'A held-out test set', test.path);
  const label = `Test set: data/mnist-test/t10k-images-idx3-ubyte (${test.count} images)`;
  await until(`the dashboard's "${label}"`, async () => {
    const source = dashboard.locator('[data-role="eval-source"]');
    return (await source.count()) && (await source.innerText()) === label ? true : undefined;
  }, 120_000);
  await dashboard.locator('[data-role="eval-source"]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await runFromPalette(page, 'Notifications: Clear All Notifications');
  await c.screenshot('7-test-set');
  c.log(`evaluated: ${label}; ${await dashboard.locator('.evaluation .facts').first().innerText()}`);
}

/**
 * A second, older run of the same model (a copy of the first, dated a day earlier): the quick pick must
 * then ask, latest first.
 */
function addOlderRun(workspace: string): { latest: string; older: string } {
  const root = join(workspace, '.cnn-studio', 'runs', 'mnist-small');
  const latest = readdirOne(root);
  const record = JSON.parse(readFileSync(join(root, latest, 'run.json'), 'utf8')) as { runId: string; createdAt: string; bestValAccuracy: number | null };
  const older = `${latest}-older`;
  cpSync(join(root, latest), join(root, older), { recursive: true });
  const earlier = new Date(Date.parse(record.createdAt) - 86_400_000).toISOString();
  writeFileSync(join(root, older, 'run.json'), JSON.stringify({ ...record, runId: older, createdAt: earlier, bestValAccuracy: 0.5 }, null, 2));
  return { latest, older };
}

function readdirOne(dir: string): string {
  const runs = readdirSync(dir).filter((n) => !n.startsWith('.'));
  if (runs.length !== 1) throw new Error(`expected one run in ${dir}, found ${runs.join(', ')}`);
  return runs[0]!;
}

/** Right-click an image in the Explorer → Predict → the run pick → the notification → "Show". */
export async function predictFromExplorer(c: StepContext, dashboard: Frame): Promise<void> {
  const { page, workspace } = c;
  const runs = addOlderRun(workspace);
  await sharp(Buffer.from(digitPixels(3)), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(workspace, 'digit-3.png'));
  // The dashboard is scrolled to the evaluation: "Show" must bring the prediction into view.
  await dashboard.locator('section.evaluation').scrollIntoViewIfNeeded();

  await page.keyboard.press('Control+Shift+E');
  const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'digit-3.png' }).first();
  await file.waitFor({ timeout: 30_000 });
  await file.click({ button: 'right' });
  // The menu ignores a click that comes right as it opens (seen under load): hover first; if it is still
  // open afterwards, the hovered item is the highlighted one and Enter runs it.
  const item = page.locator('.context-view .action-label', { hasText: 'Predict Image with a Trained Run…' }).first();
  await item.hover();
  await page.waitForTimeout(300);
  await item.click();
  if (await until('the menu to close', async () => ((await page.locator('.context-view .monaco-menu').isVisible()) ? undefined : true), 2_000).then(() => false, () => true)) {
    await page.keyboard.press('Enter');
  }

  const title = page.locator('.quick-input-widget .quick-input-title');
  await until('the run pick', async () => ((await title.isVisible()) && (await title.innerText()) === 'Predict with which run?' ? true : undefined), 20_000);
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await until('both runs in the pick', async () => ((await rows.count()) === 2 ? true : undefined), 10_000);
  const texts = await rows.allInnerTexts();
  c.log(`run pick: ${texts.map((t) => t.replace(/\s+/g, ' ')).join(' | ')}`);
  if (!texts[0]!.includes(runs.latest) || texts[0]!.includes(`${runs.latest}-older`)) throw new Error(`the latest run is not first: ${texts.join(' | ')}`);
  if (!texts[1]!.includes('val acc 50.0%')) throw new Error(`the older run does not show its accuracy: ${texts[1]}`);
  await c.screenshot('8-pick-run');
  await page.keyboard.press('Enter');

  const toast = page.locator('.notification-toast', { hasText: 'digit-3.png: ' }).first();
  await toast.waitFor({ timeout: 60_000 });
  const summary = (await toast.locator('.notification-list-item-message').innerText()).trim();
  if (!/^digit-3\.png: \S+ \d+\.\d% · \S+ \d+\.\d% · \S+ \d+\.\d%$/.test(summary)) throw new Error(`the notification says '${summary}'`);
  // The progress notification closes and the answer fades in: screenshot once both are done.
  await page.locator('.notification-toast', { hasText: 'Predicting digit-3.png' }).waitFor({ state: 'hidden', timeout: 10_000 });
  await page.waitForTimeout(600);
  await c.screenshot('9-prediction-notification');
  c.log(`notification: ${summary}`);

  await toast.getByRole('button', { name: 'Show' }).click();
  await until('the prediction in view in the dashboard', async () => {
    const title = dashboard.locator('#pred-title');
    if (!(await title.count()) || (await title.innerText()) !== 'Prediction for digit-3.png') return undefined;
    return (await dashboard.locator('section.prediction').evaluate((s) => {
      const r = s.getBoundingClientRect();
      return r.top >= 0 && r.top < s.ownerDocument.defaultView!.innerHeight;
    }))
      ? true
      : undefined;
  }, 20_000);
  await c.screenshot('10-prediction-shown');
  c.log('the dashboard shows the prediction in view');
}
