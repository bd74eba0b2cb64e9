/**
 * The dashboard in a narrow window (beside the designer): the confusion matrix is never clipped. When
 * it is wider than its room it scrolls sideways inside its own box, so every column can be reached, and
 * the page itself does not grow wider than the window. Screenshots: test-results/dashboard-narrow-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './harness/browser';
import { REPO_ROOT, startServer, type StaticServer } from './harness/server';
import { deliver, openDashboard, settle } from './dashboard-harness';
import { loadFixture } from './dashboard-fixture';

const fixture = loadFixture();

/** The recorded evaluation widened to Fashion-MNIST's ten classes (the matrix the issue saw clipped after "Sandal"). */
function tenClassEvaluation(): unknown {
  const recorded = fixture.evaluation[0] as { report: Record<string, unknown> };
  const classNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  const confusionMatrix = classNames.map((_, t) => classNames.map((_, p) => (t === p ? 900 + t : (t * 7 + p * 3) % 40)));
  const perClass = classNames.map((className) => ({ className, precision: 0.9, recall: 0.9, f1: 0.9, support: 1000 }));
  return { ...recorded, report: { ...recorded.report, classNames, confusionMatrix, perClass, misclassified: [], numSamples: 10_000 }, thumbnails: [] };
}
const results = join(REPO_ROOT, 'test-results');
let browser: Browser;
let server: StaticServer;

before(async () => {
  browser = await launchChromium();
  server = await startServer();
  mkdirSync(results, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

for (const [width, theme] of [[1000, 'dark'], [500, 'light']] as const) {
  test(`${width} px wide (${theme}): every column of the confusion matrix can be reached, nothing is clipped`, async () => {
    const { page, errors } = await openDashboard(browser, server, theme, { width, height: 700 });
    await deliver(page, [...fixture.training, tenClassEvaluation()]);
    await settle(page);
    const figure = page.locator('figure.matrix');
    await figure.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(results, `dashboard-narrow-${width}-${theme}.png`) });
    // One evaluate as a string (the tests compile without the DOM library).
    const facts = await page.evaluate<{ figRight: number; lastRight: number; lastLeft: number; visibleRight: number; pageWidth: number; columns: number }>(`(() => {
      const f = document.querySelector('figure.matrix');
      f.scrollLeft = f.scrollWidth; // as far right as a user can scroll it
      const fig = f.getBoundingClientRect();
      const heads = [...f.querySelectorAll('thead th')];
      const last = heads[heads.length - 1].getBoundingClientRect();
      // What is painted of the last column: its box cut by every clipping ancestor.
      let visibleRight = last.right;
      for (let a = f; a; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') visibleRight = Math.min(visibleRight, a.getBoundingClientRect().right);
      }
      visibleRight = Math.min(visibleRight, window.innerWidth);
      return { figRight: fig.right, lastRight: last.right, lastLeft: last.left, visibleRight, pageWidth: document.documentElement.scrollWidth, columns: heads.length - 1 };
    })()`);
    assert.ok(facts.columns >= 2, 'the matrix has its class columns');
    assert.ok(facts.figRight <= width + 0.5, `the matrix box ends inside the window (${facts.figRight} ≤ ${width})`);
    assert.ok(facts.visibleRight >= facts.lastRight - 0.5, `the last column [${facts.lastLeft}–${facts.lastRight}] is shown whole once scrolled (painted up to ${facts.visibleRight})`);
    assert.ok(facts.pageWidth <= width + 0.5, `the page does not scroll sideways (${facts.pageWidth} px wide)`);
    await page.locator('section[aria-labelledby="eval-title"]').screenshot({ path: join(results, `dashboard-narrow-${width}-${theme}-matrix.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}
