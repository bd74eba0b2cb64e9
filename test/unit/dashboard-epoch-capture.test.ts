/** The feature-map slider names the epochs it has: after a 10-epoch run with 5 captures it never says "5 of 5". */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epochCaptureText, epochRanges } from '../../webview/dashboard/epochCaptureLabel';

test('epoch ranges', () => {
  assert.equal(epochRanges([1, 2, 4, 6, 10]), '1, 2, 4, 6, 10');
  assert.equal(epochRanges([1, 2, 3, 5, 8, 9]), '1–3, 5, 8, 9');
  assert.equal(epochRanges([7]), '7');
  assert.equal(epochRanges([3, 1, 2, 2]), '1–3');
});

test('a 10-epoch run with 5 captures: the label names them and a note says why', () => {
  const t = epochCaptureText(6, [1, 2, 4, 6, 10], 10);
  assert.equal(t.label, 'Epoch 6 of 10 (captured: 1, 2, 4, 6, 10)');
  assert.doesNotMatch(t.label, /5 of 5/);
  assert.equal(t.note, 'Feature maps were kept for 5 of 10 epochs: they are captured only while that costs under 1% of the training time.');
});

test('every epoch captured: said so, no note', () => {
  const t = epochCaptureText(3, [1, 2, 3], 3);
  assert.equal(t.label, 'Epoch 3 of 3 (every epoch captured)');
  assert.equal(t.note, null);
});
