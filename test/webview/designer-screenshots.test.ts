/**
 * Screenshots of the designer in a dark and a light theme with tutorial-cifar and resnet-mini
 * (written to test-results/; the best ones are copied by hand to media/screenshots/ for the README).
 * Also checks that the theme variables really drive the colours.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './harness/browser';
import { DesignerHarness } from './harness/designerHost';
import { templateText } from './harness/designerFixtures';
import { REPO_ROOT, startServer, type StaticServer } from './harness/server';
import type { ThemeName } from './harness/themes';

let browser: Browser;
let server: StaticServer;
const outDir = join(REPO_ROOT, 'test-results');

before(async () => {
  assert.ok(existsSync(join(REPO_ROOT, 'dist/webview/designer.js')), 'dist/webview/designer.js is missing: run `npm run build` first');
  mkdirSync(outDir, { recursive: true });
  browser = await launchChromium();
  server = await startServer();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const shots: { model: string; select: string }[] = [
  { model: 'tutorial-cifar', select: 'conv2' },
  { model: 'resnet-mini', select: 'block2_add' },
];

for (const theme of ['dark', 'light'] as ThemeName[]) {
  for (const { model, select } of shots) {
    test(`screenshot: ${model}, ${theme} theme`, async () => {
      const h = await DesignerHarness.open(browser, server, templateText(model), { theme, width: 1440, height: 900 });
      try {
        await h.page.locator('g.node').first().waitFor();
        const target = h.page.locator(`g.node[data-id="${select}"]`);
        if ((await target.count()) === 1) {
          await h.send({ type: 'revealNode', documentUri: h.documentUri, nodeId: select });
          await h.waitForExpression(`document.querySelector('g.node[data-id="${select}"]').getAttribute('aria-selected') === 'true'`);
        }
        await h.page.mouse.move(0, 0);
        await h.page.waitForTimeout(150); // toolkit components finish rendering
        const path = join(outDir, `designer-${model}-${theme}.png`);
        await h.page.screenshot({ path });
        assert.ok(statSync(path).size > 20_000, 'the screenshot has content');
        const bg = await h.page.evaluate<string>(`getComputedStyle(document.querySelector('.canvas-svg')).backgroundColor`);
        assert.equal(bg, theme === 'dark' ? 'rgb(31, 31, 31)' : 'rgb(255, 255, 255)', 'the canvas follows --vscode-editor-background');
        assert.deepEqual(h.pageErrors, []);
        assert.deepEqual(h.consoleErrors, []);
      } finally {
        await h.close();
      }
    });
  }
}

test('screenshots: Add Layer quick pick and a broken file (dark)', async () => {
  const picker = await DesignerHarness.open(browser, server, templateText('tutorial-cifar'), { theme: 'dark', width: 1440, height: 900 });
  try {
    await picker.page.locator('g.node').first().waitFor();
    await picker.send({ type: 'revealNode', documentUri: picker.documentUri, nodeId: 'dense1' });
    await picker.page.keyboard.press('a');
    await picker.page.keyboard.type('drop');
    await picker.page.waitForTimeout(100);
    await picker.page.screenshot({ path: join(outDir, 'designer-quick-pick-dark.png') });
    assert.equal(await picker.page.locator('.quick-pick-item.active .quick-pick-name').innerText(), 'Dropout');
  } finally {
    await picker.close();
  }
  const broken = await DesignerHarness.open(browser, server, templateText('tutorial-cifar').replace('"conv1",', '"conv1"'), { theme: 'dark', width: 1440, height: 900 });
  try {
    await broken.page.locator('.invalid-view').waitFor();
    await broken.page.waitForTimeout(100);
    await broken.page.screenshot({ path: join(outDir, 'designer-invalid-dark.png') });
  } finally {
    await broken.close();
  }
});
