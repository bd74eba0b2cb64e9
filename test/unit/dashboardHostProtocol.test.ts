/** The dashboard page checks the host's messages like the designer and side bar do (envelope only). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostToDashboard } from '../../src/protocol/dashboard';

test('the dashboard accepts the host messages it knows and refuses others with a reason', () => {
  const good: unknown[] = [
    { type: 'hydrate', run: null, batches: [], epochs: [], featureMaps: [], evaluation: null, thumbnails: [] },
    { type: 'batchMetrics', runId: 'r1', points: [], batchesPerEpoch: 6 },
    { type: 'epochMetrics', runId: 'r1', epochs: [] },
    { type: 'runStatus', runId: 'r1', status: 'running' },
    { type: 'prediction', runId: 'r1', imagePath: '/a.png', top: [], image: null },
    { type: 'revealLayer', layerId: 'conv1' },
    { type: 'error', message: 'x' },
  ];
  for (const m of good) assert.deepEqual(parseHostToDashboard(m), { ok: true, value: m });
  const bad: unknown[] = [null, 'hydrate', {}, { type: 'probe' }, { type: 'hydrate', run: null }, { type: 'batchMetrics', runId: 'r1' }, { type: 'revealLayer' }];
  for (const m of bad) {
    const r = parseHostToDashboard(m);
    assert.equal(r.ok, false, JSON.stringify(m));
    if (!r.ok) assert.match(r.error, /message/);
  }
});
