/**
 * The bench's measuring parts on small settings: real training steps on wasm give a positive rate and
 * memory figures, and the image-loading measure decodes every generated PNG through the real loader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBenchReport, runBench } from '../../src/engine/bench/runBench';
import { measureImageDecode } from '../../src/engine/bench/imageDecode';

test('runBench measures mnist-small on wasm and reports tensorflow as unavailable with the fix', async () => {
  const report = await runBench({ backends: ['tensorflow', 'wasm'], models: ['mnist-small'], images: false, batchSize: 8, groups: 2 });
  const tfEntry = report.backends.find((b) => b.backend === 'tensorflow')!;
  if (tfEntry.unavailable !== undefined) assert.match(tfEntry.unavailable, /npm i @tensorflow\/tfjs-node/);
  const wasm = report.backends.find((b) => b.backend === 'wasm')!;
  assert.equal(wasm.unavailable, undefined);
  const m = wasm.models[0]!;
  assert.equal(m.model, 'mnist-small');
  assert.equal(m.groups.length, 2);
  assert.ok(m.samplesPerSec > 0 && m.samplesPerCpuSec > 0);
  assert.ok(m.peakRssBytes > 10e6, 'peak RSS is a real process size');
  assert.ok(m.peakTensorBytes > 4 * 8 * 28 * 28, 'the profiled step held at least the input batch');
  const text = formatBenchReport(report);
  assert.match(text, /wasm\s+mnist-small/);
  assert.match(text, /load average before/);
});

test('image decode measure loads every generated PNG (resize path)', async () => {
  const r = await measureImageDecode({ source: [40, 48], target: [16, 16, 3], images: 24 });
  assert.equal(r.images, 24);
  assert.ok(r.imagesPerSec > 0 && r.seconds > 0);
});
