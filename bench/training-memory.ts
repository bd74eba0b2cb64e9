/**
 * `npm run bench:memory` (`node --import tsx bench/training-memory.ts [--backend wasm|cpu|tensorflow] [--json]`):
 * core's training-memory estimate (src/core/trainingMemory.ts) against what training really takes, per
 * template at its own batch size. Each template trains in a fresh child process: after the backend
 * starts (three times, the median is shown), the resident memory (RSS) is the baseline; the model is built and trained for 6 steps of the
 * trainer's own step (Adam, categorical cross-entropy) on random batches, RSS is sampled after every
 * step (after a full GC, so JS garbage does not count; the wasm heap never shrinks, so its high-water
 * mark inside the step stays in RSS), and the peak minus the baseline is compared with the estimate.
 * tfjs' own peak of live tensor bytes inside one step (tf.profile) is shown beside it. The data set is left out on
 * both sides (the estimate is about the model; the data's size is known once it is loaded).
 */
import { spawnSync } from 'node:child_process';
import { analyzeModel } from '../src/core/shapeInference';
import { createModelFromTemplate, TEMPLATES } from '../src/core/templates';
import { estimateTrainingMemory } from '../src/core/trainingMemory';
import type { BackendPreference } from '../src/protocol/engine';

interface Measured {
  template: string;
  params: number;
  batchSize: number;
  estimateBytes: number;
  measuredBytes: number;
  peakTensorBytes: number;
}

const MB = 1024 * 1024;

async function child(templateId: string, backend: BackendPreference): Promise<Measured> {
  const { initBackend, getTf } = await import('../src/engine/backend/selectBackend');
  const { buildTfModel } = await import('../src/engine/model/buildTfModel');
  const { makeOptimizer } = await import('../src/engine/train/optimizer');
  const { makeTrainStep } = await import('../src/engine/train/trainStep');
  await initBackend(backend, { threads: 1 });
  const tf = getTf();
  const model = createModelFromTemplate(templateId);
  const batchSize = model.training.batchSize;
  const { totals } = analyzeModel(model);
  const estimate = estimateTrainingMemory(totals, batchSize, model.compile.optimizer);
  const shape = (model.nodes.find((n) => n.type === 'Input')!.params['shape'] ?? [28, 28, 1]) as number[];
  const classes = 10;
  global.gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const tfModel = buildTfModel(tf, model);
  const step = makeTrainStep(tf, tfModel, makeOptimizer(tf, model.compile.optimizer, 1e-3), 'categorical');
  let peakTensorBytes = 0;
  for (let i = 0; i < 6; i++) {
    const x = tf.randomUniform([batchSize, ...shape] as [number, number, number, number]);
    const y = tf.oneHot(tf.randomUniform([batchSize], 0, classes, 'int32'), classes).toFloat();
    if (i === 1) peakTensorBytes = (await tf.profile(() => step(x, y))).peakBytes;
    else await step(x, y);
    tf.dispose([x, y]);
    global.gc?.();
    peak = Math.max(peak, process.memoryUsage.rss());
  }
  return { template: templateId, params: totals.params, batchSize, estimateBytes: estimate.totalBytes, measuredBytes: peak - baseline, peakTensorBytes };
}

function main(): void {
  const argv = process.argv.slice(2);
  const backend = (argv[argv.indexOf('--backend') + 1] && argv.includes('--backend') ? argv[argv.indexOf('--backend') + 1] : 'wasm') as BackendPreference;
  const childAt = argv.indexOf('--child');
  if (childAt >= 0) {
    void child(argv[childAt + 1]!, backend).then((m) => process.stdout.write(JSON.stringify(m) + '\n'));
    return;
  }
  const rows: (Measured & { ratio: number })[] = [];
  for (const t of TEMPLATES) {
    // RSS moves with garbage collection and heap-growth steps: the median of 3 fresh processes.
    const runs = [0, 1, 2].map(() => {
      const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', t.id, '--backend', backend], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${t.id}: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measured;
    });
    const m = runs.sort((a, b) => a.measuredBytes - b.measuredBytes)[1]!;
    rows.push({ ...m, ratio: m.estimateBytes / m.measuredBytes });
    if (!argv.includes('--json')) process.stderr.write(`${t.id} done\n`);
  }
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  const lines = [`Training memory on ${backend}: core estimate vs peak RSS growth (6 training steps, median of 3 processes)`, '| template | params | batch | estimate | peak RSS growth | estimate / RSS | tfjs peak tensor bytes |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.template} | ${r.params.toLocaleString('en-US')} | ${r.batchSize} | ${(r.estimateBytes / MB).toFixed(1)} MB | ${(r.measuredBytes / MB).toFixed(1)} MB | ${r.ratio.toFixed(2)} | ${(r.peakTensorBytes / MB).toFixed(1)} MB |`);
  process.stdout.write(lines.join('\n') + '\n');
}

main();
