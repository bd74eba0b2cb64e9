/** "Predict Image": the notification's text and which runs the quick pick offers, in what order (pure parts of src/extension/training). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunRecord, RunSummary } from '../../src/protocol/engine';
import { predictionSummary } from '../../src/extension/training/predictionSummary';
import { runChoiceText, runDate, runsThatCanPredict } from '../../src/extension/training/predictRunChoice';

function run(runDir: string, createdAt: string, extra: Partial<RunRecord> = {}): RunSummary {
  const record = {
    runId: runDir.split('/').pop()!,
    modelName: 'mnist-small',
    status: 'finished',
    createdAt,
    epochsCompleted: 5,
    epochsPlanned: 5,
    bestValAccuracy: 0.912,
    ...extra,
  } as RunRecord;
  return { runDir, record, hasEvaluation: false };
}

test('the summary names the image and the top 3 classes with one decimal, best first', () => {
  const top = [
    { className: 'cat', probability: 0.9123 },
    { className: 'dog', probability: 0.06 },
    { className: 'bird', probability: 0.011 },
    { className: 'frog', probability: 0.0067 },
  ];
  assert.equal(predictionSummary('/ws/images/kitty.png', top), 'kitty.png: cat 91.2% · dog 6.0% · bird 1.1%');
  assert.equal(predictionSummary('C:\\pics\\one.jpg', top.slice(0, 1)), 'one.jpg: cat 91.2%');
});

test('runs that can predict: only those with a checkpoint, latest first', () => {
  const runs = [
    run('/r/a/2026-12-01T10-00-00', '2026-12-01T10:00:00.000Z'),
    run('/r/b/2026-12-03T09-00-00', '2026-12-03T09:00:00.000Z'),
    run('/r/a/2026-12-02T10-00-00', '2026-12-02T10:00:00.000Z'),
    run('/r/a/2026-12-04T10-00-00', '2026-12-04T10:00:00.000Z', { status: 'stopped', epochsCompleted: 0 }),
  ];
  const withCheckpoint = new Set(['/r/a/2026-12-01T10-00-00', '/r/b/2026-12-03T09-00-00', '/r/a/2026-12-02T10-00-00']);
  assert.deepEqual(
    runsThatCanPredict(runs, (d) => withCheckpoint.has(d)).map((r) => r.runDir),
    ['/r/b/2026-12-03T09-00-00', '/r/a/2026-12-02T10-00-00', '/r/a/2026-12-01T10-00-00'],
  );
  assert.deepEqual(runsThatCanPredict(runs, () => false), []);
});

test('each choice reads model, date, accuracy and epochs; a run that did not finish says how it ended', () => {
  const created = '2026-12-03T00:31:00.000Z';
  const d = new Date(created);
  const local = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  assert.equal(runDate(created), local);
  assert.deepEqual(runChoiceText(run('/r/a/x', created), '.cnn-studio/runs/mnist-small/x'), {
    label: 'mnist-small',
    description: `${local} · val acc 91.2% · 5/5 epochs`,
    detail: '.cnn-studio/runs/mnist-small/x',
  });
  assert.equal(runChoiceText(run('/r/a/y', created, { status: 'stopped', epochsCompleted: 2, bestValAccuracy: null }), 'y').description, `${local} · no validation accuracy · 2/5 epochs · stopped`);
  assert.equal(runDate('not a date'), 'not a date');
});
