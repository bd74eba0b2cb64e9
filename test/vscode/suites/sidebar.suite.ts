/** The CNN Studio side bar view and "Use Folder as Dataset", in a real VS Code. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseModelText } from '../../../src/core/loader';
import { canonical, closeAllEditors, extensionApi, FIRST_SNAPSHOT_MS, scratchUri, smallModelText, waitFor, workspaceRoot, writeText } from './helpers';

export function registerSidebarSuite(): void {
  suite('side bar', () => {
    teardown(closeAllEditors);

    test('shows the active model and applies its settings edits as one undo step each', async () => {
      const api = await extensionApi();
      const uri = scratchUri('sidebar');
      await writeText(uri, canonical(smallModelText()));
      await vscode.commands.executeCommand('vscode.openWith', uri, 'cnnStudio.designer');
      const designer = await api.testing.waitForDesigner(uri);
      await vscode.commands.executeCommand('cnnStudio.sidebar.focus'); // resolves the webview view
      // Both webviews load side by side: the designer still gets its page up and its snapshot.
      await designer.nextSnapshot(undefined, FIRST_SNAPSHOT_MS).catch((err: unknown) => {
        const all = api.testing.designersOf(uri);
        throw new Error(`${String(err)}; designers now: ${all.length}, same object: ${all[0] === designer}, sent: ${all.map((d) => d.sent.length).join(',')}`);
      });
      const state = await waitFor('the side bar to show the model', () => {
        const s = api.testing.sidebarState();
        return s?.model?.documentUri === uri.toString() ? s : undefined;
      });
      assert.equal(state.model?.content.kind, 'model');
      assert.equal(state.training?.state, 'idle', 'the training feature drives the Train button (trusted folder)');
      const document = await vscode.workspace.openTextDocument(uri);

      await api.testing.sidebarReceive({ type: 'setSetting', documentUri: uri.toString(), baseVersion: document.version, setting: 'epochs', value: 3 });
      assert.equal(parseModelText(document.getText()).model?.training.epochs, 3);
      // Out of range, stale, and malformed intents change nothing.
      const text = document.getText();
      await api.testing.sidebarReceive({ type: 'setSetting', documentUri: uri.toString(), baseVersion: document.version, setting: 'batchSize', value: 0 });
      await api.testing.sidebarReceive({ type: 'setSetting', documentUri: uri.toString(), baseVersion: document.version - 1, setting: 'batchSize', value: 16 });
      await api.testing.sidebarReceive({ type: 'setSetting', documentUri: uri.toString(), baseVersion: document.version, setting: 'nodes', value: 1 });
      assert.equal(document.getText(), text);

      await api.testing.sidebarReceive({ type: 'setSetting', documentUri: uri.toString(), baseVersion: document.version, setting: 'learningRate', value: 0.01 });
      assert.equal(parseModelText(document.getText()).model?.compile.learningRate, 0.01);
      await waitFor('the side bar to show the new value', () => {
        const m = api.testing.sidebarState()?.model;
        return m?.content.kind === 'model' && m.content.model.compile.learningRate === 0.01;
      });
      await vscode.commands.executeCommand('undo');
      await waitFor('undo of the learning rate', () => parseModelText(document.getText()).model?.compile.learningRate === 0.001);
      assert.equal(parseModelText(document.getText()).model?.training.epochs, 3, 'one undo step per setting');
    });

    test('Use Folder as Dataset points the model at an image folder sized by its Input layer', async () => {
      await extensionApi();
      const uri = scratchUri('dataset');
      await writeText(uri, canonical(smallModelText()));
      const folder = vscode.Uri.joinPath(workspaceRoot(), 'scratch', 'images');
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder, 'cats'));
      const dataset = await vscode.commands.executeCommand<{ path: string }>('cnnStudio.useFolderAsDataset', folder, uri);
      assert.equal(dataset?.path, 'images');
      const document = await vscode.workspace.openTextDocument(uri);
      assert.deepEqual(parseModelText(document.getText()).model?.dataset, { kind: 'imageFolder', path: 'images', imageSize: [28, 28], colorMode: 'grayscale' });
    });
  });
}
