/**
 * The designer custom editor in a real VS Code: the real webview loads and asks for a snapshot; edits
 * sent the way the webview sends them (through the provider's message handler) become one minimal
 * text change and one undo step; stale and impossible edits are refused with a fresh snapshot; text
 * edits made elsewhere reach the designer; broken files are shown, never rewritten.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SnapshotMessage } from '../../../src/protocol/designer';
import type { DesignerSessionProbe } from '../../../src/extension/editor/designerSession';
import { canonical, closeAllEditors, extensionApi, FIRST_SNAPSHOT_MS, readText, scratchUri, smallModelText, waitFor, writeText } from './helpers';

interface Opened {
  uri: vscode.Uri;
  document: vscode.TextDocument;
  session: DesignerSessionProbe;
  first: SnapshotMessage;
}

async function openInDesigner(text: string): Promise<Opened> {
  const api = await extensionApi();
  const uri = scratchUri('designer');
  await writeText(uri, text);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'cnnStudio.designer');
  const session = await api.testing.waitForDesigner(uri);
  // The real designer page posts `ready` once its script runs; the host answers with a snapshot.
  const first = await session.nextSnapshot(undefined, FIRST_SNAPSHOT_MS);
  const document = await vscode.workspace.openTextDocument(uri);
  return { uri, document, session, first };
}

function modelOf(s: SnapshotMessage) {
  assert.equal(s.content.kind, 'model', `snapshot is not a model: ${JSON.stringify(s.content).slice(0, 300)}`);
  return s.content.kind === 'model' ? s.content.model : (undefined as never);
}

const insertDropout = {
  kind: 'addNode',
  node: { id: 'dropout1', type: 'Dropout', params: { rate: 0.5 }, inputs: [] },
  insertOnEdge: { from: 'dense1', to: 'dense2' },
} as const;

export function registerCustomEditorSuite(): void {
  suite('designer custom editor', () => {
    teardown(closeAllEditors);

    test('the real webview loads and receives a snapshot of the document', async () => {
      const { document, first } = await openInDesigner(canonical(smallModelText()));
      assert.equal(first.version, document.version);
      assert.equal(first.text, document.getText());
      assert.deepEqual(modelOf(first).nodes.map((n) => n.id), ['input1', 'conv1', 'flatten1', 'dense1', 'dense2']);
    });

    test('an edit from the webview is one minimal text change, and undo restores the text', async () => {
      const { document, session, first } = await openInDesigner(canonical(smallModelText()));
      const before = document.getText();
      const changes: vscode.TextDocumentContentChangeEvent[][] = [];
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === document && e.contentChanges.length) changes.push([...e.contentChanges]);
      });
      try {
        await session.receive({ type: 'edit', documentUri: first.documentUri, baseVersion: first.version, edit: insertDropout });
        const after = await session.nextSnapshot((s) => s.version > first.version);
        assert.ok(modelOf(after).nodes.some((n) => n.id === 'dropout1'), 'the next snapshot shows the new layer');
        assert.equal(changes.length, 1, 'one document change (one undo step)');
        const replaced = changes[0]!.reduce((n, c) => n + c.rangeLength, 0);
        const inserted = changes[0]!.map((c) => c.text).join('');
        assert.ok(replaced < 20, `replaced ${replaced} characters: not minimal`);
        assert.ok(inserted.length < 250, `inserted ${inserted.length} characters: ${inserted}`);
        assert.match(document.getText(), /"id": "dropout1"/);
        assert.ok(document.isDirty);
        // Undo acts on the active editor: the designer is it.
        await vscode.commands.executeCommand('undo');
        await waitFor('undo to restore the text', () => document.getText() === before);
        const restored = await session.nextSnapshot((s) => s.text === before && s.version === document.version);
        assert.ok(!modelOf(restored).nodes.some((n) => n.id === 'dropout1'));
      } finally {
        sub.dispose();
      }
    });

    test('save writes the edited model to disk', async () => {
      const { uri, document, session, first } = await openInDesigner(canonical(smallModelText()));
      await session.receive({ type: 'edit', documentUri: first.documentUri, baseVersion: first.version, edit: { kind: 'setParam', id: 'dense1', param: 'units', value: 32 } });
      await session.nextSnapshot((s) => s.version > first.version);
      assert.ok(await document.save(), 'save succeeded');
      const onDisk = await readText(uri);
      assert.equal(onDisk, document.getText());
      assert.match(onDisk, /"units": 32/);
    });

    test('a stale edit is refused, the text is kept, and a fresh snapshot is sent', async () => {
      const { document, session, first } = await openInDesigner(canonical(smallModelText()));
      // Someone types in the text: the document moves on.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, document.positionAt(document.getText().indexOf('"name"')), '"description": "typed",\n  ');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const textNow = document.getText();
      await session.receive({ type: 'edit', documentUri: first.documentUri, baseVersion: first.version, edit: insertDropout });
      const rejected = await waitFor('editRejected', () => session.sent.find((m) => m.type === 'editRejected' && m.baseVersion === first.version));
      assert.ok(rejected.type === 'editRejected' && rejected.message.length > 20);
      assert.equal(document.getText(), textNow, 'a stale edit never touches the text');
      const fresh = await session.nextSnapshot((s) => s.version === document.version);
      assert.equal(modelOf(fresh).description, 'typed');
    });

    test('an impossible edit is refused with a message naming the problem', async () => {
      const { document, session, first } = await openInDesigner(canonical(smallModelText()));
      const before = document.getText();
      await session.receive({ type: 'edit', documentUri: first.documentUri, baseVersion: first.version, edit: { kind: 'removeNodes', ids: ['ghost'] } });
      const rejected = await waitFor('editRejected', () => session.sent.find((m) => m.type === 'editRejected'));
      assert.ok(rejected.type === 'editRejected' && rejected.message.includes('ghost'));
      assert.equal(document.getText(), before);
    });

    test('malformed and foreign messages are ignored', async () => {
      const { document, session, first } = await openInDesigner(canonical(smallModelText()));
      const before = document.getText();
      const sentBefore = session.sent.length;
      await session.receive({ type: 'edit', documentUri: first.documentUri, baseVersion: first.version, edit: { kind: 'explode' } });
      await session.receive({ type: 'edit', documentUri: 'file:///elsewhere.cnn.json', baseVersion: first.version, edit: insertDropout });
      await session.receive('not even an object');
      assert.equal(document.getText(), before);
      assert.equal(session.sent.length, sentBefore, 'nothing was answered');
    });

    test('an edit of the text elsewhere reaches the designer, without an edit loop', async () => {
      const { document, session, first } = await openInDesigner(canonical(smallModelText()));
      let changeEvents = 0;
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === document && e.contentChanges.length) changeEvents++;
      });
      try {
        const at = document.getText().indexOf('"units": 64');
        assert.ok(at > 0);
        const edit = new vscode.WorkspaceEdit();
        edit.replace(document.uri, new vscode.Range(document.positionAt(at), document.positionAt(at + '"units": 64'.length)), '"units": 48');
        assert.ok(await vscode.workspace.applyEdit(edit));
        const updated = await session.nextSnapshot((s) => s.version === document.version && s.version > first.version);
        assert.equal(modelOf(updated).nodes.find((n) => n.id === 'dense1')!.params['units'], 48);
        await new Promise((r) => setTimeout(r, 300)); // give a loop the chance to show itself
        assert.equal(changeEvents, 1, 'the designer did not write back');
      } finally {
        sub.dispose();
      }
    });

    test('a broken file opens with its error, and the designer never changes its text', async () => {
      const broken = '{\n  "format": "cnn-studio-model",\n  "nodes": [ {"id": "a",, } ]\n}\n';
      const { document, session, first } = await openInDesigner(broken);
      assert.equal(first.content.kind, 'invalid');
      assert.ok(first.content.kind === 'invalid' && /JSON/.test(first.content.message), JSON.stringify(first.content));
      await session.receive({ type: 'edit', documentUri: first.documentUri, baseVersion: first.version, edit: { kind: 'setName', name: 'x' } });
      await waitFor('editRejected', () => session.sent.some((m) => m.type === 'editRejected'));
      assert.equal(document.getText(), broken);
      assert.equal(document.isDirty, false);
    });
  });
}
