/**
 * Large models and narrow windows. A generated MobileNet-like model (conv / batch norm / ReLU blocks,
 * 13 depthwise-separable stages: over 100 layers) must stay readable: zoomed out the layers become chips
 * whose names are drawn at a readable size, the layout turns left-to-right (remembered), "Go to layer"
 * (Ctrl+F or /) selects and reveals a layer, and a minimap frames the part on screen. At 1000×700 and
 * at half that width (the designer beside the dashboard) the palette stays reachable, the inspector
 * takes at most a third of the height and several layers show. Screenshots: test-results/designer-large-*.png.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mobileNetLikeNodes } from '../fixtures/largeModels';
import { modelText } from './harness/designerFixtures';
import type { DesignerHarness } from './harness/designerHost';
import { REPO_ROOT } from './harness/server';
import { nodeLocator as node, useDesignerSuite } from './harness/designerSuite';

const outDir = join(REPO_ROOT, 'test-results');

interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

interface Facts {
  readonly canvas: Box;
  readonly inspector: Box;
  readonly palette: Box | null;
  readonly paletteTab: Box | null;
  readonly minimap: Box | null;
  readonly detail: string;
  readonly zoom: number;
  readonly nodes: { readonly id: string; readonly box: Box }[];
  /** On-screen height in px of the text that names each drawn layer (the chip in chip mode, the type otherwise). */
  readonly nameTextPx: number;
  readonly selected: string[];
}

async function facts(h: DesignerHarness): Promise<Facts> {
  return h.page.evaluate<Facts>(`(() => {
    const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null; };
    const canvas = document.querySelector('.canvas');
    const chip = canvas.dataset.detail === 'chip';
    const name = document.querySelector(chip ? 'g.node .node-chip' : 'g.node .node-type');
    return {
      canvas: box(document.querySelector('.canvas-svg')),
      inspector: box(document.querySelector('.inspector')) ?? { left: 0, top: 0, right: 0, bottom: 0 },
      palette: box(document.querySelector('.palette')),
      paletteTab: box(document.querySelector('.palette-tab')),
      minimap: box(document.querySelector('.minimap')),
      detail: canvas.dataset.detail,
      zoom: Number(canvas.style.getPropertyValue('--zoom')),
      nodes: [...document.querySelectorAll('g.node')].map((n) => ({ id: n.getAttribute('data-id'), box: box(n.querySelector('.node-body')) })),
      nameTextPx: name ? name.getBoundingClientRect().height : 0,
      selected: [...document.querySelectorAll('g.node.selected')].map((n) => n.getAttribute('data-id')),
    };
  })()`);
}

const inside = (inner: Box, outer: Box): boolean => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;
const visibleNodes = (f: Facts): string[] => f.nodes.filter((n) => n.box && inside(n.box, f.canvas)).map((n) => n.id);

async function settle(h: DesignerHarness): Promise<void> {
  await h.page.mouse.move(0, 0);
  await h.page.evaluate(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))`);
  await h.page.waitForTimeout(150);
}

describe('designer with a 100+-layer model', () => {
  const { openModel } = useDesignerSuite();
  mkdirSync(outDir, { recursive: true });
  const text = modelText('mobilenet-like', mobileNetLikeNodes());

  /** The model opens with its blocks collapsed (designer-blocks.test.ts); these tests are about every layer. */
  async function openExpanded(opts: { width: number; height: number; theme: 'dark' | 'light' }): Promise<DesignerHarness> {
    const h = await openModel(text, opts);
    await h.page.locator('.view-control[data-action="blocks"]').click();
    return h;
  }

  for (const theme of ['dark', 'light'] as const) {
    test(`1400×900 (${theme}): chips at Fit, left-to-right layout, go to layer, minimap`, async () => {
      const h = await openExpanded({ width: 1400, height: 900, theme });
      await settle(h);
      let f = await facts(h);
      assert.ok(f.nodes.length > 102, `the model has ${f.nodes.length} layers`);
      assert.ok(f.minimap, 'a model taller than the canvas gets a minimap');

      // Fit: far zoomed out, so the layers are chips whose names stay readable.
      await h.page.locator('vscode-button[data-action="fit"]').click();
      await settle(h);
      f = await facts(h);
      assert.equal(f.detail, 'chip', `at Fit (zoom ${f.zoom.toFixed(2)}) layers are drawn as chips`);
      assert.ok(f.nameTextPx >= 8, `chip names are at least 8 px high on screen (${f.nameTextPx.toFixed(1)} px); a card's type would be ${(13 * f.zoom).toFixed(1)} px`);
      await h.page.screenshot({ path: join(outDir, `designer-large-fit-${theme}.png`) });

      // Left to right: the graph is wider than tall, and the choice is in the saved view state.
      await h.page.locator('.view-control[data-action="layout-direction"]').click();
      await settle(h);
      f = await facts(h);
      const xs = f.nodes.map((n) => n.box?.left ?? 0);
      const ys = f.nodes.map((n) => n.box?.top ?? 0);
      assert.ok(Math.max(...xs) - Math.min(...xs) > 3 * (Math.max(...ys) - Math.min(...ys)), 'left to right: the chain runs across');
      assert.equal(await h.page.locator('.view-control[data-action="layout-direction"]').getAttribute('aria-pressed'), 'true');
      await h.page.waitForTimeout(250); // the view state is saved after a short delay
      const saved = await h.page.evaluate<string | null>(`sessionStorage.getItem('__vscodeWebviewState')`);
      assert.equal((JSON.parse(saved ?? '{}') as { layoutDirection?: string }).layoutDirection, 'LR', 'the layout direction is remembered');
      await h.page.screenshot({ path: join(outDir, `designer-large-lr-${theme}.png`) });

      // Go to layer: Ctrl+F (and /), type, Enter: the layer is selected and on screen.
      await h.page.locator('.canvas-svg').focus();
      await h.page.keyboard.press('Control+f');
      await h.page.locator('.layer-search-input').waitFor();
      await h.page.keyboard.type('conv_pw_9_b');
      await h.page.screenshot({ path: join(outDir, `designer-large-search-${theme}.png`) });
      await h.page.keyboard.press('Enter');
      await settle(h);
      f = await facts(h);
      assert.deepEqual(f.selected, ['conv_pw_9_bn']);
      const target = f.nodes.find((n) => n.id === 'conv_pw_9_bn')!;
      assert.ok(target.box && inside(target.box, f.canvas), 'the found layer is on screen');
      assert.equal(await h.page.locator('.layer-search').isHidden(), true, 'the search closes');
      await h.page.keyboard.press('/');
      await h.page.locator('.layer-search-input').waitFor();
      await h.page.keyboard.press('Escape');

      // The minimap moves the view: a click at its far end shows the classifier.
      await h.page.keyboard.press('+');
      await h.page.keyboard.press('+');
      await h.page.keyboard.press('+');
      await settle(h);
      const mm = (await facts(h)).minimap!;
      await h.page.mouse.click(mm.right - 6, (mm.top + mm.bottom) / 2);
      await settle(h);
      f = await facts(h);
      assert.ok(visibleNodes(f).includes('predictions'), `after a click at the minimap's end the classifier is on screen (shown: ${visibleNodes(f).slice(0, 8).join(', ')})`);
      assert.equal(f.detail, 'card', `zoomed in (${f.zoom.toFixed(2)}) layers are full cards again`);
      await h.page.screenshot({ path: join(outDir, `designer-large-zoomed-${theme}.png`) });
    });
  }

  for (const [width, height, theme] of [[1000, 700, 'dark'], [500, 700, 'light']] as const) {
    test(`${width}×${height} (${theme}): palette reachable, inspector at most a third of the height, several layers visible`, async () => {
      const h = await openExpanded({ width, height, theme });
      await settle(h);
      await node(h, 'conv1').click();
      await settle(h);
      let f = await facts(h);
      const shown = visibleNodes(f);
      assert.ok(shown.length >= 3, `at least 3 layers show whole in the canvas (${shown.join(', ')})`);
      if (f.inspector.bottom - f.inspector.top > 0 && f.inspector.top >= f.canvas.bottom - 1) {
        assert.ok(f.inspector.bottom - f.inspector.top <= height / 3 + 1, `the inspector below the graph is at most a third of the height (${Math.round(f.inspector.bottom - f.inspector.top)} px of ${height})`);
      }
      if (f.palette) {
        assert.ok(f.palette.right <= width && f.palette.left >= 0, 'the palette is on screen');
      } else {
        assert.ok(f.paletteTab, 'with no room for the palette column, a "Layers" tab opens it');
        await h.page.locator('.palette-tab').click();
        await settle(h);
        f = await facts(h);
        assert.ok(f.palette && f.palette.left >= 0 && f.palette.right <= width, 'the tab opens the palette over the graph');
        await h.page.screenshot({ path: join(outDir, `designer-large-narrow-${width}-palette-${theme}.png`) });
        // A palette item adds a layer from here too.
        await h.page.locator('.palette-item[data-type="Dropout"]').first().dblclick();
        await h.page.keyboard.press('Escape');
        await settle(h);
        assert.equal(await h.page.locator('.palette').isVisible(), false, 'Escape closes the palette again');
      }
      await h.page.screenshot({ path: join(outDir, `designer-large-narrow-${width}-${theme}.png`) });
    });
  }
});
