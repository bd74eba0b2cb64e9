/**
 * The built training dashboard in headless chromium, fed with a message stream recorded from real
 * training runs (test/fixtures/dashboard/, regenerate with scripts/record-dashboard-fixture.ts).
 * Screenshots in both themes go to test-results/.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './harness/browser';
import { REPO_ROOT, startServer, type StaticServer } from './harness/server';
import { cspViolations, dashboardStats, deliver, openDashboard, posted, settle, type DashboardPage } from './dashboard-harness';
import { loadFixture, typesOf } from './dashboard-fixture';
import { epochRanges } from '../../webview/dashboard/epochCaptureLabel';

const fixture = loadFixture();
const results = join(REPO_ROOT, 'test-results');
mkdirSync(results, { recursive: true });

let browser: Browser;
let server: StaticServer;

before(async () => {
  browser = await launchChromium();
  server = await startServer();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function points(page: Page, chart: string): Promise<number> {
  return page.locator(`figure.chart[data-chart="${chart}"]`).first().getAttribute('data-points').then((v) => Number(v ?? 0));
}

/** Distinct colours per canvas: a blank or single-colour canvas has at most 1. */
function canvasColours(page: Page, selector: string): Promise<number[]> {
  return page.locator(selector).evaluateAll((canvases) =>
    canvases.map((c) => {
      if (!c.width || !c.height) return 0;
      const d: Uint8ClampedArray = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
      return seen.size;
    }),
  );
}

function canvasHash(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((c) => {
    const d: Uint8ClampedArray = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]!) | 0;
    return h;
  });
}

/** Sets a toolkit dropdown's value as a user's pick would, firing `change`. */
function pickOption(page: Page, selector: string, value: string): Promise<void> {
  return page.locator(selector).evaluate((d, v) => {
    d.value = v;
    d.dispatchEvent(new Event('change'));
  }, value);
}

async function lastPosted(page: Page) {
  const all = await posted(page);
  return all[all.length - 1];
}

const trainingBatches = fixture.training.filter((m) => (m as { type: string }).type === 'batchMetrics') as { points: unknown[] }[];
const batchPoints = trainingBatches.reduce((n, m) => n + m.points.length, 0);
const epochCount = typesOf(fixture.training).filter((t) => t === 'epochMetrics').length;

describe('dashboard webview', () => {
  test('the fixture is a real recorded run (hydrate first, deltas, feature maps, the end)', () => {
    const types = typesOf(fixture.training);
    assert.equal(types[0], 'hydrate');
    // A live run starts empty; everything after comes as deltas.
    assert.equal((fixture.training[0] as { batches: unknown[] }).batches.length, 0);
    assert.ok(batchPoints >= 20, `batch points: ${batchPoints}`);
    assert.ok(epochCount >= 3);
    assert.ok(types.includes('featureMaps'));
    assert.equal((fixture.training.at(-1) as { type: string }).type === 'featureMaps' || types.includes('runStatus'), true);
  });

  test('with no run: an empty state whose Train button asks the host to train', async () => {
    const { page, errors } = await openDashboard(browser, server, 'dark');
    try {
      await deliver(page, [{ type: 'hydrate', run: null, batches: [], epochs: [], featureMaps: [], evaluation: null, thumbnails: [] }]);
      await settle(page);
      assert.ok(await page.getByText('No run yet — press Train').isVisible());
      assert.equal(await page.locator('.run-header').isVisible(), false);
      await page.locator('#train-empty').click();
      assert.deepEqual(await lastPosted(page), { type: 'train' });
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  describe('replaying the recorded run', () => {
    let dp: DashboardPage;
    let page: Page;
    before(async () => {
      dp = await openDashboard(browser, server, 'dark');
      page = dp.page;
    });
    after(async () => {
      await page?.close();
    });

    test('while running: header facts, Pause and Stop post the right messages', async () => {
      // Up to the middle of the run (the third epoch's metrics).
      const types = typesOf(fixture.training);
      let cut = 0;
      for (let i = 0, seen = 0; i < types.length; i++) if (types[i] === 'epochMetrics' && ++seen === 3) cut = i + 1;
      await deliver(page, fixture.training.slice(0, cut));
      await settle(page);
      assert.match(await page.locator('.run-header .facts').innerText(), /Epoch 3\/6 · batch \d+\/\d+ · ETA [\d:]+ · [\d,]+ samples\/s · lr 0\.003 · wasm/);
      assert.equal(await page.locator('.status').innerText(), 'Running');
      await page.locator('#pause').click();
      assert.deepEqual(await lastPosted(page), { type: 'pause' });
      await page.locator('#stop').click();
      assert.deepEqual(await lastPosted(page), { type: 'stop' });
      assert.equal(await page.locator('#resume').isVisible(), false);
      // The host answers a pause with a status change: now Resume is offered instead of Pause.
      const runId = (fixture.training[0] as { run: { runId: string } }).run.runId;
      await deliver(page, [{ type: 'runStatus', runId, status: 'paused' }]);
      await settle(page);
      assert.equal(await page.locator('#pause').isVisible(), false);
      await page.locator('#resume').focus();
      await page.keyboard.press('Enter');
      assert.deepEqual(await lastPosted(page), { type: 'resume' });
      await deliver(page, fixture.training.slice(cut));
      await settle(page);
    });

    test('the charts got every point: batches (raw and smoothed) and epochs (training and validation)', async () => {
      // Batch points sit at epoch-1+batch/B; an epoch's point shares the x of its last batch.
      assert.equal(await points(page, 'Loss'), batchPoints);
      assert.equal(await points(page, 'Accuracy'), batchPoints);
      assert.equal(await points(page, 'Learning rate'), batchPoints);
      assert.equal(await points(page, 'Throughput'), batchPoints);
      assert.equal(await page.locator('.status').innerText(), 'Finished');
      assert.equal(await page.locator('#pause').isVisible(), false);
      assert.equal(await page.locator('#stop').isVisible(), false);
      // Hovering shows the values under the cursor in the legend.
      const plot = page.locator('figure.chart[data-chart="Loss"] .u-over');
      const box = (await plot.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      const legend = await page.locator('figure.chart[data-chart="Loss"] .u-legend').innerText();
      assert.match(legend, /loss \(smoothed\)\s*:?\s*\d\.\d+/);
      // At the first batch the (bias-corrected) moving average equals the raw value.
      await page.mouse.move(box.x + 1, box.y + box.height / 2);
      const first = (await page.locator('figure.chart[data-chart="Loss"] .u-legend').innerText()).replace(/\s+/g, ' ');
      const raw = /loss \(batch\)\s*:?\s*([\d.]+)/.exec(first)?.[1];
      const smooth = /loss \(smoothed\)\s*:?\s*([\d.]+)/.exec(first)?.[1];
      assert.ok(raw !== undefined && raw === smooth, first);
      // The log-scale toggle rebuilds the loss chart with the same data.
      await page.locator('#log-scale').click();
      await settle(page);
      assert.equal(await points(page, 'Loss'), batchPoints);
      await page.locator('#log-scale').click();
    });

    test('a delta for another run is dropped', async () => {
      const dropped = (await dashboardStats(page)).dropped;
      await deliver(page, [{ type: 'batchMetrics', runId: 'some-older-run', batchesPerEpoch: 9, points: [{ step: 1, epoch: 1, batch: 1, loss: 9, accuracy: 0, learningRate: 1, samplesPerSec: 1 }] }]);
      await settle(page);
      assert.equal((await dashboardStats(page)).dropped, dropped + 1);
      assert.equal(await points(page, 'Loss'), batchPoints);
    });

    test('feature maps: one non-blank canvas per conv/pool layer, filters, Grad-CAM input, epoch scrubbing', async () => {
      const layers = (fixture.training.find((m) => (m as { type: string }).type === 'featureMaps') as { snapshot: { layers: { layerId: string }[] } }).snapshot.layers;
      const colours = await canvasColours(page, 'canvas[data-role="feature-map"]');
      assert.equal(colours.length, layers.length);
      for (const n of colours) assert.ok(n > 8, `feature map canvas has ${n} colours`);
      const [filters] = await canvasColours(page, 'canvas[data-role="filters"]');
      assert.ok(filters! > 8);
      const [input] = await canvasColours(page, 'canvas[data-role="input"]');
      assert.ok(input! > 8);
      const snapshots = typesOf(fixture.training).filter((t) => t === 'featureMaps').length;
      // The label names the captured epochs (the recorded run captured every one of them), never "n of n" after a longer run.
      const captured = (fixture.training.filter((m) => (m as { type: string }).type === 'featureMaps') as { snapshot: { epoch: number } }[]).map((m) => m.snapshot.epoch);
      assert.equal(captured.length, snapshots);
      const label = await page.locator('label[for="fm-epoch"]').innerText();
      assert.equal(label, captured.length === epochCount ? `Epoch ${epochCount} of ${epochCount} (every epoch captured)` : `Epoch ${captured.at(-1)} of ${epochCount} (captured: ${epochRanges(captured)})`);
      assert.equal(await page.locator('[data-role="capture-note"]').isHidden(), captured.length === epochCount);
      const conv1 = `canvas[data-layer="${layers[0]!.layerId}"]`;
      const last = await canvasHash(page, conv1);
      await page.locator('#fm-epoch').focus();
      await page.keyboard.press('Home');
      assert.match(await page.locator('label[for="fm-epoch"]').innerText(), /^Epoch 1 /);
      assert.notEqual(await canvasHash(page, conv1), last, 'epoch 1 maps differ from the last epoch');
      await page.keyboard.press('End');
      // The layer picker narrows the grid to one layer and tells the host (to select it in the designer).
      await pickOption(page, '#fm-layer', layers[1]!.layerId);
      assert.deepEqual(await lastPosted(page), { type: 'selectLayer', layerId: layers[1]!.layerId });
      assert.equal(await page.locator('canvas[data-role="feature-map"]').count(), 1);
      // A layer selected in the designer comes back as revealLayer.
      await deliver(page, [{ type: 'revealLayer', layerId: layers[2]!.layerId }]);
      await settle(page);
      assert.equal(await page.locator(`canvas[data-layer="${layers[2]!.layerId}"]`).count(), 1);
      await pickOption(page, '#fm-layer', '__all__');
    });

    test('Grad-CAM: says which layer and score it shows, and offers every conv layer', async () => {
      const snap = (fixture.training.filter((m) => (m as { type: string }).type === 'featureMaps').pop() as { snapshot: { gradCam: { layerId: string; layers: string[]; className: string } } }).snapshot;
      const cam = snap.gradCam;
      assert.deepEqual(cam.layers, ['conv1', 'conv2']);
      assert.equal(cam.layerId, 'conv2');
      assert.match(await page.locator('.fm-sample .hint').innerText(), new RegExp(`^Grad-CAM at conv2 \\(\\d+×\\d+, upsampled\\) for the score \\(before softmax\\) of “${cam.className}”`));
      assert.deepEqual(await page.locator('#fm-gradcam-layer vscode-option').allInnerTexts(), cam.layers);
      await pickOption(page, '#fm-gradcam-layer', 'conv1');
      assert.deepEqual(await lastPosted(page), { type: 'chooseGradCamLayer', layerId: 'conv1' });
      await page.locator('.feature-maps').screenshot({ path: join(results, 'dashboard-gradcam.png') });
    });

    test('evaluation: confusion matrix cells list their samples with open-file links; keyboard works', async () => {
      // The run has ended (the replay's last message): the empty state no longer says to wait for the end.
      const emptyText = await page.locator('section[aria-labelledby="eval-title"] p').first().innerText();
      assert.match(emptyText, /^No evaluation yet\. Evaluate the run/);
      await deliver(page, fixture.evaluation);
      await settle(page);
      const ev = (fixture.evaluation[0] as { report: { classNames: string[]; confusionMatrix: number[][]; misclassified: { trueClass: string; predictedClass: string; path: string | null }[]; perClass: unknown[] } }).report;
      assert.equal(await page.locator('table.per-class tbody tr').count(), ev.perClass.length);
      // The off-diagonal cell with the most samples.
      let best = { t: 0, p: 1, n: -1 };
      ev.confusionMatrix.forEach((row, t) => row.forEach((n, p) => { if (t !== p && n > best.n) best = { t, p, n }; }));
      const expected = ev.misclassified.filter((m) => m.trueClass === ev.classNames[best.t] && m.predictedClass === ev.classNames[best.p]);
      await page.locator(`button.cell[data-true="${best.t}"][data-pred="${best.p}"]`).focus();
      await page.keyboard.press('Enter');
      assert.match(await page.locator('#cell-samples h3').innerText(), new RegExp(`True ${ev.classNames[best.t]}, predicted ${ev.classNames[best.p]}: ${best.n} sample`));
      assert.equal(await page.locator('#cell-samples li').count(), expected.length);
      await page.locator('#cell-samples li').first().getByText('Open file').click();
      assert.deepEqual(await lastPosted(page), { type: 'openFile', path: expected[0]!.path });
      // Thumbnails are the real PNG files' bytes, decoded by the page.
      // PNG thumbnails decode asynchronously.
      await page.locator('.gallery canvas').first().evaluate((c) => new Promise((r) => (c.width > 0 ? r(0) : setTimeout(r, 300))));
      const thumbs = await canvasColours(page, '.gallery canvas');
      assert.ok(thumbs.length > 0 && thumbs.every((n) => n > 2), `thumbnails: ${thumbs}`);
      await page.locator('.gallery-item').first().click();
      assert.equal((await lastPosted(page))!.type, 'pickSample');
    });

    test('"Show feature maps" of a mistake: shown apart from the training sample\'s series, which is kept; Esc or Back returns, keyboard only', async () => {
      type Snap = { epoch: number; sample: { datasetIndex: number | null; path: string | null; trueClass: string | null } };
      const series = fixture.training.filter((m) => (m as { type: string }).type === 'featureMaps') as { runId: string; snapshot: Snap }[];
      const last = series.at(-1)!;
      const labelBefore = await page.locator('label[for="fm-epoch"]').innerText();
      const conv1 = 'canvas[data-role="feature-map"][data-layer="conv1"]';
      const seriesHash = await canvasHash(page, conv1);
      const ev = (fixture.evaluation[0] as { report: { misclassified: { index: number; trueClass: string }[] } }).report;
      const show = page.locator('#cell-samples li').first().getByText('Show feature maps');
      /** The host's answer to a pick: that sample's maps (the first epoch's tiles stand in for another sample's). */
      const answer = (index: number, trueClass: string) => ({ type: 'featureMaps', runId: last.runId, picked: true, snapshot: { ...series[0]!.snapshot, epoch: last.snapshot.epoch, sample: { datasetIndex: index, path: null, trueClass } } });

      for (const leave of ['Escape', 'click'] as const) {
        await show.focus();
        await page.keyboard.press('Enter');
        const pick = (await lastPosted(page)) as { type: string; sample: { datasetIndex?: number } };
        assert.equal(pick.type, 'pickSample');
        const picked = ev.misclassified.find((m) => m.index === pick.sample.datasetIndex)!;
        await deliver(page, [answer(picked.index, picked.trueClass)]);
        await settle(page);
        const bar = page.locator('[data-role="picked-sample"]');
        assert.equal(await bar.isVisible(), true);
        assert.match(await bar.innerText(), new RegExp(`Showing validation sample #${picked.index} \\(true: ${picked.trueClass}\\) from the evaluation, at epoch ${last.snapshot.epoch}\\. The training sample's maps over the epochs are kept\\.`));
        assert.equal(await page.locator('#fm-epoch').isVisible(), false, 'one snapshot: no epoch slider');
        assert.match(await page.locator('.fm-sample figcaption').first().innerText(), new RegExp(`^validation sample #${picked.index} · true: ${picked.trueClass}`));
        assert.notEqual(await canvasHash(page, conv1), seriesHash, "the picked sample's maps are drawn");
        assert.equal(await page.evaluate('document.activeElement?.id'), 'fm-back', 'the focus is on the way back');
        assert.ok(await page.locator('.feature-maps h2').evaluate((h) => h.getBoundingClientRect().top >= 0 && h.getBoundingClientRect().top < h.ownerDocument.defaultView!.innerHeight), 'scrolled to the feature maps');
        if (leave === 'Escape') {
          await page.locator('.feature-maps').screenshot({ path: join(results, 'dashboard-picked-sample-dark.png') });
          await page.keyboard.press('Escape');
        } else {
          await page.locator('#fm-back').click();
        }
        await settle(page);
        assert.deepEqual(await lastPosted(page), { type: 'closePickedSample' });
        assert.equal(await bar.isHidden(), true);
        assert.equal(await page.locator('label[for="fm-epoch"]').innerText(), labelBefore, 'the series is back, every epoch of it');
        assert.equal(await canvasHash(page, conv1), seriesHash);
        assert.equal(await show.evaluate((b) => b === b.ownerDocument.activeElement), true, 'the focus is back on the "Show feature maps" that opened it');
      }
      // The light theme in a narrow panel.
      const narrow = await openDashboard(browser, server, 'light', { width: 520, height: 800 });
      try {
        const first = ev.misclassified[0]!;
        await deliver(narrow.page, [...fixture.training, ...fixture.evaluation, answer(first.index, first.trueClass)]);
        await settle(narrow.page);
        assert.equal(await narrow.page.locator('#fm-back').isVisible(), true);
        await narrow.page.locator('.feature-maps').screenshot({ path: join(results, 'dashboard-picked-sample-light-narrow.png') });
        assert.deepEqual(narrow.errors, []);
      } finally {
        await narrow.page.close();
      }
    });

    test('evaluation says which data its figures come from: the validation split, or a held-out test set', async () => {
      assert.equal(await page.locator('[data-role="eval-source"]').innerText(), 'Validation split');
      const recorded = fixture.evaluation[0] as { type: string; runId: string; report: Record<string, unknown> & { misclassified: { path: string | null }[] }; thumbnails: unknown[] };
      const withPercent = { ...recorded, report: { ...recorded.report, dataLabel: 'Validation split (20%)' } };
      await deliver(page, [withPercent]);
      await settle(page);
      assert.equal(await page.locator('[data-role="eval-source"]').innerText(), 'Validation split (20%)');
      // A test set read from IDX files: no file per sample, so a mistake cannot open its feature maps.
      const test = {
        ...recorded,
        thumbnails: [],
        report: { ...recorded.report, split: 'test', dataPath: '/workspace/data/fashion/t10k', dataLabel: 'Test set: data/fashion/t10k (10,000 images)', misclassified: recorded.report.misclassified.map((m) => ({ ...m, path: null })) },
      };
      await deliver(page, [test]);
      await settle(page);
      assert.equal(await page.locator('[data-role="eval-source"]').innerText(), 'Test set: data/fashion/t10k (10,000 images)');
      assert.match(await page.locator('.evaluation .facts').innerText(), / test samples/);
      assert.equal(await page.locator('.gallery-item').first().isDisabled(), true);
      await page.locator('.evaluation').screenshot({ path: join(results, 'dashboard-evaluation-test-set.png') });
      await deliver(page, fixture.evaluation);
      await settle(page);
    });

    test('prediction: top-k bars', async () => {
      await deliver(page, fixture.prediction);
      await settle(page);
      const top = (fixture.prediction[0] as { top: unknown[] }).top;
      assert.equal(await page.locator('.prediction .bars li').count(), top.length);
    });

    test('prediction: "Show" (reveal) scrolls it into view and focuses it; a plain update does not move the page', async () => {
      const shown = fixture.prediction[0] as Record<string, unknown>;
      const scrolledAway = async () => {
        await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
        return page.evaluate<number>('window.scrollY');
      };
      const inView = () => page.locator('.prediction').evaluate((s) => {
        const r = s.getBoundingClientRect();
        return r.top >= 0 && r.top < s.ownerDocument.defaultView!.innerHeight;
      });
      const bottom = await scrolledAway();
      assert.ok(bottom > 0, 'the page is long enough to scroll');
      await deliver(page, [shown]);
      await settle(page);
      assert.equal(await page.evaluate<number>('window.scrollY'), bottom, 'an update without reveal keeps the scroll');
      assert.equal(await inView(), false);
      await deliver(page, [{ ...shown, reveal: true }]);
      await settle(page);
      assert.equal(await inView(), true, 'the prediction is in view');
      assert.equal(await page.evaluate<boolean>("document.activeElement?.classList.contains('prediction') === true"), true);
      await page.screenshot({ path: join(results, 'dashboard-prediction-revealed.png') });
    });

    test('compare: curves of both runs and a table of the settings that differ', async () => {
      await deliver(page, fixture.compare);
      await settle(page);
      const rows = await page.locator('.compare-table tr[data-setting]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-setting')));
      for (const k of ['batch size', 'epochs', 'learning rate', 'seed']) assert.ok(rows.includes(k), `${k} in ${rows.join(', ')}`);
      assert.ok(!rows.includes('optimizer') && !rows.includes('layers'), 'settings that are equal are not listed');
      assert.ok((await points(page, 'Validation loss')) >= 3);
      // Best accuracy: each run's best epoch as run.json records it (what the Models tree shows), not the top of any epoch.
      const compared = (fixture.compare[0] as { runs: { bestEpoch: number; bestValAccuracy: number }[] }).runs;
      const best = await page.locator('.compare-table tr.result', { hasText: 'best epoch: validation accuracy' }).locator('td').allInnerTexts();
      assert.deepEqual(best, compared.map((r) => `${(r.bestValAccuracy * 100).toFixed(1)}% (epoch ${r.bestEpoch})`));
      await page.locator('#compare-pick').click();
      assert.deepEqual(await lastPosted(page), { type: 'compareRuns' });
    });

    test('no CSP violation, no page error; screenshots in both themes', async () => {
      assert.deepEqual(await cspViolations(page), []);
      assert.deepEqual(dp.errors, []);
      await page.screenshot({ path: join(results, 'dashboard-dark.png'), fullPage: true });
      const light = await openDashboard(browser, server, 'light');
      try {
        await deliver(light.page, [...fixture.training, ...fixture.evaluation, ...fixture.prediction, ...fixture.compare]);
        await settle(light.page);
        await light.page.screenshot({ path: join(results, 'dashboard-light.png'), fullPage: true });
        assert.deepEqual(await cspViolations(light.page), []);
        assert.deepEqual(light.errors, []);
      } finally {
        await light.page.close();
      }
    });
  });
});
