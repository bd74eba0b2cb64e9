/**
 * Restricted mode (an untrusted folder): models open, edit and validate; training refuses with a
 * message and starts nothing. scripts/test-vscode.sh runs the bundle a second time in a code-server
 * with workspace trust on and the folder not trusted; index.ts picks this suite then.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { canonical, closeAllEditors, extensionApi, FIRST_SNAPSHOT_MS, scratchUri, smallModelText, waitFor, workspaceRoot, writeText } from './helpers';

export function registerUntrustedSuite(): void {
  suite('untrusted folder (restricted mode)', () => {
    teardown(closeAllEditors);

    test('the folder really is untrusted', () => {
      assert.equal(vscode.workspace.isTrusted, false);
    });

    test('the designer opens and edits a model', async () => {
      const api = await extensionApi();
      const uri = scratchUri('untrusted');
      await writeText(uri, canonical(smallModelText()));
      await vscode.commands.executeCommand('vscode.openWith', uri, 'cnnStudio.designer');
      const session = await api.testing.waitForDesigner(uri);
      const first = await session.nextSnapshot(undefined, FIRST_SNAPSHOT_MS);
      await session.receive({ type: 'edit', documentUri: first.documentUri, baseVersion: first.version, edit: { kind: 'setParam', id: 'dense1', param: 'units', value: 16 } });
      const document = await vscode.workspace.openTextDocument(uri);
      assert.match(document.getText(), /"units": 16/);
      const counts = await vscode.commands.executeCommand<{ errors: number }>('cnnStudio.validateModel', uri);
      assert.equal(counts?.errors, 0);
    });

    test('Train refuses and starts nothing; the side bar says why', async () => {
      const api = await extensionApi();
      const uri = scratchUri('notrain');
      await writeText(uri, canonical(smallModelText()));
      const result = await vscode.commands.executeCommand('cnnStudio.trainModel', uri);
      assert.equal(result, undefined);
      assert.equal(api.testing.training.session.state, 'idle');
      assert.ok(!existsSync(join(workspaceRoot().fsPath, 'scratch', '.cnn-studio')) && !existsSync(join(workspaceRoot().fsPath, '.cnn-studio')), 'no run folder');
      await vscode.commands.executeCommand('vscode.openWith', uri, 'cnnStudio.designer');
      const session = await api.testing.waitForDesigner(uri);
      const snapshot = await session.nextSnapshot(undefined, FIRST_SNAPSHOT_MS);
      await vscode.commands.executeCommand('cnnStudio.sidebar.focus');
      const state = await waitFor('the side bar state', () => {
        const s = api.testing.sidebarState();
        return s?.model?.documentUri === uri.toString() ? s : undefined;
      }, FIRST_SNAPSHOT_MS);
      assert.equal(state.training, null, 'no Train button');
      assert.match(state.trainingNote ?? '', /not trusted/);
      assert.ok(!(snapshot.commands ?? []).some((c) => c.id === 'cnnStudio.trainModel'), 'no Train button in the designer');
    });
  });
}
