/**
 * The JSON editor of a model file: VS Code's own JSON language service, given the schema the manifest
 * contributes (jsonValidation → media/schema/cnn-model.schema.json), completes a layer's keys.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, extensionApi, scratchUri, smallModelText, waitFor, writeText } from './helpers';

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function documentation(item: vscode.CompletionItem): string {
  const doc = item.documentation;
  return doc === undefined ? '' : typeof doc === 'string' ? doc : doc.value;
}

export function registerJsonSchemaSuite(): void {
  suite('JSON editor of a model file', () => {
    teardown(closeAllEditors);

    test('completion inside a layer offers "trainable" (freeze) with its description', async () => {
      await extensionApi();
      const uri = scratchUri('complete-trainable');
      // A blank line inside conv1's object, where the user types a new key.
      const text = smallModelText().replace('"id": "conv1",\n', '"id": "conv1",\n      \n');
      await writeText(uri, text);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      assert.equal(document.languageId, 'json');
      const line = document.positionAt(text.indexOf('"id": "conv1",\n') + '"id": "conv1",\n'.length).line;
      const position = new vscode.Position(line, 6);
      // The JSON language server starts with the first JSON document and then fetches the schema: ask
      // until it answers from it, twice a second (a tighter loop slows the next suites while it waits).
      const trainable = await waitFor(
        'a "trainable" completion',
        async () => {
          const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
          const found = list.items.find((i) => label(i) === 'trainable');
          if (!found) await new Promise((r) => setTimeout(r, 500));
          return found;
        },
        45_000,
      );
      assert.match(documentation(trainable), /freezes the layer/);
      const offered = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
      const labels = offered.items.map(label);
      // The keys conv1 already has are not offered again; the ones it lacks are.
      assert.ok(labels.includes('position'), labels.join(', '));
      assert.ok(!labels.includes('id'), labels.join(', '));
    });
  });
}
