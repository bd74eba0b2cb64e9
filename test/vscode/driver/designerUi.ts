/**
 * UI test in the real workbench: what a user does first, keyboard only after the command palette.
 *   F1 → "CNN Studio: New Model from Template…" → tutorial-cifar → Enter (file name)
 *   → the designer shows the TF tutorial CIFAR net with 124,810 params
 *   → arrow keys to the first Dense layer, "A", type "Dropout", Enter → a Dropout between the Dense layers
 *   → Ctrl+Z restores the model → Ctrl+Y brings the Dropout back → Ctrl+S saves it to disk
 *   → "Open as Text" shows the text in the designer's tab (one tab for the file) → Ctrl+K V back.
 * Screenshots of each step go to <outDir>/ui-*.png.
 *
 *   node --import tsx test/vscode/driver/designerUi.ts <baseUrl> <workspaceFolder> <outDir>
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { launchWorkbenchBrowser, runFromPalette, stopwatch, until as waitUntil, webviewFrame } from './browser';

const [baseUrl, workspace, outDir] = process.argv.slice(2) as [string, string, string];
const log = stopwatch();
let shot = 0;

async function screenshot(page: Page, name: string): Promise<void> {
  const file = join(outDir, `ui-${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  log(`screenshot ${file}`);
}

async function summaryText(frame: Frame): Promise<string> {
  return (await frame.locator('.summary-bar').innerText()).replace(/\s+/g, ' ');
}

async function expectSummary(frame: Frame, what: string, predicate: (s: string) => boolean, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    last = await summaryText(frame).catch(() => '');
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: the summary bar shows "${last}"`);
}

async function nodeIds(frame: Frame): Promise<string[]> {
  return frame.locator('g.node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
}

async function selectedNode(frame: Frame): Promise<{ id: string; type: string } | null> {
  const sel = frame.locator('g.node[aria-selected="true"]');
  if ((await sel.count()) !== 1) return null;
  return { id: (await sel.getAttribute('data-id')) ?? '', type: (await sel.getAttribute('data-type')) ?? '' };
}

async function main(): Promise<void> {
  const { context, page } = await launchWorkbenchBrowser(outDir);
  page.on('pageerror', (e) => log(`[page error] ${e.message}`));
  try {
    await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
    log('workbench loaded');

    // Before any model exists, the CNN Studio side bar offers "New Model from Template…" once: the
    // Model view's button; the Models view's empty state offers Import instead of a second such button.
    await page.locator('.activitybar .action-item a[aria-label^="CNN Studio"]').first().click();
    // The view's page may still be (re)loading: look until its button is there, in whichever frame holds it now.
    const inModelView = await waitUntil('the Model view\'s New Model from Template… button', async () => {
      const frame = await webviewFrame(page, 'p.muted', 2_000).catch(() => undefined);
      const n = frame ? await frame.locator('vscode-button', { hasText: 'New Model from Template' }).count().catch(() => 0) : 0;
      return n > 0 ? n : undefined;
    }, 30_000);
    await page.locator('.welcome-view-content', { hasText: 'Import a Keras' }).first().waitFor({ timeout: 15_000 });
    const newModelButtons = inModelView + (await page.locator('.part.sidebar .monaco-button', { hasText: 'New Model from Template' }).count());
    await screenshot(page, 'sidebar-empty');
    if (newModelButtons !== 1) throw new Error(`the side bar shows ${newModelButtons} "New Model from Template…" buttons, not one`);
    log('the empty side bar has one New Model from Template… button');
    await runFromPalette(page, 'View: Show Explorer');

    await runFromPalette(page, 'CNN Studio: New Model from Template');
    const templateRow = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'tutorial-cifar' }).first();
    await page.locator('.quick-input-widget input').fill('tutorial-cifar');
    await templateRow.waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    // The file name box, pre-filled with tutorial-cifar.cnn.json in the workspace folder.
    const nameInput = page.locator('.quick-input-widget input');
    let fileName = '';
    for (const until = Date.now() + 10_000; !fileName.endsWith('.cnn.json'); await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > until) throw new Error(`no file name box after picking the template (input shows "${fileName}")`);
      fileName = await nameInput.inputValue().catch(() => '');
    }
    await page.keyboard.press('Enter');
    log(`creating ${fileName}`);
    const file = join(workspace, fileName);

    const frame = await webviewFrame(page, '.summary-bar');
    const initial = await expectSummary(frame, 'the designer shows the CIFAR tutorial net', (s) => s.includes('124,810'), 30_000);
    log(`designer: ${initial}`);
    if (!existsSync(file)) throw new Error(`${file} was not written`);
    await screenshot(page, 'designer-opened');
    const before = await nodeIds(frame);

    // Keyboard only from here. The designer has focus after opening; arrows walk the graph.
    await frame.locator('svg').first().waitFor();
    let target: { id: string; type: string } | null = null;
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('ArrowDown');
      target = await selectedNode(frame);
      if (target?.type === 'Dense') break;
    }
    if (target?.type !== 'Dense') throw new Error(`arrow keys did not reach a Dense layer (selected: ${JSON.stringify(target)})`);
    log(`selected ${target.id} with the keyboard`);
    await page.keyboard.press('a');
    const pickInput = frame.locator('.quick-pick-input');
    await pickInput.waitFor({ state: 'visible', timeout: 5_000 });
    await page.keyboard.type('Dropout');
    await screenshot(page, 'add-layer-picker');
    await page.keyboard.press('Enter');
    const afterInsert = await expectSummary(frame, 'the layer count grows by one', (s) => s.includes(`Layers ${before.length + 1}`));
    const withDropout = await nodeIds(frame);
    const added = withDropout.filter((id) => !before.includes(id));
    if (added.length !== 1 || !/dropout/i.test(added[0]!)) throw new Error(`expected one new Dropout layer, got ${JSON.stringify(added)}`);
    log(`inserted ${added[0]}: ${afterInsert}`);
    if (!afterInsert.includes('124,810')) throw new Error('a Dropout adds no parameters, yet the total changed');
    await screenshot(page, 'dropout-inserted');

    await page.keyboard.press('Control+Z');
    await expectSummary(frame, 'undo removes the Dropout', (s) => s.includes(`Layers ${before.length}`));
    if ((await nodeIds(frame)).some((id) => id === added[0])) throw new Error('undo did not remove the Dropout');
    log('Ctrl+Z restored the model');
    await screenshot(page, 'after-undo');

    await page.keyboard.press('Control+Y');
    await expectSummary(frame, 'redo brings the Dropout back', (s) => s.includes(`Layers ${before.length + 1}`));
    await page.keyboard.press('Control+S');
    const until = Date.now() + 10_000;
    while (!readFileSync(file, 'utf8').includes(`"${added[0]}"`)) {
      if (Date.now() > until) throw new Error('Ctrl+S did not write the Dropout to disk');
      await new Promise((r) => setTimeout(r, 100));
    }
    log(`Ctrl+Y and Ctrl+S: ${fileName} on disk has ${added[0]}`);
    await screenshot(page, 'saved');

    // "Open as Text" (the designer's toolbar) shows the text in the designer's tab: one tab for the file.
    const tabs = page.locator('.tabs-container .tab', { hasText: fileName });
    await frame.locator('vscode-button[data-action="open-as-text-toolbar"]').click();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
    const designerShown = () => webviewFrame(page, '.summary-bar', 500).then(() => true, () => false);
    await waitUntil('one tab for the file, showing the text', async () => ((await tabs.count()) === 1 && !(await designerShown()) ? true : undefined), 15_000);
    await screenshot(page, 'open-as-text');
    log('Open as Text replaced the designer tab');
    // And back with Ctrl+K V in the text editor.
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+K');
    await page.keyboard.press('v');
    await webviewFrame(page, '.summary-bar', 30_000);
    await waitUntil('one tab for the file, the designer again', async () => ((await tabs.count()) === 1 ? true : undefined), 15_000);
    log('Ctrl+K V brought the designer back in the same tab');

    // The CNN Studio side bar follows the active model: its outline lists the new layer.
    await page.locator('.activitybar .action-item a[aria-label^="CNN Studio"]').first().click();
    const sidebar = await webviewFrame(page, '.sidebar .outline');
    await sidebar.locator('.outline li', { hasText: added[0]! }).waitFor({ timeout: 15_000 });
    const sidebarText = (await sidebar.locator('.sidebar').innerText()).replace(/\s+/g, ' ');
    if (!sidebarText.includes('124,810 params')) throw new Error(`the side bar does not show the model's params: ${sidebarText.slice(0, 300)}`);
    log('the side bar lists the model with the Dropout');
    await screenshot(page, 'sidebar');
    await sidebar.locator('vscode-button', { hasText: 'Train' }).waitFor({ timeout: 10_000 });
    await sidebar.locator('details').first().evaluate((el) => el.scrollIntoView());
    await screenshot(page, 'sidebar-scrolled');
  } catch (err) {
    await screenshot(page, 'failed').catch(() => undefined);
    throw err;
  } finally {
    await context.close();
  }
}

main().then(
  () => {
    console.log('UI test passed');
    process.exit(0);
  },
  (err: unknown) => {
    console.error('UI test FAILED:', err);
    process.exit(1);
  },
);
