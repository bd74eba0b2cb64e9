/**
 * The designer tells the host when the selected layers change (`selectionChanged`), once per settled
 * change (clicks and arrow keys), validated by the host's `parseDesignerToHost` (the harness runs it on
 * every message; a malformed one would be recorded as null). Needs `npm run build` first.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { templateText } from './harness/designerFixtures';
import { nodeLocator as node, useDesignerSuite } from './harness/designerSuite';

const { openModel } = useDesignerSuite();

/** Longer than the page's 150 ms debounce. */
const settle = () => new Promise((r) => setTimeout(r, 400));

describe('designer selection reports', () => {
  test('a click and an arrow key each post one selectionChanged; an unchanged selection posts none', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'conv1').waitFor();
    await settle();
    assert.deepEqual(h.messagesOf('selectionChanged'), [], 'nothing is reported before the user selects');

    await node(h, 'conv1').click();
    await settle();
    assert.deepEqual(
      h.messagesOf('selectionChanged').map((m) => m.nodeIds),
      [['conv1']],
    );
    assert.equal(h.messagesOf('selectionChanged')[0]!.documentUri, h.documentUri);

    await node(h, 'conv1').click(); // same selection again
    await settle();
    assert.equal(h.messagesOf('selectionChanged').length, 1, 'a click that does not change the selection is not reported');

    await h.page.keyboard.press('ArrowDown');
    await settle();
    const reports = h.messagesOf('selectionChanged');
    assert.equal(reports.length, 2, JSON.stringify(reports));
    const next = reports[1]!.nodeIds;
    assert.equal(next.length, 1);
    assert.notEqual(next[0], 'conv1', 'the arrow key moved the selection to the next layer');
    assert.equal(h.received.filter((m) => m === null).length, 0, 'every message passed parseDesignerToHost');
  });

  test('quick arrow presses are debounced into one report of where the selection came to rest', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'conv1').click();
    await settle();
    const before = h.messagesOf('selectionChanged').length;
    // Both presses in one page task, so they fall inside the debounce window however loaded the machine
    // is (two separate playwright presses could be further apart than the window under load).
    await h.page.evaluate(`for (let i = 0; i < 2; i++) (document.activeElement ?? document.body).dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowDown', code: 'ArrowDown', bubbles: true, cancelable: true }))`);
    await settle();
    const reports = h.messagesOf('selectionChanged');
    assert.equal(reports.length, before + 1, JSON.stringify(reports));
    const focused = await h.page.evaluate<string | null>(`document.activeElement?.getAttribute('data-id') ?? null`);
    assert.deepEqual(reports.at(-1)!.nodeIds, [focused]);
  });
});
