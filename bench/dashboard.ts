/**
 * What the training dashboard costs training: `node --import tsx bench/dashboard.ts [--per-class N] [--epochs E] [--rounds R]`
 * (needs `npm run build`). Trains the mnist-small template on the generated shapes dataset through the real
 * engine process, alternately
 *   A. with nobody listening (the engine still emits its metric events), and
 *   B. with the extension's TrainingSession capturing feature maps every epoch and streaming every delta
 *      (batched like the panel does) into the built dashboard page in headless chromium,
 * and prints the training time of each, the slowdown of B over A, and the time the host (session + batching)
 * and chromium (the page's messages, drawing, style, layout, paint and raster, in CPU seconds) spent per second of training. Delivery to the page goes through
 * playwright, which costs more than VS Code's postMessage, so B is an upper bound.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createModelFromTemplate } from '../src/core/templates';
import { parseModelText, serializeModel } from '../src/core/loader';
import { writeSyntheticDataset } from '../src/engine/data/synthetic';
import { EngineClient } from '../src/engine/client/engineClient';
import type { EngineClientEvent, EngineParams, RunFinishedEvent } from '../src/protocol/engine';
import type { HostToDashboard } from '../src/protocol/dashboard';
import { TrainingSession } from '../src/extension/training/trainingSession';
import { DeltaOutbox } from '../src/extension/training/deltaOutbox';
import type { TrainingEngine } from '../src/extension/training/trainingEngine';
import { launchChromium } from '../test/webview/harness/browser';
import { startServer } from '../test/webview/harness/server';
import { dashboardStats, deliver, openDashboard, settle } from '../test/webview/dashboard-harness';
import { encodeTypedArrays, loadFixture } from '../test/webview/dashboard-fixture';
import type { Browser } from 'playwright-core';
import type { StaticServer } from '../test/webview/harness/server';

const root = join(__dirname, '..');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Result {
  readonly withDashboard: boolean;
  readonly trainingSeconds: number;
  readonly hostMs: number;
  readonly pageMs: number;
  readonly messages: number;
  readonly draws: number;
  readonly drawMs: number;
  /** Round trip of each feature-map capture (the engine pauses training for it). */
  readonly captureMs: readonly number[];
  readonly epochSeconds: number;
  /** Page main-thread seconds per wall second after the first epoch (NaN without a dashboard). */
  readonly pageSteadyShare: number;
}

async function main(): Promise<void> {
  const perClass = flag('per-class', 300);
  const epochs = flag('epochs', 4);
  const rounds = flag('rounds', 2);
  const work = mkdtempSync(join(tmpdir(), 'cnn-dashboard-bench-'));
  const client = new EngineClient({ enginePath: join(root, 'dist', 'engine.js') });
  const browser = await launchChromium();
  const server = await startServer();
  try {
    const dataDir = join(work, 'data');
    mkdirSync(dataDir, { recursive: true });
    await writeSyntheticDataset('shapes', dataDir, { perClass, size: 28, seed: 1 });
    const modelPath = join(work, 'model.cnn.json');
    writeFileSync(modelPath, serializeModel(createModelFromTemplate('mnist-small', 'bench')));
    const params = { modelPath, dataDir, runsRoot: work, overrides: { epochs, batchSize: 32, backend: 'wasm' as const } };
    const finished = () => client.waitFor((e: EngineClientEvent): e is RunFinishedEvent => e.type === 'runFinished', 30 * 60_000);

    const bare = async (): Promise<Result> => {
      const done = finished();
      await client.startTraining(params);
      const end = await done;
      return { withDashboard: false, trainingSeconds: end.seconds, hostMs: 0, pageMs: 0, messages: 0, draws: 0, drawMs: 0, captureMs: [], epochSeconds: end.seconds / epochs, pageSteadyShare: NaN };
    };

    const withDashboard = async (): Promise<Result> => {
      const { page } = await openDashboard(browser, server, 'dark');
      const before = await dashboardStats(page);
      // CPU seconds of every chromium process (renderer, GPU/raster, browser): the page's whole cost, not
      // just our JS, and CPU time rather than task wall time (which a loaded machine would inflate).
      const cdp = await browser.newBrowserCDPSession();
      const taskSeconds = async (): Promise<number> => {
        const info = (await cdp.send('SystemInfo.getProcessInfo' as never)) as unknown as { processInfo: { cpuTime: number }[] };
        return info.processInfo.reduce((sum, p) => sum + p.cpuTime, 0);
      };
      const tasksBefore = await taskSeconds();
      let hostMs = 0;
      const captures: number[] = [];
      // Host time = the session's handling of each engine event, including batching for the panel.
      const timedEngine: TrainingEngine = {
        call: async (method, p) => {
          const t0 = performance.now();
          try {
            return await client.call(method, p);
          } finally {
            // Live captures pause training; the one after the run reads the checkpoint.
            if (method === 'activations' && (p as EngineParams<'activations'>).target.kind === 'live') captures.push(performance.now() - t0);
          }
        },
        onEvent: (listener) =>
          client.onEvent((e) => {
            const t0 = performance.now();
            listener(e);
            hostMs += performance.now() - t0;
          }),
      };
      const session = new TrainingSession(async () => timedEngine);
      session.captureFeatureMaps = true;
      let delivering = Promise.resolve();
      // Steady state starts after the first epoch: page creation, the first chart and feature-map
      // renders are one-time costs, measured apart.
      let steadyFrom: { task: number; wall: number } | null = null;
      const outbox = new DeltaOutbox((m: HostToDashboard) => {
        // Encoding for the harness happens off the measured path (VS Code clones messages itself).
        delivering = delivering.then(async () => {
          await deliver(page, [encodeTypedArrays(m)], { waitUntilTaken: false });
          if (m.type === 'epochMetrics' && steadyFrom === null) steadyFrom = { task: await taskSeconds(), wall: performance.now() };
        });
      });
      const off = session.listen({ dashboard: (m) => outbox.send(m) });
      const done = finished();
      await session.start(params);
      const end = await done;
      await session.whenIdle();
      outbox.flush();
      await delivering;
      await settle(page);
      const after = await dashboardStats(page);
      const tasksAfter = await taskSeconds();
      const steady = steadyFrom as { task: number; wall: number } | null;
      const steadyShare = steady ? (tasksAfter - steady.task) / ((performance.now() - steady.wall) / 1000) : NaN;
      off();
      session.dispose();
      await cdp.detach();
      await page.close();
      return {
        withDashboard: true,
        trainingSeconds: end.seconds,
        hostMs,
        pageMs: (tasksAfter - tasksBefore) * 1000,
        pageSteadyShare: steadyShare,
        messages: after.messages - before.messages,
        draws: after.draws - before.draws,
        drawMs: after.busyMs - before.busyMs,
        captureMs: captures,
        epochSeconds: end.seconds / epochs,
      };
    };

    // The extension has parsed model files (and compiled the schema validator) long before a run starts.
    parseModelText(serializeModel(createModelFromTemplate('mnist-small', 'warm-up')));
    const results: Result[] = [];
    // Warm-up (the first run pays for the wasm compile and the data cache).
    await bare();
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so a change in the machine's load does not favour one side.
      if (r % 2 === 0) results.push(await bare(), await withDashboard());
      else results.push(await withDashboard(), await bare());
    }
    report(results, { perClass, epochs, rounds });
    await pageSteadyCost(browser, server);
  } finally {
    await client.dispose();
    await browser.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
}

function report(results: readonly Result[], o: { perClass: number; epochs: number; rounds: number }): void {
  const a = results.filter((r) => !r.withDashboard);
  const b = results.filter((r) => r.withDashboard);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  const ta = mean(a.map((r) => r.trainingSeconds));
  const tb = mean(b.map((r) => r.trainingSeconds));
  const host = mean(b.map((r) => r.hostMs / 1000 / r.trainingSeconds));
  const pagePart = mean(b.map((r) => r.pageSteadyShare));
  const pageAll = mean(b.map((r) => r.pageMs / 1000 / r.trainingSeconds));
  const capturePart = mean(b.map((r) => r.captureMs.reduce((x, y) => x + y, 0) / 1000 / r.trainingSeconds));
  const perCapture = mean(b.flatMap((r) => [...r.captureMs]));
  const capturesPerRun = mean(b.map((r) => r.captureMs.length));
  console.log(`dashboard overhead — mnist-small on shapes (${o.perClass * 3} images, 28×28), ${o.epochs} epochs, batch 32, wasm, ${o.rounds} rounds`);
  for (const r of results) {
    console.log(
      `  ${r.withDashboard ? 'with dashboard   ' : 'without dashboard'} ${r.trainingSeconds.toFixed(2)} s` +
        (r.withDashboard
          ? `  host ${r.hostMs.toFixed(0)} ms · page ${r.pageMs.toFixed(0)} ms (${r.draws} draws, ${r.messages} messages) · ${r.captureMs.length} live feature-map captures ${r.captureMs.map((x) => x.toFixed(0)).join('+')} ms`
          : ''),
    );
  }
  console.log(`  training time: ${ta.toFixed(2)} s without, ${tb.toFixed(2)} s with (${(((tb - ta) / ta) * 100).toFixed(1)}%; on a loaded shared machine this A/B difference is mostly noise)`);
  console.log('  per second of training:');
  console.log(`    host (session + batching)       ${(host * 1000).toFixed(1)} ms  (${(host * 100).toFixed(2)}%)`);
  console.log(`    chromium CPU (page, raster, IPC) ${(pagePart * 1000).toFixed(1)} ms  (${(pagePart * 100).toFixed(2)}%) after the first epoch; ${(pageAll * 100).toFixed(1)}% over these short runs incl. creating the page's charts`);
  console.log("      (upper bound: includes playwright's delivery and the page's first renders; see the steady cost below)");
  console.log(`    live feature-map captures       ${(capturePart * 1000).toFixed(1)} ms  (${(capturePart * 100).toFixed(2)}%; ${capturesPerRun.toFixed(1)} per run, ${perCapture.toFixed(0)} ms each)`);
  console.log(`    host + live captures (what pauses or competes with training in the extension host and engine): ${((host + capturePart) * 100).toFixed(2)}%`);
}

/**
 * The page's steady cost without training noise: chromium CPU per second while the dashboard of a
 * finished-looking run (the recorded fixture) receives a batch delta every 250 ms — for another run
 * (delivery only, dropped), for its run (drawn, at most once a second), and with a feature-map snapshot
 * every second on top (far more often than live captures come).
 */
async function pageSteadyCost(browser: Browser, server: StaticServer): Promise<void> {
  const { page } = await openDashboard(browser, server, 'dark');
  const cdp = await browser.newBrowserCDPSession();
  const cpu = async (): Promise<number> =>
    ((await cdp.send('SystemInfo.getProcessInfo' as never)) as unknown as { processInfo: { cpuTime: number }[] }).processInfo.reduce((sum, p) => sum + p.cpuTime, 0);
  const f = loadFixture();
  await deliver(page, f.training);
  await settle(page);
  await page.waitForTimeout(1000);
  const runId = (f.training[0] as { run: { runId: string } }).run.runId;
  const snapshots = f.training.filter((m) => (m as { type: string }).type === 'featureMaps');
  const rates: Record<string, number> = {};
  for (const [label, id, withMaps] of [['idle', null, false], ['delivery', 'another-run', false], ['charts', runId, false], ['charts+maps', runId, true]] as const) {
    const a = await cpu();
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) {
      const point = { step: 100 + i, epoch: 7 + Math.floor(i / 12), batch: (i % 12) + 1, loss: 0.3, accuracy: 0.9, learningRate: 0.003, samplesPerSec: 900 };
      if (id) await deliver(page, [{ type: 'batchMetrics', runId: id, batchesPerEpoch: 12, points: [point] }], { waitUntilTaken: false });
      if (withMaps && i % 4 === 0) await deliver(page, [snapshots[i % snapshots.length]], { waitUntilTaken: false });
      await page.waitForTimeout(250);
    }
    rates[label] = (((await cpu()) - a) / ((performance.now() - t0) / 1000)) * 1000;
  }
  await cdp.detach();
  await page.close();
  const r = (k: string) => rates[k]!;
  console.log('steady page cost (chromium CPU ms per second; 4 deltas/s):');
  console.log(`  idle ${r('idle').toFixed(1)} · delivery only ${r('delivery').toFixed(1)} · charts redrawn (≤1/s) ${r('charts').toFixed(1)} · plus a feature-map snapshot every second ${r('charts+maps').toFixed(1)}`);
  console.log(`  ⇒ the dashboard's drawing: ${(r('charts') - r('delivery')).toFixed(1)} ms/s (${((r('charts') - r('delivery')) / 10).toFixed(2)}% of a core); one feature-map snapshot ≈ ${(r('charts+maps') - r('charts')).toFixed(0)} ms`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
