/**
 * The designer in a narrow editor (as when the training dashboard is open beside it, ~520 px): the
 * graph is on screen inside the canvas, the toolbar is one line with nothing clipped, the inspector
 * sits below the graph and folds away; resizes and a canvas with no size yet keep the graph in view.
 * Screenshots go to test-results/designer-narrow-*.png.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { templateText } from './harness/designerFixtures';
import type { DesignerHarness } from './harness/designerHost';
import { REPO_ROOT } from './harness/server';
import { nodeLocator as node, useDesignerSuite } from './harness/designerSuite';

const outDir = join(REPO_ROOT, 'test-results');
const NARROW = { width: 520, height: 800 };
const TRAIN = { id: 'cnnStudio.train', title: 'Train', icon: 'play' };

interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

interface LayoutFacts {
  readonly canvas: Box;
  readonly inspector: Box;
  readonly toolbar: Box;
  readonly nodes: { readonly id: string; readonly box: Box }[];
  /** Visible toolbar buttons, with the box of the face they show. */
  readonly buttons: { readonly action: string; readonly box: Box; readonly face: Box | null }[];
  readonly nameTruncated: boolean;
}

/** Boxes of what the layout is about, in page pixels (one evaluate; the page's CSP forbids eval-based waits). */
async function layoutFacts(h: DesignerHarness): Promise<LayoutFacts> {
  return h.page.evaluate<LayoutFacts>(`(() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
    const shown = (el) => el.getBoundingClientRect().width > 0;
    const name = document.querySelector('.model-name');
    return {
      canvas: box(document.querySelector('.canvas-svg')),
      inspector: box(document.querySelector('.inspector')),
      toolbar: box(document.querySelector('.toolbar')),
      nodes: [...document.querySelectorAll('g.node')].map((n) => ({ id: n.getAttribute('data-id'), box: box(n.querySelector('.node-body')) })),
      buttons: [...document.querySelectorAll('.toolbar vscode-button')].filter(shown).map((b) => {
        const face = [...b.querySelectorAll('.face-full, .face-short, .face-icon')].find(shown) ?? null;
        return { action: b.getAttribute('data-action'), box: box(b), face: face ? box(face) : null };
      }),
      nameTruncated: name.scrollWidth > name.clientWidth,
    };
  })()`);
}

const inside = (inner: Box, outer: Box, slack = 0.5): boolean =>
  inner.left >= outer.left - slack && inner.right <= outer.right + slack && inner.top >= outer.top - slack && inner.bottom <= outer.bottom + slack;
const overlaps = (a: Box, b: Box): boolean => a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
const fmt = (b: Box): string => `[${Math.round(b.left)},${Math.round(b.top)} – ${Math.round(b.right)},${Math.round(b.bottom)}]`;

/** Every shown toolbar button lies inside the toolbar, on one line, and shows its whole face. */
function assertToolbarFits(f: LayoutFacts): void {
  assert.ok(f.buttons.length > 0, 'the toolbar shows buttons');
  assert.ok(f.toolbar.bottom - f.toolbar.top <= 40, `the toolbar is one line high (${fmt(f.toolbar)})`);
  for (const b of f.buttons) {
    assert.ok(inside(b.box, f.toolbar), `${b.action} ${fmt(b.box)} lies inside the toolbar ${fmt(f.toolbar)}`);
    assert.ok(b.box.bottom - b.box.top <= 30, `${b.action} is one line high (${fmt(b.box)})`);
    assert.ok(b.face && inside(b.face, b.box), `${b.action}'s label ${b.face ? fmt(b.face) : 'is missing'} fits inside its button ${fmt(b.box)}`);
  }
  const sorted = [...f.buttons].sort((a, b) => a.box.left - b.box.left);
  for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i]!.box.left >= sorted[i - 1]!.box.right - 0.5, `${sorted[i]!.action} does not overlap ${sorted[i - 1]!.action}`);
}

/** The nodes drawn inside the canvas (fully); asserts that none is cut at the sides and at least `min` show. */
function assertGraphInCanvas(f: LayoutFacts, min: number): string[] {
  const visible = f.nodes.filter((n) => inside(n.box, f.canvas)).map((n) => n.id);
  assert.ok(visible.length >= min, `at least ${min} layers show inside the canvas ${fmt(f.canvas)}; shown: ${visible.join(', ') || 'none'}; boxes: ${f.nodes.map((n) => `${n.id}${fmt(n.box)}`).join(' ')}`);
  for (const n of f.nodes) assert.ok(n.box.left >= f.canvas.left && n.box.right <= f.canvas.right, `${n.id} ${fmt(n.box)} is not cut at the canvas' sides ${fmt(f.canvas)}`);
  return visible;
}

/** A fitted view centres the graph across the canvas. */
function assertCentred(f: LayoutFacts): void {
  const left = Math.min(...f.nodes.map((n) => n.box.left));
  const right = Math.max(...f.nodes.map((n) => n.box.right));
  const offset = (left + right) / 2 - (f.canvas.left + f.canvas.right) / 2;
  assert.ok(Math.abs(offset) < 2, `the graph [${Math.round(left)} – ${Math.round(right)}] is centred in the canvas ${fmt(f.canvas)} (off by ${offset.toFixed(1)} px)`);
}

async function settle(h: DesignerHarness): Promise<void> {
  await h.page.mouse.move(0, 0);
  // ResizeObserver callbacks and the toolkit's rendering run after layout: two frames and a moment.
  await h.page.evaluate(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))`);
  await h.page.waitForTimeout(120);
}

describe('designer in a narrow editor', () => {
  const { openModel, openDesigner } = useDesignerSuite();
  mkdirSync(outDir, { recursive: true });

  for (const theme of ['dark', 'light'] as const) {
    test(`520×800 (${theme}): the graph fills the canvas, the toolbar fits on one line, the inspector sits below`, async () => {
      const h = await openModel(templateText('tutorial-cifar'), { ...NARROW, theme, commands: [TRAIN] });
      await settle(h);
      const f = await layoutFacts(h);
      assert.ok(f.canvas.right - f.canvas.left >= NARROW.width - 2, `the canvas gets the whole width (${fmt(f.canvas)})`);
      assert.ok(f.canvas.bottom - f.canvas.top >= 0.5 * NARROW.height, `the canvas gets most of the height (${fmt(f.canvas)})`);
      assert.ok(f.inspector.top >= f.canvas.bottom - 0.5, `the inspector ${fmt(f.inspector)} is below the canvas ${fmt(f.canvas)}`);
      const visible = assertGraphInCanvas(f, 3);
      assert.ok(visible.includes('input'), 'the graph is shown from its input');
      assertToolbarFits(f);
      assert.deepEqual(
        f.buttons.map((b) => b.action),
        ['add-layer', 'zoom-out', 'zoom-in', 'fit', 'undo', 'redo', 'command:cnnStudio.train', 'open-as-text-toolbar', 'shortcuts'],
        'at 520 px every action is still on the toolbar (no ⋯ menu needed)',
      );
      assert.equal(f.nameTruncated, false, 'the model name shows whole');
      // Short faces keep their full names for tooltips and screen readers.
      const openText = h.page.locator('vscode-button[data-action="open-as-text-toolbar"]');
      assert.equal(await openText.getAttribute('aria-label'), 'Open as Text');
      assert.equal(await openText.innerText(), '{ }');
      assert.equal(await h.page.locator('vscode-button[data-action="command:cnnStudio.train"]').getAttribute('aria-label'), 'Train');

      if (theme === 'light') {
        // The layer form in the bottom inspector.
        await node(h, 'conv2').click();
        await h.page.locator('.inspector vscode-text-field[data-field="id"]').waitFor();
        await settle(h);
      }
      await h.page.screenshot({ path: join(outDir, `designer-narrow-${theme}.png`) });

      // Fit shows every layer.
      await h.page.locator('vscode-button[data-action="fit"]').click();
      await settle(h);
      const fitted = await layoutFacts(h);
      assert.equal(assertGraphInCanvas(fitted, fitted.nodes.length).length, 11, 'after Fit all 11 layers are inside the canvas');
    });
  }

  test('opened wide, then narrowed (a panel opens beside it): the fitted graph is fitted again', async () => {
    const h = await openModel(templateText('tutorial-cifar'), { width: 1400, height: 800 });
    await settle(h);
    assertGraphInCanvas(await layoutFacts(h), 5);
    await h.page.setViewportSize(NARROW);
    await settle(h);
    const f = await layoutFacts(h);
    assert.ok(assertGraphInCanvas(f, 3).includes('input'));
    assertCentred(f);
    assertToolbarFits(f);
  });

  test('a zoom and pan of the user survive a resize, but the graph is never left out of view', async () => {
    const h = await openModel(templateText('tutorial-cifar'), { width: 1400, height: 800 });
    await settle(h);
    await h.page.locator('vscode-button[data-action="zoom-out"]').click();
    const zoom = async (): Promise<string> => (await h.page.locator('g.viewport').getAttribute('transform'))!.replace(/.*scale/, '');
    const zoomBefore = await zoom();
    // Drag the background so the graph sits at the far right of the wide canvas.
    const wide = await layoutFacts(h);
    const graphRight = Math.max(...wide.nodes.map((n) => n.box.right));
    const y = wide.canvas.bottom - 40;
    await h.page.mouse.move(wide.canvas.left + 20, y);
    await h.page.mouse.down();
    await h.page.mouse.move(wide.canvas.left + 20 + (wide.canvas.right - 20 - graphRight) / 2, y, { steps: 4 });
    await h.page.mouse.move(wide.canvas.left + 20 + (wide.canvas.right - 20 - graphRight), y, { steps: 4 });
    await h.page.mouse.up();
    const panned = await layoutFacts(h);
    assert.ok(Math.min(...panned.nodes.map((n) => n.box.left)) > NARROW.width, 'the graph now lies right of where a 520 px canvas ends');

    await h.page.setViewportSize(NARROW);
    await settle(h);
    const f = await layoutFacts(h);
    assert.equal(await zoom(), zoomBefore, 'the user’s zoom is kept');
    assert.ok(f.nodes.some((n) => overlaps(n.box, f.canvas)), `part of the graph is in view after the resize: ${f.nodes.map((n) => `${n.id}${fmt(n.box)}`).join(' ')}, canvas ${fmt(f.canvas)}`);
  });

  test('a canvas with no size when the snapshot arrives (or hidden later) fits the graph once it has one', async () => {
    // 40 px high: the toolbar and the summary bar take it all, the canvas is 0 high.
    const h = await openDesigner(templateText('tutorial-cifar'), { width: 520, height: 40 });
    await h.page.locator('g.node').first().waitFor({ state: 'attached' });
    const zero = await layoutFacts(h);
    assert.equal(zero.canvas.bottom - zero.canvas.top, 0, 'the canvas has no height yet');
    await h.page.setViewportSize(NARROW);
    await settle(h);
    const shown = await layoutFacts(h);
    assert.ok(assertGraphInCanvas(shown, 3).includes('input'));
    assertCentred(shown);

    // Hidden (0 high) and shown again at another size.
    await h.page.setViewportSize({ width: 520, height: 40 });
    await settle(h);
    await h.page.setViewportSize({ width: 640, height: 900 });
    await settle(h);
    const again = await layoutFacts(h);
    assert.ok(assertGraphInCanvas(again, 3).includes('input'));
    assertCentred(again);
  });

  test('the narrow inspector folds away (the graph gets its room) and Enter on a layer unfolds it at its first field', async () => {
    const h = await openModel(templateText('tutorial-cifar'), NARROW);
    await settle(h);
    const toggle = h.page.locator('.inspector-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.match(await toggle.innerText(), /Inspector\s+Model overview/i);
    const before = await layoutFacts(h);
    await toggle.focus();
    await h.page.keyboard.press('Enter'); // a real <button>: the keyboard works it
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await settle(h);
    const folded = await layoutFacts(h);
    assert.ok(folded.canvas.bottom - folded.canvas.top > before.canvas.bottom - before.canvas.top + 150, 'the canvas grows into the room');
    assert.ok(folded.inspector.bottom - folded.inspector.top < 40, `only the inspector's title bar is left (${fmt(folded.inspector)})`);
    assert.equal(await h.page.locator('.inspector-body').isVisible(), false);
    assertGraphInCanvas(folded, 4);

    await node(h, 'conv2').click();
    assert.match(await toggle.innerText(), /conv2 · Conv2D/);
    await h.page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await h.page.evaluate<string | null>(`document.activeElement?.getAttribute('data-field') ?? null`), 'id', 'focus is in the id field');
    assert.ok(await h.page.locator('.inspector vscode-text-field[data-field="id"]').isVisible());

    // Folded stays folded across a reload (view state).
    await toggle.click();
    await h.page.waitForTimeout(250);
    await h.page.reload();
    await node(h, 'conv2').waitFor();
    assert.equal(await h.page.locator('.inspector-toggle').getAttribute('aria-expanded'), 'false');
  });

  test('a toolbar button keeps keyboard focus when the next snapshot redraws the toolbar', async () => {
    const h = await openModel(templateText('tutorial-cifar'), NARROW);
    await node(h, 'pool1').click();
    await h.page.keyboard.press('Delete');
    await h.waitForEdits(1);
    await node(h, 'pool1').waitFor({ state: 'detached' });
    await h.page.locator('vscode-button[data-action="undo"]').focus();
    await h.page.keyboard.press('Enter');
    await node(h, 'pool1').waitFor();
    assert.equal(await h.page.evaluate<string | null>(`document.activeElement?.getAttribute('data-action') ?? null`), 'undo');
  });

  test('very narrow (360 px): the least needed actions move into a ⋯ menu that the keyboard can open and run', async () => {
    const h = await openModel(templateText('tutorial-cifar'), { width: 360, height: 700, theme: 'dark', commands: [TRAIN] });
    await settle(h);
    const f = await layoutFacts(h);
    assertToolbarFits(f);
    const shown = f.buttons.map((b) => b.action);
    assert.ok(shown.includes('more'), `the ⋯ button shows (${shown.join(', ')})`);
    assert.ok(shown.includes('add-layer') && shown.includes('command:cnnStudio.train'), 'Add Layer and Train stay on the toolbar');
    assert.ok(!shown.includes('open-as-text-toolbar') && !shown.includes('shortcuts'), 'Open as Text and the shortcuts went into the menu first');
    assertGraphInCanvas(f, 3);

    const more = h.page.locator('vscode-button[data-action="more"]');
    assert.equal(await more.getAttribute('aria-label'), 'More actions');
    await more.focus();
    await h.page.keyboard.press('Enter');
    const menu = h.page.locator('.toolbar-menu');
    await menu.waitFor();
    assert.equal(await more.getAttribute('aria-expanded'), 'true');
    const items = await menu.locator('[role="menuitem"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    for (const action of ['open-as-text-toolbar', 'shortcuts']) assert.ok(items.includes(action), `${action} is in the menu (${items.join(', ')})`);
    assert.deepEqual([...items].sort(), ['add-layer', 'zoom-out', 'zoom-in', 'fit', 'undo', 'redo', 'command:cnnStudio.train', 'open-as-text-toolbar', 'shortcuts', 'more'].filter((a) => !shown.includes(a)).sort(), 'the menu holds exactly what the toolbar does not show');
    const menuBox = await menu.boundingBox();
    assert.ok(menuBox && menuBox.x >= 0 && menuBox.x + menuBox.width <= 360, 'the menu is inside the page');
    assert.equal(await h.page.evaluate<string | null>(`document.activeElement?.getAttribute('data-action') ?? null`), items[0], 'the first item has focus');
    await h.page.screenshot({ path: join(outDir, 'designer-narrow-menu-dark.png') });

    // Escape closes it and gives focus back to ⋯; then run "Open as Text" from the keyboard.
    await h.page.keyboard.press('Escape');
    assert.equal(await menu.isVisible(), false);
    assert.equal(await more.getAttribute('aria-expanded'), 'false');
    await h.page.keyboard.press('Enter');
    await menu.waitFor();
    const target = items.indexOf('open-as-text-toolbar');
    for (let i = 0; i < target; i++) await h.page.keyboard.press('ArrowDown');
    await h.page.keyboard.press('Enter');
    await h.idle();
    assert.deepEqual(h.messagesOf('openAsText'), [{ type: 'openAsText', documentUri: h.documentUri }]);
    assert.equal(await menu.isVisible(), false, 'running an item closes the menu');

    // Widened again: everything is back on the toolbar and the ⋯ button goes away.
    await h.page.setViewportSize({ width: 1200, height: 700 });
    await settle(h);
    const wide = await layoutFacts(h);
    assertToolbarFits(wide);
    assert.ok(!wide.buttons.some((b) => b.action === 'more'));
    assert.equal(await h.page.locator('vscode-button[data-action="open-as-text-toolbar"]').innerText(), 'Open as Text');
  });
});
