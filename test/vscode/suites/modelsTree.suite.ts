/** The Models tree: model files with their training runs (never the runs' model snapshots as models), and deleting a run. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { canonical, extensionApi, scratchUri, smallModelText, waitFor, workspaceRoot, writeText } from './helpers';

export function registerModelsTreeSuite(): void {
  suite('models tree', () => {
    test('lists a model with its runs and deletes a run folder', async () => {
      const api = await extensionApi();
      const uri = scratchUri('treemodel');
      // The model's name decides its runs folder (the engine's rule): "Tree Net" → "Tree-Net".
      await writeText(uri, canonical(smallModelText((m) => (m['name'] = 'Tree Net'))));
      const runDir = vscode.Uri.joinPath(workspaceRoot(), '.cnn-studio', 'runs', 'Tree-Net', '20260101-120000');
      await writeText(
        vscode.Uri.joinPath(runDir, 'run.json'),
        JSON.stringify({ runId: '20260101-120000', modelName: 'Tree Net', status: 'finished', epochsCompleted: 2, epochsPlanned: 2, bestValAccuracy: 0.75 }),
      );
      // Every run keeps a snapshot of its model: it belongs under the model, never listed as one.
      await writeText(vscode.Uri.joinPath(runDir, 'model.cnn.json'), canonical(smallModelText((m) => (m['name'] = 'Tree Net'))));
      const entry = await waitFor('the model and its run in the tree', async () =>
        (await api.testing.modelsTree()).find((e) => e.model.toString() === uri.toString() && e.runs.includes('20260101-120000')),
      );
      assert.deepEqual(entry.runs, ['20260101-120000']);
      const listed = (await api.testing.modelsTree()).map((e) => vscode.workspace.asRelativePath(e.model));
      assert.deepEqual(listed.filter((p) => p.includes('.cnn-studio')), [], `models listed: ${listed.join(', ')}`);

      const deleted = await vscode.commands.executeCommand('cnnStudio.models.delete', { resourceUri: runDir, contextValue: 'cnnStudio.run' }, false);
      assert.equal(deleted, true);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(runDir)));
      await waitFor('the run to leave the tree', async () => (await api.testing.modelsTree()).find((e) => e.model.toString() === uri.toString())?.runs.length === 0);
    });
  });
}
