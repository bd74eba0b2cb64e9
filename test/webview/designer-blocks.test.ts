/**
 * Repeated blocks collapse into cards that expand (issue 13.8; Netron is the anchor). A 106-layer
 * MobileNet-like import opens with its 17 blocks collapsed (24 cards instead of 106), a card names its
 * block, layer count, type sequence, output shape and parameters; a click, Enter or Space opens it (the
 * frame's tab closes it again); Go to layer and a Problems click open the block holding the layer; a
 * problem inside a collapsed block shows on its card. Collapsing is view state only: no edit is sent,
 * and the choice is in the saved view state. Screenshots: test-results/designer-blocks-*.png.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelNode } from '../../src/core/format';
import { mobileNetLikeNodes, resNetLikeNodes } from '../fixtures/largeModels';
import { modelText } from './harness/designerFixtures';
import type { DesignerHarness } from './harness/designerHost';
import { REPO_ROOT } from './harness/server';
import { nodeLocator as node, useDesignerSuite } from './harness/designerSuite';

const outDir = join(REPO_ROOT, 'test-results');
const card = (h: DesignerHarness, id: string) => h.page.locator(`g.group-card[data-group="group:${id}"]`);
const tab = (h: DesignerHarness, id: string) => h.page.locator(`g.block-frame-tab[data-group="group:${id}"]`);

interface Shown {
  readonly cards: string[];
  readonly layers: number;
  readonly zoom: number;
  readonly detail: string;
  /** The smallest on-screen height (px) of the text naming each card and layer at this zoom. */
  readonly smallestNamePx: number;
  readonly canvas: { left: number; top: number; right: number; bottom: number };
}

async function shown(h: DesignerHarness): Promise<Shown> {
  return h.page.evaluate<Shown>(`(() => {
    const canvas = document.querySelector('.canvas');
    const chip = canvas.dataset.detail === 'chip';
    const names = [...document.querySelectorAll(chip ? 'g.group-card .group-chip, g.node .node-chip' : 'g.group-card .group-name, g.node .node-type')];
    const r = document.querySelector('.canvas-svg').getBoundingClientRect();
    return {
      cards: [...document.querySelectorAll('g.group-card')].map((g) => g.getAttribute('data-group')),
      layers: document.querySelectorAll('g.node').length,
      zoom: Number(canvas.style.getPropertyValue('--zoom')),
      detail: canvas.dataset.detail,
      smallestNamePx: Math.min(...names.map((n) => n.getBoundingClientRect().height)),
      canvas: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
    };
  })()`);
}

async function settle(h: DesignerHarness): Promise<void> {
  await h.page.mouse.move(0, 0);
  await h.page.evaluate(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))`);
  await h.page.waitForTimeout(150);
}

async function savedCollapsed(h: DesignerHarness): Promise<string[] | null | undefined> {
  await h.page.waitForTimeout(250); // the view state is saved after a short delay
  const saved = await h.page.evaluate<string | null>(`sessionStorage.getItem('__vscodeWebviewState')`);
  return (JSON.parse(saved ?? '{}') as { collapsedBlocks?: string[] | null }).collapsedBlocks;
}

/** The MobileNet-like model with a 9×9 'valid' depthwise kernel in stage 14, where the maps are 2×2: an error inside that block. */
function withErrorInside(): string {
  const nodes = mobileNetLikeNodes().map((n): ModelNode => (n.id === 'conv_dw_14' ? { ...n, params: { ...n.params, kernelSize: [9, 9], padding: 'valid' } } : n));
  return modelText('mobilenet-like', nodes);
}

describe('designer: repeated blocks collapse into cards that expand', () => {
  const { openModel } = useDesignerSuite();
  mkdirSync(outDir, { recursive: true });
  const text = modelText('mobilenet-like', mobileNetLikeNodes());

  for (const [width, height, theme] of [[1400, 900, 'dark'], [1400, 900, 'light'], [1000, 700, 'dark'], [1000, 700, 'light']] as const) {
    test(`${width}×${height} (${theme}): the 106-layer model opens collapsed and reads at Fit`, async () => {
      const h = await openModel(text, { width, height, theme });
      await settle(h);
      let s = await shown(h);
      assert.equal(s.cards.length, 17, 'the stem and the 16 depthwise-separable stages are cards');
      assert.equal(s.layers, 7, 'the input and the head stay layers');
      const label = await card(h, 'conv_dw_5').getAttribute('aria-label');
      assert.match(label ?? '', /^Block conv_\*_5, collapsed, 6 layers, DepthwiseConv·BN·ReLU·Conv2D·BN·ReLU, output 8×8×256, 69,888 params, Enter expands it$/);
      await h.page.locator('vscode-button[data-action="fit"]').click();
      await settle(h);
      s = await shown(h);
      assert.ok(s.smallestNamePx >= 11, `at Fit (zoom ${s.zoom.toFixed(2)}, ${s.detail}) every card's and layer's name is at least 11 px high (${s.smallestNamePx.toFixed(1)} px)`);
      await h.page.screenshot({ path: join(outDir, `designer-blocks-fit-${width}-${theme}.png`) });
      assert.deepEqual(h.edits(), [], 'collapsing is never an edit');
    });
  }

  test('click opens a block where its card was, the tab closes it; Expand all / Collapse blocks', async () => {
    const h = await openModel(text, { width: 1400, height: 900, theme: 'dark' });
    await settle(h);
    const before = await card(h, 'conv_dw_2').boundingBox();
    await card(h, 'conv_dw_2').click();
    await settle(h);
    assert.equal(await card(h, 'conv_dw_2').count(), 0, 'the card is gone');
    const first = await node(h, 'conv_dw_2').locator('.node-body').boundingBox();
    assert.ok(before && first && Math.abs(first.y - before.y) < 2, `the block's first layer is where its card was (${first?.y} vs ${before?.y})`);
    for (const id of ['conv_dw_2_bn', 'conv_pw_2_relu']) assert.equal(await node(h, id).count(), 1, `${id} is drawn`);
    assert.equal(await tab(h, 'conv_dw_2').getAttribute('aria-expanded'), 'true', 'an open block has a frame with a tab');
    assert.deepEqual(await savedCollapsed(h).then((c) => c?.includes('group:conv_dw_2')), false, 'the open block is remembered as open');
    await h.page.screenshot({ path: join(outDir, 'designer-blocks-open-dark.png') });

    await tab(h, 'conv_dw_2').click();
    await settle(h);
    assert.equal(await card(h, 'conv_dw_2').count(), 1, 'the tab closes it again');

    await h.page.locator('.view-control[data-action="blocks"]').click(); // "Collapse blocks" shows while some are open? all are closed: Expand all
    await settle(h);
    assert.equal((await shown(h)).layers, 106, 'Expand all shows every layer');
    assert.match((await h.page.locator('.view-control[data-action="blocks"]').textContent()) ?? '', /Collapse blocks \(17\)/);
    await h.page.locator('.view-control[data-action="blocks"]').click();
    await settle(h);
    assert.equal((await shown(h)).cards.length, 17, 'Collapse blocks collapses them all');
    assert.equal((await savedCollapsed(h))?.length, 17);
    assert.deepEqual(h.edits(), [], 'none of this is an edit');
  });

  test('keyboard: arrows reach a card, Enter opens it, Space on the tab closes it', async () => {
    const h = await openModel(text, { width: 1400, height: 900, theme: 'light' });
    await settle(h);
    await node(h, 'input').click();
    await h.page.keyboard.press('ArrowDown');
    await settle(h);
    assert.equal(await h.page.evaluate(`document.activeElement?.getAttribute('data-group')`), 'group:conv1', 'the stem card has focus');
    assert.match((await card(h, 'conv1').getAttribute('class')) ?? '', /selected/, 'its layers are selected');
    await h.page.keyboard.press('Enter');
    await settle(h);
    assert.equal(await card(h, 'conv1').count(), 0, 'Enter opened it');
    assert.equal(await node(h, 'conv1_bn').count(), 1);
    await tab(h, 'conv1').focus();
    await h.page.keyboard.press(' ');
    await settle(h);
    assert.equal(await card(h, 'conv1').count(), 1, 'Space on the tab closed it');
    assert.deepEqual(h.edits(), []);
  });

  test('Go to layer and a Problems click open the block that holds the layer', async () => {
    const h = await openModel(text, { width: 1400, height: 900, theme: 'dark' });
    await settle(h);
    await h.page.locator('.canvas-svg').focus();
    await h.page.keyboard.press('Control+f');
    await h.page.locator('.layer-search-input').waitFor();
    await h.page.keyboard.type('conv_pw_9_b');
    await h.page.keyboard.press('Enter');
    await settle(h);
    assert.equal(await card(h, 'conv_dw_9').count(), 0, 'the block opened');
    assert.equal(await h.page.locator('g.node.selected').getAttribute('data-id'), 'conv_pw_9_bn');
    const s = await shown(h);
    const box = await node(h, 'conv_pw_9_bn').locator('.node-body').boundingBox();
    assert.ok(box && box.y >= s.canvas.top && box.y + box.height <= s.canvas.bottom, 'and the layer is on screen');
    assert.equal(await card(h, 'conv_dw_10').count(), 1, 'the other blocks stay collapsed');
    await h.page.screenshot({ path: join(outDir, 'designer-blocks-goto-dark.png') });

    // The host's revealNode is what a click in the Problems panel sends.
    await h.send({ type: 'revealNode', documentUri: h.snapshot().documentUri, nodeId: 'conv_dw_13_relu' });
    await settle(h);
    assert.equal(await card(h, 'conv_dw_13').count(), 0, 'the block opened');
    assert.equal(await h.page.locator('g.node.selected').getAttribute('data-id'), 'conv_dw_13_relu');
    assert.deepEqual(h.edits(), []);
  });

  test('a problem inside a collapsed block shows on its card', async () => {
    const h = await openModel(withErrorInside(), { width: 1400, height: 900, theme: 'light' });
    await settle(h);
    const c = card(h, 'conv_dw_14');
    assert.match((await c.getAttribute('class')) ?? '', /problem-error/);
    assert.equal(await c.locator('.node-badge.badge-error').count(), 1, 'an error badge');
    assert.match((await c.getAttribute('aria-label')) ?? '', /1 error inside/);
    assert.equal(await card(h, 'conv_dw_13').locator('.node-badge').count(), 0, 'the blocks without problems have no badge');
    await h.page.locator('vscode-button[data-action="fit"]').click();
    await settle(h);
    await h.page.screenshot({ path: join(outDir, 'designer-blocks-problem-light.png') });
    // F8 goes to the problem: its block opens.
    await h.page.locator('.canvas-svg').focus();
    await h.page.keyboard.press('F8');
    await settle(h);
    assert.equal(await c.count(), 0);
    assert.match((await node(h, 'conv_dw_14').getAttribute('class')) ?? '', /problem-error/);
  });

  test('a ResNet50-like import: one card per residual block; an open block frames its branches', async () => {
    const h = await openModel(modelText('resnet-like', resNetLikeNodes()), { width: 1400, height: 900, theme: 'light' });
    await settle(h);
    const s = await shown(h);
    assert.equal(s.cards.length, 17, 'the stem and 16 residual blocks');
    assert.equal(s.layers, 3, 'input, pooling, classifier');
    await h.page.locator('vscode-button[data-action="fit"]').click();
    await settle(h);
    assert.ok((await shown(h)).smallestNamePx >= 11, 'names readable at Fit');
    await h.page.screenshot({ path: join(outDir, 'designer-blocks-resnet-fit-light.png') });
    await h.send({ type: 'revealNode', documentUri: h.snapshot().documentUri, nodeId: 'conv3_block1_add' });
    await settle(h);
    assert.equal(await h.page.locator('g.edge[data-to="conv3_block1_add"]').count(), 2, 'the Add reads the shortcut and the main branch');
    assert.equal(await h.page.locator('g.edge[data-from="group:conv2_block3_1_conv"][data-to="conv3_block1_1_conv"]').count(), 1, 'the block before, collapsed, feeds it');
    assert.equal(await tab(h, 'conv3_block1_1_conv').count(), 1);
    await h.page.screenshot({ path: join(outDir, 'designer-blocks-resnet-open-light.png') });
  });

  test('a small hand-made model: blocks of repeats, open until asked', async () => {
    const layers: ModelNode[] = [{ id: 'input', type: 'Input', params: { shape: [32, 32, 3] }, inputs: [] }];
    let last = 'input';
    for (const part of ['a', 'b', 'c']) {
      for (const [id, type, params] of [[`conv_${part}`, 'Conv2D', { filters: 16, padding: 'same' }], [`norm_${part}`, 'BatchNormalization', {}], [`pool_${part}`, 'MaxPooling2D', {}]] as const) {
        layers.push({ id, type, params: { ...params }, inputs: [last] });
        last = id;
      }
    }
    layers.push({ id: 'flatten', type: 'Flatten', params: {}, inputs: [last] }, { id: 'output', type: 'Dense', params: { units: 10, activation: 'softmax' }, inputs: ['flatten'] });
    const h = await openModel(modelText('small', layers), { width: 1400, height: 900, theme: 'dark' });
    await settle(h);
    assert.equal((await shown(h)).cards.length, 0, 'a small model opens with every layer shown');
    assert.equal(await h.page.locator('g.block-frame').count(), 0, 'and no frames');
    const button = h.page.locator('.view-control[data-action="blocks"]');
    assert.match((await button.textContent()) ?? '', /Collapse blocks \(3\)/);
    await button.click();
    await settle(h);
    assert.deepEqual((await shown(h)).cards, ['group:conv_a', 'group:conv_b', 'group:conv_c']);
    assert.match((await card(h, 'conv_b').getAttribute('aria-label')) ?? '', /^Block Block 2 of 3, collapsed, 3 layers, Conv2D·BN·MaxPooling2D/);
    await h.page.screenshot({ path: join(outDir, 'designer-blocks-small-dark.png') });
  });
});
