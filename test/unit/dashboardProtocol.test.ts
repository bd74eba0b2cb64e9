import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDashboardToHost } from '../../src/protocol/dashboard';

test('accepts every known webview message and strips unknown fields', () => {
  for (const type of ['ready', 'pause', 'resume', 'stop', 'exportCsv', 'evaluate', 'predict', 'compareRuns', 'train', 'closePickedSample']) {
    const r = parseDashboardToHost({ type, extra: 1 });
    assert.deepEqual(r, { ok: true, value: { type } });
  }
  assert.deepEqual(parseDashboardToHost({ type: 'pickSample', sample: { datasetIndex: 3, x: 1 } }), {
    ok: true,
    value: { type: 'pickSample', sample: { datasetIndex: 3 } },
  });
  assert.deepEqual(parseDashboardToHost({ type: 'openFile', path: '/a/b.png' }), {
    ok: true,
    value: { type: 'openFile', path: '/a/b.png' },
  });
});

test('rejects malformed messages with a reason', () => {
  const bad: unknown[] = [null, 'ready', {}, { type: 7 }, { type: 'nope' }, { type: 'pickSample', sample: { datasetIndex: -1 } },
    { type: 'selectLayer' }, { type: 'openFile', path: '' }];
  for (const m of bad) {
    const r = parseDashboardToHost(m);
    assert.equal(r.ok, false, JSON.stringify(m));
    if (!r.ok) assert.ok(r.error.length > 5);
  }
});
