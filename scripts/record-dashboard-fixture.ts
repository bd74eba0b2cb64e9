/**
 * Records the dashboard's message stream from REAL training runs, for the browser tests:
 *   node --import tsx scripts/record-dashboard-fixture.ts     (needs `npm run build` for dist/engine.js)
 *
 * Trains the mnist-small template on the generated "shapes" dataset twice (different learning rate and
 * batch size) through the engine process, driven by the extension's own TrainingSession, and saves what
 * the session posted to the dashboard: the live run from hydrate to its end (batch/epoch deltas, status,
 * feature maps captured at each epoch), an evaluation, a prediction and the comparison of the two runs.
 * Typed arrays are stored as base64; temporary paths become `/workspace/…`.
 */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelFromTemplate } from '../src/core/templates';
import { serializeModel } from '../src/core/loader';
import { writeSyntheticDataset } from '../src/engine/data/synthetic';
import { EngineClient } from '../src/engine/client/engineClient';
import type { HostToDashboard } from '../src/protocol/dashboard';
import type { EngineClientEvent, RunFinishedEvent, TrainingOverrides } from '../src/protocol/engine';
import { TrainingSession } from '../src/extension/training/trainingSession';
import { compareRunFrom } from '../src/extension/training/runFiles';
import { readPreviewImage } from '../src/extension/training/previewImage';
import { encodeTypedArrays, FIXTURE_DIR } from '../test/webview/dashboard-fixture';

const root = join(__dirname, '..');

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'cnn-dashboard-fixture-'));
  const client = new EngineClient({ enginePath: join(root, 'dist', 'engine.js') });
  try {
    const dataDir = join(work, 'data', 'shapes');
    mkdirSync(dataDir, { recursive: true });
    await writeSyntheticDataset('shapes', dataDir, { perClass: 150, size: 28, seed: 1 });
    const modelPath = join(work, 'shapes.cnn.json');
    writeFileSync(modelPath, serializeModel(createModelFromTemplate('mnist-small', 'mnist-small')));

    const session = new TrainingSession(async () => client);
    session.captureFeatureMaps = true;
    // Every epoch (the extension spaces captures to stay within 1% of training time; the fixture wants all).
    session.featureMapBudget = 1;
    let sink: HostToDashboard[] = [];
    session.listen({ dashboard: (m) => sink.push(m) });

    const train = async (overrides: TrainingOverrides): Promise<{ runDir: string; messages: HostToDashboard[] }> => {
      sink = [];
      const finished = client.waitFor((e: EngineClientEvent): e is RunFinishedEvent => e.type === 'runFinished', 300_000);
      const h = await session.start({ modelPath, dataDir, runsRoot: work, overrides: { backend: 'wasm', batchEventIntervalMs: 0, ...overrides } });
      const end = await finished;
      if (end.status !== 'finished') throw new Error(`run ended ${end.status}: ${end.message ?? ''}`);
      await session.whenIdle();
      return { runDir: h.info.runDir, messages: sink };
    };

    const second = await train({ epochs: 3, batchSize: 16, learningRate: 0.001, seed: 7 });
    const first = await train({ epochs: 6, batchSize: 32, learningRate: 0.003, seed: 1 });

    sink = [];
    await session.evaluate(first.runDir, readPreviewImage);
    const evaluation = sink;

    sink = [];
    const circle = join(dataDir, 'circle');
    const image = join(circle, readdirSync(circle).sort()[0]!);
    await session.predict(first.runDir, image, readPreviewImage);
    const prediction = sink;

    sink = [];
    session.compare([compareRunFrom(first.runDir), compareRunFrom(second.runDir)]);
    const compare = sink;

    const fixture = {
      recordedWith: {
        script: 'scripts/record-dashboard-fixture.ts',
        model: 'mnist-small template',
        data: 'shapes, 150 per class, 28×28, seed 1',
        runs: 'run 1: 6 epochs, batch 32, lr 0.003; run 2: 3 epochs, batch 16, lr 0.001; wasm backend',
        recordedAt: new Date().toISOString(),
      },
      training: encodeTypedArrays(first.messages),
      evaluation: encodeTypedArrays(evaluation),
      prediction: encodeTypedArrays(prediction),
      compare: encodeTypedArrays(compare),
    };
    const text = JSON.stringify(fixture).split(work).join('/workspace');
    mkdirSync(FIXTURE_DIR, { recursive: true });
    const out = join(FIXTURE_DIR, 'mnist-small-shapes.json');
    writeFileSync(out, text + '\n');
    const count = (t: string) => first.messages.filter((m) => m.type === t).length;
    console.log(`wrote ${out} (${Math.round(text.length / 1024)} KB): ${first.messages.length} training messages (${count('batchMetrics')} batch, ${count('epochMetrics')} epoch, ${count('featureMaps')} feature-map snapshots), evaluation, prediction, comparison`);
  } finally {
    await client.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
