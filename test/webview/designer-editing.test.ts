/**
 * The designer's editing gestures beyond the basics: problems (marking, cycling, quick fixes), moving,
 * multi-select and box select, duplicate, rename, undo/redo messages, read-only documents.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { modelText, templateText, twoBranchText } from './harness/designerFixtures';
import { lastEdit, nodeLocator as node, useDesignerSuite } from './harness/designerSuite';

const { openModel } = useDesignerSuite();

/** Input → Conv2D → Dense: the Dense gets 4-D feature maps (a problem with an "Insert a Flatten" fix). */
const denseOn4dText = (): string =>
  modelText('dense-on-4d', [
    { id: 'input', type: 'Input', params: { shape: [8, 8, 1] }, inputs: [] },
    { id: 'conv', type: 'Conv2D', params: { filters: 4 }, inputs: ['input'] },
    { id: 'output', type: 'Dense', params: { units: 10, activation: 'softmax' }, inputs: ['conv'] },
  ]);

describe('designer editing', () => {
  test('a problem node is marked, the summary counts it, and its quick fix inserts a Flatten', async () => {
    const h = await openModel(denseOn4dText());
    assert.match((await node(h, 'output').getAttribute('class')) ?? '', /problem-error/);
    assert.equal(await node(h, 'output').locator('.node-badge').count(), 1);
    assert.match((await node(h, 'output').locator('title').first().textContent()) ?? '', /Flatten/);
    const summary = h.page.locator('.summary-problems');
    assert.match(await summary.innerText(), /1 error/);

    await summary.click(); // goes to the problem node
    assert.equal(await node(h, 'output').getAttribute('aria-selected'), 'true');
    const fix = h.page.locator('.inspector vscode-button[data-action="quick-fix"]', { hasText: 'Flatten' });
    await fix.click();
    await h.waitForEdits(1);
    const edit = lastEdit(h);
    assert.ok(edit.kind === 'addNode' && edit.node.type === 'Flatten');
    assert.deepEqual(edit.kind === 'addNode' && edit.insertOnEdge, { from: 'conv', to: 'output' });
    await h.waitForExpression(`!document.querySelector('g.node[data-id="output"]').classList.contains('problem-error')`);
    assert.match(await summary.innerText(), /No problems/);
  });

  test('dragging a node sends one moveNodes edit and the position sticks', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    const box = await node(h, 'dense2').locator('.node-body').boundingBox();
    assert.ok(box);
    await h.page.mouse.move(box.x + 40, box.y + 30);
    await h.page.mouse.down();
    await h.page.mouse.move(box.x + 240, box.y + 50, { steps: 6 });
    await h.page.mouse.up();
    await h.waitForEdits(1);
    const edit = lastEdit(h);
    assert.equal(edit.kind, 'moveNodes');
    if (edit.kind !== 'moveNodes') return;
    assert.deepEqual(Object.keys(edit.positions), ['dense2']);
    const pos = h.model!.nodes.find((n) => n.id === 'dense2')!.position;
    assert.ok(pos, 'the position is in the file');
    await h.waitForExpression(`document.querySelector('g.node[data-id="dense2"]').getAttribute('transform') === 'translate(${pos.x} ${pos.y})'`);
  });

  test('shift-click selects several layers; Delete removes them in one edit; Ctrl+D duplicates', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'dense1').click();
    await node(h, 'dense2').click({ modifiers: ['Shift'] });
    assert.equal(await h.page.locator('g.node[aria-selected="true"]').count(), 2);
    await h.page.locator('.inspector-heading', { hasText: '2 layers selected' }).waitFor();
    await h.page.keyboard.press('Control+d');
    await h.waitForEdits(1);
    const dup = lastEdit(h);
    assert.equal(dup.kind, 'addNodes');
    if (dup.kind !== 'addNodes') return;
    assert.equal(dup.nodes.length, 2);
    // the copy of dense2 reads from the copy of dense1
    assert.deepEqual(dup.nodes[1]!.inputs, [dup.nodes[0]!.id]);
    await h.page.locator('g.node[aria-selected="true"]', { hasText: dup.nodes[0]!.id }).waitFor();

    await h.page.keyboard.press('Delete');
    await h.waitForEdits(2);
    assert.deepEqual(lastEdit(h), { kind: 'removeNodes', ids: dup.nodes.map((n) => n.id) });
  });

  test('shift-drag on the background selects with a box', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    const a = await node(h, 'conv1').boundingBox();
    const b = await node(h, 'pool1').boundingBox();
    assert.ok(a && b);
    await h.page.keyboard.down('Shift');
    await h.page.mouse.move(a.x - 30, a.y - 10);
    await h.page.mouse.down();
    await h.page.mouse.move(b.x + b.width + 30, b.y + b.height + 5, { steps: 5 });
    await h.page.mouse.up();
    await h.page.keyboard.up('Shift');
    const selected = await h.page.locator('g.node[aria-selected="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(selected.sort(), ['conv1', 'pool1']);
  });

  test('renaming in the inspector sends renameNode; a taken id is refused with a message', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'conv1').dblclick(); // double-click goes to the inspector
    await h.waitForExpression(`document.activeElement?.getAttribute('data-field') === 'id'`);
    const id = h.page.locator('.inspector vscode-text-field[data-field="id"] input');
    await id.fill('conv2');
    await h.page.locator('.field-error', { hasText: 'already used' }).waitFor();
    await id.press('Tab');
    await id.fill('stem');
    await id.press('Enter');
    await h.waitForEdits(1);
    assert.deepEqual(lastEdit(h), { kind: 'renameNode', id: 'conv1', newId: 'stem' });
    await node(h, 'stem').waitFor();
    assert.equal(h.edits().length, 1);
  });

  test('the inspector refuses the ids the schema refuses (a leading _, a digit first, 65 characters)', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'conv1').dblclick();
    await h.waitForExpression(`document.activeElement?.getAttribute('data-field') === 'id'`);
    const id = h.page.locator('.inspector vscode-text-field[data-field="id"] input');
    for (const bad of ['_conv1', '1conv', `c${'x'.repeat(64)}`]) {
      await id.fill(bad);
      await h.page.locator('.field-error', { hasText: 'An id must start with a letter' }).waitFor();
      await id.press('Enter');
    }
    await id.fill(`c${'x'.repeat(63)}`);
    await id.press('Enter');
    await h.waitForEdits(1);
    assert.deepEqual(lastEdit(h), { kind: 'renameNode', id: 'conv1', newId: `c${'x'.repeat(63)}` });
  });

  test('Undo and Redo buttons ask the host, which owns the history', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'pool3').click();
    await h.page.keyboard.press('Delete');
    await h.waitForEdits(1);
    await node(h, 'pool3').waitFor({ state: 'detached' });
    await h.page.locator('vscode-button[data-action="undo"]').click();
    await node(h, 'pool3').waitFor();
    await h.page.locator('vscode-button[data-action="redo"]').click();
    await node(h, 'pool3').waitFor({ state: 'detached' });
    assert.deepEqual(
      h.received.filter((m) => m?.type === 'undo' || m?.type === 'redo').map((m) => m!.type),
      ['undo', 'redo'],
    );
  });

  test('a read-only document can be looked at but not edited', async () => {
    const h = await openModel(twoBranchText(), { readOnly: true });
    await node(h, 'left').click();
    await h.page.keyboard.press('Delete');
    await h.page.keyboard.press('a');
    assert.equal(await h.page.locator('.quick-pick').isVisible(), false);
    assert.equal(await h.page.locator('vscode-button[data-action="add-layer"]').count(), 0);
    assert.equal(await h.page.locator('.edge-add').count(), 0);
    await h.idle();
    assert.equal(h.edits().length, 0);
  });

  test('host commands become toolbar buttons that run with the document', async () => {
    const h = await openModel(templateText('tutorial-cifar'), { commands: [{ id: 'cnnStudio.train', title: 'Train' }] });
    await h.page.locator('vscode-button[data-action="command:cnnStudio.train"]').click();
    await h.idle();
    assert.deepEqual(h.messagesOf('runCommand'), [{ type: 'runCommand', documentUri: h.documentUri, command: 'cnnStudio.train' }]);
  });

  test('left/right arrows move between sibling branches', async () => {
    const h = await openModel(twoBranchText());
    // dagre decides which branch goes on which side
    const xLeft = (await node(h, 'left').boundingBox())!.x;
    const xRight = (await node(h, 'right').boundingBox())!.x;
    const [west, east] = xLeft < xRight ? ['left', 'right'] : ['right', 'left'];
    await nodeLocatorFocus(h, west);
    const focused = () => h.page.evaluate<string | null>(`document.activeElement?.getAttribute('data-id') ?? null`);
    await h.page.keyboard.press('ArrowRight');
    assert.equal(await focused(), east);
    await h.page.keyboard.press('ArrowLeft');
    assert.equal(await focused(), west);
    await h.page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'input');
    await h.page.keyboard.press('ArrowDown');
    assert.ok(['left', 'right'].includes((await focused())!));
  });

  test('the palette search filters by name and category; Enter adds the first match', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'conv3').click();
    const search = h.page.locator('.palette-search');
    await search.fill('global');
    const names = await h.page.locator('.palette-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    assert.deepEqual(names, ['GlobalAveragePooling2D', 'GlobalMaxPooling2D']);
    await search.press('Enter');
    await h.waitForEdits(1);
    const edit = lastEdit(h);
    assert.ok(edit.kind === 'addNode' && edit.node.type === 'GlobalAveragePooling2D');
    assert.deepEqual(edit.kind === 'addNode' && edit.insertOnEdge, { from: 'conv3', to: 'pool3' });
    await search.fill('zzz');
    await h.page.locator('.palette-empty', { hasText: 'No layer matches' }).waitFor();
  });

  test('dropping a layer on empty canvas adds it unconnected where it was dropped', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    const canvas = await h.page.locator('.canvas-svg').boundingBox();
    assert.ok(canvas);
    await h.page.locator('.palette-item[data-type="Dense"]').dragTo(h.page.locator('.canvas-svg'), {
      targetPosition: { x: canvas.width - 150, y: 200 },
    });
    await h.waitForEdits(1);
    const edit = lastEdit(h);
    assert.ok(edit.kind === 'addNode' && edit.node.type === 'Dense');
    if (edit.kind !== 'addNode') return;
    assert.deepEqual(edit.node.inputs, []);
    assert.ok(edit.node.position, 'it stays where it was dropped');
    assert.equal(edit.insertOnEdge, undefined);
    await node(h, edit.node.id).waitFor();
    // an unconnected layer is a problem the designer shows
    await h.waitForExpression(`document.querySelector('g.node[data-id="${edit.node.id}"]').getAttribute('class').includes('problem-')`);
  });
});

async function nodeLocatorFocus(h: Awaited<ReturnType<typeof openModel>>, id: string): Promise<void> {
  await node(h, id).click();
  await h.waitForExpression(`document.activeElement?.getAttribute('data-id') === ${JSON.stringify(id)}`);
}
