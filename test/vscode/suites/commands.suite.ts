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
  });
}
