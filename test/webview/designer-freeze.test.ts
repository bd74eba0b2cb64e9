/**
 * Freezing layers in the designer (transfer learning): the inspector's "Frozen" checkbox on one layer and
 * the Freeze / Unfreeze button on a selection send one `setTrainable` edit; frozen layers are drawn
 * distinctly and the summary bar's trainable count follows. Screenshots in dark, light and narrow
 * windows go to test-results/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../src/core/shapeInference';
import { templateText } from './harness/designerFixtures';
import { lastEdit, nodeLocator as node, useDesignerSuite } from './harness/designerSuite';
import { REPO_ROOT } from './harness/server';
import type { ThemeName } from './harness/themes';

const { openModel } = useDesignerSuite();

describe('designer: freeze layers', () => {
  test('the Frozen checkbox freezes one layer: one edit, drawn frozen, trainable total in the summary', async () => {
    const h = await openModel(templateText('mnist-small'));
    assert.equal(await h.page.locator('.summary-trainable').count(), 0, 'no trainable item while nothing is frozen');
    await node(h, 'conv2').click();
    const box = h.page.locator('.inspector vscode-checkbox[data-field="trainable"]');
    await box.click();
    await h.waitForEdits(1);
    assert.deepEqual(lastEdit(h), { kind: 'setTrainable', ids: ['conv2'], trainable: false });
    assert.equal(h.model!.nodes.find((n) => n.id === 'conv2')!.trainable, false);
    await h.waitForExpression(`document.querySelector('g.node[data-id="conv2"]').classList.contains('frozen')`);
    assert.match((await node(h, 'conv2').locator('.node-count').textContent()) ?? '', /frozen$/);
    assert.match((await node(h, 'conv2').getAttribute('aria-label')) ?? '', /, frozen/);
    assert.equal(await box.evaluate((el) => (el as unknown as { checked: boolean }).checked), true);
    const totals = analyzeModel(h.model!).totals;
    const trainable = h.page.locator('.summary-trainable');
    assert.equal(await trainable.locator('.summary-value').innerText(), totals.trainableParams.toLocaleString('en-US'));
    assert.match((await trainable.getAttribute('title')) ?? '', /non-trainable: 1 frozen layer/);

    await box.click(); // unfreeze
    await h.waitForEdits(2);
    assert.deepEqual(lastEdit(h), { kind: 'setTrainable', ids: ['conv2'], trainable: true });
    await h.waitForExpression(`!document.querySelector('g.node[data-id="conv2"]').classList.contains('frozen')`);
    assert.equal(await h.page.locator('.summary-trainable').count(), 0);
  });

  test('Freeze on a selection freezes every layer in it; Unfreeze when all are frozen', async () => {
    const h = await openModel(templateText('mnist-small'));
    await node(h, 'input').click();
    await node(h, 'conv1').click({ modifiers: ['Shift'] });
    await node(h, 'conv2').click({ modifiers: ['Shift'] });
    await h.page.locator('.inspector-heading', { hasText: '3 layers selected' }).waitFor();
    await h.page.locator('.inspector vscode-button[data-action="freeze"]').click();
    await h.waitForEdits(1);
    // The Input has no weights to freeze and is left out.
    assert.deepEqual(lastEdit(h), { kind: 'setTrainable', ids: ['conv1', 'conv2'], trainable: false });
    const unfreeze = h.page.locator('.inspector vscode-button[data-action="unfreeze"]');
    await unfreeze.waitFor();
    assert.equal(await h.page.locator('g.node.frozen').count(), 2);
    await unfreeze.click();
    await h.waitForEdits(2);
    assert.deepEqual(lastEdit(h), { kind: 'setTrainable', ids: ['conv1', 'conv2'], trainable: true });
    await h.waitForExpression(`document.querySelectorAll('g.node.frozen').length === 0`);
  });

  for (const [theme, width] of [['dark', 1280], ['light', 1280], ['dark', 560]] as [ThemeName, number][]) {
    test(`screenshot: frozen base, ${theme} theme, ${width}px wide`, async () => {
      const h = await openModel(templateText('mnist-small'), { theme, width, height: 900 });
      await node(h, 'conv1').click();
      await node(h, 'conv2').click({ modifiers: ['Shift'] });
      await h.page.locator('.inspector vscode-button[data-action="freeze"]').click();
      await h.waitForEdits(1);
      await h.page.locator('.summary-trainable').waitFor();
      // One frozen layer selected (the inspector's checkbox) and one not (how a frozen layer is drawn).
      await h.send({ type: 'revealNode', documentUri: h.documentUri, nodeId: 'conv2' });
      await h.page.locator('.inspector vscode-checkbox[data-field="trainable"]').waitFor();
      await h.page.mouse.move(0, 0);
      await h.page.waitForTimeout(150); // toolkit components finish rendering
      mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
      await h.page.screenshot({ path: join(REPO_ROOT, 'test-results', `designer-frozen-${theme}-${width}.png`) });
    });
  }
});
