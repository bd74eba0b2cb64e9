/**
 * The designer webview in real chromium: the built bundle in the page `designerHtml` makes, with the
 * harness playing the extension host (real loader, real applyModelEdit). Needs `npm run build` first
 * (scripts/test.sh does it).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModel } from '../../src/core/shapeInference';
import { modelText, templateText, twoBranchText } from './harness/designerFixtures';
import { lastEdit, nodeLocator as node, useDesignerSuite } from './harness/designerSuite';

const { openDesigner, openModel } = useDesignerSuite();

describe('designer webview', () => {
  test('shows tutorial-cifar with its 124,810 params, shapes on nodes and edges', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    assert.equal(h.received[0]?.type, 'ready', 'the page asks for a snapshot first');
    await h.page.locator('.summary-params .summary-value', { hasText: '124,810' }).waitFor();
    assert.equal(await h.page.locator('g.node').count(), 11);
    assert.equal(await h.page.locator('g.edge').count(), 10);
    assert.match(await node(h, 'conv1').innerHTML(), /30×30×32/);
    assert.match(await node(h, 'conv1').innerHTML(), /32 filters/);
    assert.match(await h.page.locator('g.edge[data-from="conv1"] .edge-label').textContent() ?? '', /30×30×32/);
    assert.match(await h.page.locator('.summary-problems').innerText(), /^✓\s+No problems$/);
    // Training memory at the template's batch size (64, adam): core's estimate, breakdown on hover.
    const training = h.page.locator('.summary-training-memory');
    assert.match(await training.locator('.summary-value').innerText(), /^\d+(\.\d)? MiB$/);
    assert.match((await training.getAttribute('title')) ?? '', /^Memory to train: ≈ \d+ MB at batch size 64 with adam \(weights, gradients and optimizer slots 1\.9 MB; layer outputs \d+ MB\)$/);
  });

  test('double-click in the palette inserts after the selected layer', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'dense1').click();
    await h.page.locator('.palette-item[data-type="Dropout"]').dblclick();
    const [edit] = (await h.waitForEdits(1)).map((m) => m.edit);
    assert.equal(edit?.kind, 'addNode');
    if (edit?.kind !== 'addNode') return;
    assert.equal(edit.node.type, 'Dropout');
    assert.deepEqual(edit.insertOnEdge, { from: 'dense1', to: 'dense2' });
    await node(h, edit.node.id).waitFor();
    assert.equal(await node(h, edit.node.id).getAttribute('aria-selected'), 'true', 'the new layer is selected');
    assert.deepEqual(h.model!.nodes.find((n) => n.id === 'dense2')!.inputs, [edit.node.id]);
  });

  test('the "+" on an edge inserts the picked layer there', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    const edge = h.page.locator('g.edge[data-from="conv1"][data-to="pool1"]');
    await edge.locator('.edge-label').hover({ force: true });
    await edge.locator('.edge-add').click();
    await h.page.locator('.quick-pick-input').fill('BatchN');
    await h.page.keyboard.press('Enter');
    await h.waitForEdits(1);
    const edit = lastEdit(h);
    assert.equal(edit.kind, 'addNode');
    if (edit.kind !== 'addNode') return;
    assert.equal(edit.node.type, 'BatchNormalization');
    assert.deepEqual(edit.insertOnEdge, { from: 'conv1', to: 'pool1' });
    await h.page.locator('g.node[data-type="BatchNormalization"]').waitFor();
    // 124,810 + 4*32 BatchNorm params
    await h.page.locator('.summary-params .summary-value', { hasText: '124,938' }).waitFor();
  });

  test('dragging a layer from the palette onto an edge inserts it there', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    const target = h.page.locator('g.edge[data-from="dense1"][data-to="dense2"] .edge-add');
    await h.page.locator('.palette-item[data-type="Dropout"]').dragTo(target, { force: true });
    await h.waitForEdits(1);
    const edit = lastEdit(h);
    assert.equal(edit.kind, 'addNode');
    if (edit.kind !== 'addNode') return;
    assert.equal(edit.node.type, 'Dropout');
    assert.deepEqual(edit.insertOnEdge, { from: 'dense1', to: 'dense2' });
  });

  test('dragging from an output port to an Add connects a second input', async () => {
    const h = await openModel(twoBranchText());
    assert.ok((await node(h, 'merge').getAttribute('class'))?.includes('problem-error'), 'an Add with one input is marked');
    const port = await node(h, 'right').locator('.port-out').boundingBox();
    const target = await node(h, 'merge').locator('.node-body').boundingBox();
    assert.ok(port && target);
    await h.page.mouse.move(port.x + port.width / 2, port.y + port.height / 2);
    await h.page.mouse.down();
    await h.page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 8 });
    await h.page.mouse.up();
    await h.waitForEdits(1);
    assert.deepEqual(lastEdit(h), { kind: 'connect', from: 'right', to: 'merge' });
    await h.page.locator('g.edge[data-from="right"][data-to="merge"]').waitFor();
    assert.deepEqual(h.model!.nodes.find((n) => n.id === 'merge')!.inputs, ['left', 'right']);
    await h.waitForExpression(`!document.querySelector('g.node[data-id="merge"]').classList.contains('problem-error')`);
  });

  test('Delete removes the selected layer and keeps the chain connected; an edge can be disconnected', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'pool3').click();
    await h.page.keyboard.press('Delete');
    await h.waitForEdits(1);
    assert.deepEqual(lastEdit(h), { kind: 'removeNodes', ids: ['pool3'] });
    await node(h, 'pool3').waitFor({ state: 'detached' });
    assert.equal(await h.page.locator('g.edge[data-from="conv3"][data-to="flatten"]').count(), 1);

    const edge = h.page.locator('g.edge[data-from="dense1"][data-to="dense2"]');
    // click the line between the source's port and the "+" in its middle
    const p = await h.edgePoint('dense1', 'dense2', 0.25);
    await h.page.mouse.click(p.x, p.y);
    await h.waitForExpression(`document.querySelector('g.edge[data-from="dense1"]').classList.contains('selected')`);
    await h.page.keyboard.press('Delete');
    await h.waitForEdits(2);
    assert.deepEqual(lastEdit(h), { kind: 'disconnect', from: 'dense1', to: 'dense2' });
    await edge.waitFor({ state: 'detached' });
  });

  test('the inspector validates as you type: invalid values show why and are not sent', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'conv1').click();
    const filters = h.page.locator('vscode-text-field[data-param="filters"] input');
    await filters.fill('abc');
    await h.page.locator('.field-error', { hasText: 'whole number' }).waitFor();
    await filters.press('Enter');
    await filters.fill('0');
    await h.page.locator('.field-error', { hasText: 'at least 1' }).waitFor();
    await filters.press('Tab');
    await h.page.waitForTimeout(100);
    assert.equal(h.edits().length, 0, 'an invalid value is never sent');

    await filters.fill('48');
    assert.equal(await h.page.locator('.field-error:not([hidden])').count(), 0);
    await filters.press('Enter');
    await h.waitForEdits(1);
    assert.deepEqual(lastEdit(h), { kind: 'setParam', id: 'conv1', param: 'filters', value: 48 });
    const expected = analyzeModel(h.model!).totals.params;
    assert.notEqual(expected, 124810);
    await h.page.locator('.summary-params .summary-value', { hasText: expected.toLocaleString('en-US') }).waitFor();
    assert.match(await node(h, 'conv1').innerHTML(), /48 filters/);
  });

  test('a dropdown change is sent at once, and the default value is removed from the file', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'dense1').click();
    const dropdown = h.page.locator('vscode-dropdown[data-param="activation"]');
    await dropdown.click();
    await dropdown.locator('vscode-option[value="tanh"]').click();
    await h.waitForEdits(1);
    assert.deepEqual(lastEdit(h), { kind: 'setParam', id: 'dense1', param: 'activation', value: 'tanh' });
    await h.waitForExpression(`document.querySelector('g.node[data-id="dense1"]').textContent.includes('tanh')`);
  });

  test('keyboard only: arrows to the Dense layer, A, type Dropout, Enter inserts after it', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await h.page.locator('.canvas-svg').focus();
    await h.page.keyboard.press('ArrowDown'); // first key selects the first layer
    const focusedId = () => h.page.evaluate<string | null>(`document.activeElement?.getAttribute('data-id') ?? null`);
    assert.equal(await focusedId(), 'input');
    for (let i = 0; i < 12 && (await focusedId()) !== 'dense1'; i++) await h.page.keyboard.press('ArrowDown');
    assert.equal(await focusedId(), 'dense1');
    assert.equal(await node(h, 'dense1').getAttribute('aria-selected'), 'true');
    await h.page.keyboard.press('ArrowUp');
    assert.equal(await focusedId(), 'flatten', 'up goes to the producer');
    await h.page.keyboard.press('ArrowDown');

    await h.page.keyboard.press('a');
    await h.page.locator('.quick-pick-title', { hasText: 'after dense1' }).waitFor();
    await h.page.keyboard.type('Dropout');
    await h.page.keyboard.press('Enter');
    await h.waitForEdits(1);
    const edit = lastEdit(h);
    assert.equal(edit.kind, 'addNode');
    if (edit.kind !== 'addNode') return;
    assert.equal(edit.node.type, 'Dropout');
    assert.deepEqual(edit.insertOnEdge, { from: 'dense1', to: 'dense2' });
    await node(h, edit.node.id).waitFor();
    await h.waitForExpression(`document.activeElement?.getAttribute('data-id') === ${JSON.stringify(edit.node.id)}`);
    assert.equal(await node(h, edit.node.id).getAttribute('aria-selected'), 'true');
    assert.equal(await h.page.locator('g.edge[data-from="dense1"][data-to="' + edit.node.id + '"]').count(), 1);

    // Enter goes to the inspector, whose first field is the id
    await h.page.keyboard.press('Enter');
    assert.equal(await h.page.evaluate<string | null>(`document.activeElement?.getAttribute('data-field') ?? null`), 'id');
  });

  test('a file that is not valid JSON shows the parser error and Open as Text, and sends no edits', async () => {
    const broken = '{\n  "format": "cnn-studio-model",\n  "formatVersion": 1,\n  "nodes": [\n    { "id": "input", }\n  ]\n}\n';
    const h = await openDesigner(broken);
    const view = h.page.locator('.invalid-view');
    await view.waitFor();
    assert.match(await view.innerText(), /not valid JSON at line 5/);
    assert.equal(await h.page.locator('.code-excerpt .error-line').count(), 1);
    assert.equal(await h.page.locator('g.node').count(), 0);
    await h.page.keyboard.press('Delete');
    await h.page.keyboard.press('a');
    await view.locator('vscode-button[data-action="open-as-text"]').click();
    await h.idle();
    assert.deepEqual(h.messagesOf('openAsText'), [{ type: 'openAsText', documentUri: h.documentUri }]);
    assert.equal(h.edits().length, 0);

    // fixing the text in the editor brings the graph back
    await h.setText(templateText('tutorial-cifar'));
    await node(h, 'conv1').waitFor();
    assert.equal(await view.count(), 0);
  });

  test('a value nested 100,000 levels deep shows a clear message, not a stack overflow', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = templateText('mnist-small').replace('"filters": 8', `"filters": ${deep}`);
    assert.notEqual(text, templateText('mnist-small'), 'the deep value is in the file');
    const h = await openDesigner(text);
    const view = h.page.locator('.invalid-view');
    await view.waitFor();
    assert.match(await view.innerText(), /nests values more than 64 levels deep at line \d+, column \d+.*damaged or not a CNN Studio model/s);
    assert.doesNotMatch(await view.innerText(), /call stack|report this/i);
  });

  test('an empty model offers to add an Input layer', async () => {
    const h = await openDesigner(modelText('empty', []));
    await h.page.locator('.empty-view').waitFor();
    assert.equal(await h.page.locator('vscode-button[data-action="fit"]').count(), 0, 'no zoom buttons without a graph');
    await h.page.locator('vscode-button[data-action="add-input"]').click();
    await h.waitForEdits(1);
    const edit = lastEdit(h);
    assert.ok(edit.kind === 'addNode' && edit.node.type === 'Input' && edit.node.inputs.length === 0);
    await h.page.locator('g.node[data-type="Input"]').waitFor();
    assert.equal(await h.page.locator('.empty-view').count(), 0);
  });

  test('an empty model can start from a template', async () => {
    const h = await openDesigner(modelText('empty', []));
    await h.page.locator('vscode-button[data-action="template:tutorial-cifar"]').click();
    await h.waitForEdits(1);
    assert.equal(lastEdit(h).kind, 'batch');
    await h.page.locator('.summary-params .summary-value', { hasText: '124,810' }).waitFor();
    assert.equal(h.model!.name, 'empty', 'the model keeps its name');
  });

  test('an empty model takes a layer dragged from the palette onto the canvas', async () => {
    const h = await openDesigner(modelText('empty', []));
    await h.page.locator('.empty-view').waitFor();
    await h.page.locator('.palette-item[data-type="Input"]').dragTo(h.page.locator('.canvas-svg'), { targetPosition: { x: 300, y: 600 } });
    await h.waitForEdits(1);
    const edit = lastEdit(h);
    assert.ok(edit.kind === 'addNode' && edit.node.type === 'Input' && edit.node.position !== undefined);
    await h.page.locator('g.node[data-type="Input"]').waitFor();
  });

  test('selection and zoom survive a reload (vscode.setState)', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'conv2').click();
    await h.page.locator('vscode-button[data-action="zoom-in"]').click();
    const transform = await h.page.locator('g.viewport').getAttribute('transform');
    await h.page.waitForTimeout(250); // state is saved shortly after a change
    await h.page.reload();
    await node(h, 'conv2').waitFor();
    assert.equal(await node(h, 'conv2').getAttribute('aria-selected'), 'true');
    assert.equal(await h.page.locator('g.viewport').getAttribute('transform'), transform);
    assert.equal(await h.page.locator('.inspector vscode-text-field[data-field="id"]').getAttribute('value'), 'conv2');
  });

  test('messages for another document are ignored; a rejected edit is reported', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    const other = { ...h.snapshot(), documentUri: 'file:///other.cnn.json', version: 99, text: twoBranchText() };
    await h.send(other);
    await h.page.waitForTimeout(100);
    assert.equal(await h.page.locator('g.node').count(), 11);

    // A text change the page has not seen yet makes its next edit stale: the host rejects it.
    h.version++; // the document moved on without a snapshot reaching the page
    await node(h, 'pool3').click();
    await h.page.keyboard.press('Delete');
    await h.waitForEdits(1);
    await h.page.locator('.toast', { hasText: 'not applied' }).waitFor();
    assert.equal(await node(h, 'pool3').count(), 1, 'nothing changed');
    assert.equal(await node(h, 'pool3').getAttribute('aria-selected'), 'true', 'the selection stays on the layer');
  });

  test('copy and paste duplicate the selected layers with new ids', async () => {
    const h = await openModel(templateText('tutorial-cifar'));
    await node(h, 'dense2').click();
    await h.page.keyboard.press('Control+c');
    await h.page.keyboard.press('Control+v');
    await h.waitForEdits(1);
    const edit = lastEdit(h);
    assert.equal(edit.kind, 'addNodes');
    if (edit.kind !== 'addNodes') return;
    assert.equal(edit.nodes.length, 1);
    assert.equal(edit.nodes[0]!.type, 'Dense');
    assert.notEqual(edit.nodes[0]!.id, 'dense2');
    assert.deepEqual(edit.nodes[0]!.inputs, ['dense1']);
  });
});
