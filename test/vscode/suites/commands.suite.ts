/** The model commands run as a user runs them, in a real VS Code, against real files. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseModelText } from '../../../src/core/loader';
import { canonical, closeAllEditors, EXTENSION_ID, extensionApi, FIRST_SNAPSHOT_MS, readText, scratchUri, smallModelText, waitFor, writeText } from './helpers';

function activeTabViewType(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom) return input.viewType;
  if (input instanceof vscode.TabInputText) return 'default';
  return undefined;
}

/** The active group's tabs of `uri`: their editor ('default' = text) and place. */
function tabsOf(uri: vscode.Uri): { kind: string; index: number }[] {
  const tabs = vscode.window.tabGroups.activeTabGroup.tabs;
  return tabs.flatMap((t, index) => {
    const input = t.input;
    if (input instanceof vscode.TabInputCustom && input.uri.toString() === uri.toString()) return [{ kind: input.viewType, index }];
    if (input instanceof vscode.TabInputText && input.uri.toString() === uri.toString()) return [{ kind: 'default', index }];
    return [];
  });
}

export function registerCommandSuite(): void {
  suite('model commands', () => {
    teardown(closeAllEditors);

    test('every command the manifest contributes is registered (no dead buttons)', async () => {
      await extensionApi();
      const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
      const registered = new Set(await vscode.commands.getCommands(true));
      const dead = manifest.contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
      assert.deepEqual(dead, []);
    });

    test('New Model from Template writes the template and opens it in the designer', async () => {
      const api = await extensionApi();
      const target = scratchUri('cifar');
      const created = await vscode.commands.executeCommand<vscode.Uri>('cnnStudio.newModelFromTemplate', { templateId: 'tutorial-cifar', target });
      assert.equal(created?.toString(), target.toString());
      const { model, diagnostics } = parseModelText(await readText(target));
      assert.ok(model, JSON.stringify(diagnostics));
      assert.ok(model.nodes.some((n) => n.type === 'Conv2D'));
      const session = await api.testing.waitForDesigner(target);
      const snapshot = await session.nextSnapshot(undefined, FIRST_SNAPSHOT_MS);
      assert.equal(snapshot.content.kind, 'model');
      assert.equal(activeTabViewType(), 'cnnStudio.designer');
    });

    test('an unknown template id is refused without writing anything', async () => {
      const target = scratchUri('nothing');
      const result = await vscode.commands.executeCommand('cnnStudio.newModelFromTemplate', { templateId: 'no-such-template', target });
      assert.equal(result, undefined, 'the failable wrapper turned the error into a message');
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(target)));
    });

    test('Show Model Summary prints the layer table with the parameter total', async () => {
      const uri = scratchUri('summary');
      await vscode.commands.executeCommand('cnnStudio.newModelFromTemplate', { templateId: 'tutorial-cifar', target: uri, open: false });
      const summary = await vscode.commands.executeCommand<string>('cnnStudio.showSummary', uri);
      assert.ok(summary, 'a summary was returned');
      assert.match(summary, /124,810/, summary);
      assert.match(summary, /Conv2D/);
    });

    test('Validate Model counts the problems of the file', async () => {
      const good = scratchUri('valid');
      await writeText(good, canonical(smallModelText()));
      const okCounts = await vscode.commands.executeCommand<{ errors: number; warnings: number }>('cnnStudio.validateModel', good);
      assert.deepEqual([okCounts?.errors, okCounts?.warnings], [0, 0]);
      const bad = scratchUri('invalid');
      await writeText(bad, smallModelText((m) => (m.nodes[4]!.inputs = ['nowhere'])));
      const badCounts = await vscode.commands.executeCommand<{ errors: number }>('cnnStudio.validateModel', bad);
      assert.ok((badCounts?.errors ?? 0) >= 1, JSON.stringify(badCounts));
    });

    test('Add Layer inserts the layer after the chosen one as one edit', async () => {
      const uri = scratchUri('addlayer');
      await writeText(uri, canonical(smallModelText()));
      const document = await vscode.workspace.openTextDocument(uri);
      const versionBefore = document.version;
      const id = await vscode.commands.executeCommand<string>('cnnStudio.addLayer', { uri, layerType: 'BatchNormalization', afterNodeId: 'conv1' });
      assert.ok(id);
      assert.equal(document.version, versionBefore + 1, 'one edit');
      const { model } = parseModelText(document.getText());
      assert.deepEqual(model?.nodes.find((n) => n.id === 'flatten1')?.inputs, [id]);
      assert.deepEqual(model?.nodes.find((n) => n.id === id)?.inputs, ['conv1']);
    });

    test('Open as Text and Open Designer switch the editor of the same file', async () => {
      const api = await extensionApi();
      const uri = scratchUri('toggle');
      await writeText(uri, canonical(smallModelText()));
      await vscode.commands.executeCommand('cnnStudio.openDesigner', uri);
      await api.testing.waitForDesigner(uri);
      await waitFor('the designer tab', () => activeTabViewType() === 'cnnStudio.designer');
      await vscode.commands.executeCommand('cnnStudio.openAsText');
      await waitFor('the text editor', () => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString());
      await vscode.commands.executeCommand('cnnStudio.openDesigner');
      await waitFor('the designer tab again', () => activeTabViewType() === 'cnnStudio.designer');
    });

    test('Open as Text and Open Designer replace the tab in place: one tab per file, unsaved changes kept, no save question', async () => {
      const api = await extensionApi();
      const neighbour = scratchUri('neighbour');
      const uri = scratchUri('inplace');
      await writeText(neighbour, canonical(smallModelText()));
      await writeText(uri, canonical(smallModelText()));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(neighbour));
      await vscode.commands.executeCommand('cnnStudio.openDesigner', uri);
      const designer = await api.testing.waitForDesigner(uri);
      await designer.nextSnapshot(undefined, FIRST_SNAPSHOT_MS);
      await waitFor('the designer tab', () => activeTabViewType() === 'cnnStudio.designer');
      const place = tabsOf(uri)[0]!.index;
      // Unsaved changes. (In this test run VS Code answers a save question with "Don't Save", which would
      // throw the change away: the checks below fail if a switch asks.)
      const document = await vscode.workspace.openTextDocument(uri);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, document.positionAt(document.getText().length), '\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const changed = document.getText();
      assert.ok(document.isDirty);

      // The designer's own "Open as Text" button (the page posts this message).
      await designer.receive({ type: 'openAsText', documentUri: uri.toString() });
      await waitFor('the text editor', () => vscode.window.activeTextEditor?.document.uri.toString() === uri.toString());
      await waitFor('one tab for the file, the text', () => JSON.stringify(tabsOf(uri).map((t) => t.kind)) === '["default"]');
      assert.equal(tabsOf(uri)[0]!.index, place, "in the designer's place");
      assert.ok(document.isDirty, 'the unsaved change is still unsaved');
      assert.equal(document.getText(), changed, 'and still there');

      // Back with "Open Designer" (the text editor's title button, Ctrl+K V): a dirty text tab stays
      // (closing it would ask to save), the designer opens beside it.
      await vscode.commands.executeCommand('cnnStudio.openDesigner');
      await waitFor('the designer tab again', () => activeTabViewType() === 'cnnStudio.designer');
      assert.deepEqual(tabsOf(uri).map((t) => t.kind), ['default', 'cnnStudio.designer']);
      assert.equal(document.getText(), changed);
      // "Open as Text" from there (the palette, the designer in front) goes back to one tab.
      await vscode.commands.executeCommand('cnnStudio.openAsText');
      await waitFor('one tab for the file, the text', () => JSON.stringify(tabsOf(uri).map((t) => t.kind)) === '["default"]');
      assert.equal(document.getText(), changed);
      assert.ok(await document.save());

      // Saved: "Open Designer" replaces the text tab in place, and "Open as Text" the designer's.
      await vscode.commands.executeCommand('cnnStudio.openDesigner');
      await waitFor('one tab for the file, the designer', () => JSON.stringify(tabsOf(uri).map((t) => t.kind)) === '["cnnStudio.designer"]');
      assert.equal(tabsOf(uri)[0]!.index, place);
      await vscode.commands.executeCommand('cnnStudio.openAsText');
      await waitFor('one tab for the file, the text', () => JSON.stringify(tabsOf(uri).map((t) => t.kind)) === '["default"]');
      assert.equal(tabsOf(uri)[0]!.index, place);
    });
  });
}
