/** "CNN Studio: Export…" and "CNN Studio: Import…" in a real VS Code, with real files (no prompts: options argument). */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { onnx } from 'onnx-proto';
import * as vscode from 'vscode';
import { parseModelText } from '../../../src/core/loader';
import { closeAllEditors, extensionApi, readText, scratchUri, waitFor, writeText } from './helpers';

export function registerExportImportSuite(): void {
  suite('export and import', () => {
    teardown(closeAllEditors);

    test('exports a model as a Keras script, a PyTorch script, Keras JSON and a notebook that opens as a notebook', async () => {
      await extensionApi();
      const model = scratchUri('export-src');
      await vscode.commands.executeCommand('cnnStudio.newModelFromTemplate', { templateId: 'resnet-mini', target: model, open: false });
      const keras = await vscode.commands.executeCommand<vscode.Uri>('cnnStudio.export', model, { format: 'keras', target: scratchUri('resnet', '_keras.py'), open: false });
      assert.ok(keras, 'the export returned the written file');
      assert.match(await readText(keras), /return keras\.Model\(inputs=/);
      const torch = await vscode.commands.executeCommand<vscode.Uri>('cnnStudio.export', model, { format: 'pytorch', target: scratchUri('resnet', '_pytorch.py'), open: false });
      assert.match(await readText(torch!), /class Net\(nn\.Module\)/);
      const json = await vscode.commands.executeCommand<vscode.Uri>('cnnStudio.export', model, { format: 'keras-json', target: scratchUri('resnet', '.keras.json'), open: false });
      assert.equal((JSON.parse(await readText(json!)) as { class_name: string }).class_name, 'Functional');
      const notebook = await vscode.commands.executeCommand<vscode.Uri>('cnnStudio.export', model, { format: 'notebook', target: scratchUri('resnet', '.ipynb') });
      const opened = await waitFor('the notebook editor', () => vscode.window.activeNotebookEditor?.notebook.uri.toString() === notebook!.toString() && vscode.window.activeNotebookEditor);
      assert.ok(opened.notebook.cellCount > 6, `cells: ${opened.notebook.cellCount}`);
      assert.ok(opened.notebook.getCells().some((c) => c.kind === vscode.NotebookCellKind.Code && /model\.fit\(/.test(c.document.getText())));
    });

    test('refuses TF.js for a model file (it needs a trained run) without writing anything', async () => {
      const model = scratchUri('export-tfjs');
      await vscode.commands.executeCommand('cnnStudio.newModelFromTemplate', { templateId: 'lenet5', target: model, open: false });
      const target = scratchUri('lenet', '-tfjs/model.json');
      const result = await vscode.commands.executeCommand('cnnStudio.export', model, { format: 'tfjs', target, open: false });
      assert.equal(result, undefined, 'the error became a message');
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(target)));
    });

    test('exports a run (imported from a TF.js model with weights) as ONNX through the target picker, and refuses ONNX for a model file', async () => {
      await extensionApi();
      // A TF.js model.json with its weights.bin: the import turns the weights into a run.
      const folder = scratchUri('onnx-src', '');
      const weightSpecs = [['c1/kernel', [3, 3, 3, 4]], ['c1/bias', [4]], ['out/kernel', [4, 2]], ['out/bias', [2]]] as const;
      const layers = [
        { class_name: 'Conv2D', config: { name: 'c1', batch_input_shape: [null, 8, 8, 3], filters: 4, kernel_size: [3, 3], padding: 'same', activation: 'relu', use_bias: true } },
        { class_name: 'GlobalAveragePooling2D', config: { name: 'gap' } },
        { class_name: 'Dense', config: { name: 'out', units: 2, activation: 'softmax' } },
      ];
      const modelJson = vscode.Uri.joinPath(folder, 'model.json');
      await writeText(modelJson, JSON.stringify({
        format: 'layers-model',
        modelTopology: { model_config: { class_name: 'Sequential', config: { name: 'tfjs_small', layers } } },
        weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs.map(([name, shape]) => ({ name, shape, dtype: 'float32' })) }],
      }));
      const weights = Float32Array.from({ length: 3 * 3 * 3 * 4 + 4 + 4 * 2 + 2 }, (_, i) => Math.sin(i) / 4);
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'weights.bin'), new Uint8Array(weights.buffer));
      const imported = vscode.Uri.joinPath(folder, 'small.cnn.json');
      await vscode.commands.executeCommand('cnnStudio.import', modelJson, { out: imported, open: false });
      const runsRoot = join(folder.fsPath, '.cnn-studio', 'runs');
      const runDir = await waitFor('the imported run', () => {
        const found = existsSync(runsRoot) ? readdirSync(runsRoot, { recursive: true, encoding: 'utf8' }).find((p) => p.endsWith('run.json')) : undefined;
        return found ? vscode.Uri.file(dirname(join(runsRoot, found))) : undefined;
      });

      const refused = await vscode.commands.executeCommand('cnnStudio.export', imported, { format: 'onnx', target: scratchUri('refused', '.onnx'), open: false });
      assert.equal(refused, undefined, 'a model file has no weights: the error became a message');

      const target = scratchUri('small', '.onnx');
      const written = await vscode.commands.executeCommand<vscode.Uri>('cnnStudio.export', runDir, { format: 'onnx', target, open: false });
      assert.equal(written?.toString(), target.toString());
      const proto = onnx.ModelProto.decode(await vscode.workspace.fs.readFile(target));
      assert.equal(Number(proto.opsetImport[0]?.version), 13);
      assert.deepEqual(proto.graph?.input?.[0]?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue)), ['N', 8, 8, 3], 'NHWC input');
      assert.ok(proto.graph?.initializer?.some((t) => t.name === 'c1/kernel'), 'the trained weights are inside');
    });

    test('imports a Keras JSON file into a .cnn.json that opens in the designer', async () => {
      const api = await extensionApi();
      const source = scratchUri('keras-import', '.json');
      const fixture = join(__dirname, '..', '..', 'test', 'fixtures', 'keras', 'nested-sequential.json');
      let text: string;
      try {
        text = readFileSync(fixture, 'utf8');
      } catch {
        // The bundle may run from elsewhere: a small model of the same kind, written inline.
        text = JSON.stringify({ class_name: 'Sequential', config: { name: 'tiny', layers: [{ class_name: 'Conv2D', config: { name: 'c', batch_input_shape: [null, 8, 8, 1], filters: 2, kernel_size: 3 } }, { class_name: 'Flatten', config: { name: 'f' } }, { class_name: 'Dense', config: { name: 'd', units: 2, activation: 'softmax' } }] } });
      }
      await writeText(source, text);
      const out = scratchUri('imported');
      const written = await vscode.commands.executeCommand<vscode.Uri>('cnnStudio.import', source, { out });
      assert.equal(written?.toString(), out.toString());
      const { model } = parseModelText(await readText(out));
      assert.ok(model && model.nodes.some((n) => n.type === 'Dense'), 'the imported model has its layers');
      await api.testing.waitForDesigner(out, 20_000);
    });

    test('stops at a layer CNN Studio cannot represent and writes nothing; with bridge it imports', async () => {
      const source = scratchUri('keras-lstm', '.json');
      // Keras 2 Sequential with an LSTM (the layout of test/fixtures/keras/keras2-sequential-lstm.json).
      await writeText(source, JSON.stringify({ class_name: 'Sequential', config: { name: 'with_lstm', layers: [
        { class_name: 'Conv2D', config: { name: 'conv', batch_input_shape: [null, 12, 12, 1], filters: 4, kernel_size: [3, 3] } },
        { class_name: 'Reshape', config: { name: 'seq', target_shape: [10, 40] } },
        { class_name: 'LSTM', config: { name: 'lstm', units: 16, return_sequences: true } },
        { class_name: 'Flatten', config: { name: 'flat' } },
        { class_name: 'Dense', config: { name: 'out', units: 3, activation: 'softmax' } },
      ] } }));
      const out = scratchUri('lstm-imported');
      const refused = await vscode.commands.executeCommand('cnnStudio.import', source, { out, open: false });
      assert.equal(refused, undefined, 'the refusal became an error message (with the Import with Pass-throughs button)');
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(out)));
      const bridged = await vscode.commands.executeCommand<vscode.Uri>('cnnStudio.import', source, { out, open: false, bridge: true });
      assert.equal(bridged?.toString(), out.toString());
      const { model } = parseModelText(await readText(out));
      assert.deepEqual(model?.nodes.map((n) => n.type), ['Input', 'Conv2D', 'Reshape', 'Flatten', 'Dense'], 'the LSTM became a pass-through');
    });
  });
}
