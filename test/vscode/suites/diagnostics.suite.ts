/** The Problems panel for model files, and the quick fixes offered there. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyModelEdit } from '../../../src/core/applyModelEdit';
import { parseModelText, serializeModel } from '../../../src/core/loader';
import { analyzeModel } from '../../../src/core/shapeInference';
import { createModelFromTemplate } from '../../../src/core/templates';
import { closeAllEditors, extensionApi, scratchUri, smallModelText, waitFor, writeText } from './helpers';

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'CNN Studio');

export function registerDiagnosticsSuite(): void {
  suite('problems and quick fixes', () => {
    teardown(closeAllEditors);

    test('a node problem is reported on that node\'s "id" and its quick fix repairs the model', async () => {
      await extensionApi();
      const uri = scratchUri('noflatten');
      // Dense straight after a Conv2D: shape inference asks for a Flatten.
      const text = smallModelText((m) => {
        m.nodes.splice(2, 1);
        m.nodes[2]!.inputs = ['conv1'];
      });
      assert.ok(!text.includes('flatten1'), text);
      await writeText(uri, text);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const problem = await waitFor('a dense-on-4d problem', () => ours(uri).find((d) => d.code === 'dense-on-4d'));
      assert.equal(document.getText(problem.range), '"id": "dense1"');
      assert.match(problem.message, /Flatten/);

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, problem.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => /Flatten/.test(a.title));
      assert.ok(fix?.edit, `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await waitFor('the problem to go away', () => !ours(uri).some((d) => d.code === 'dense-on-4d'));
      assert.match(document.getText(), /"type": "Flatten"/);
    });

    test('tutorial-cifar without its Flatten: every Flatten fix lands before the first Dense; the cursor and "Show in Designer" select the layer in the designer', async () => {
      const api = await extensionApi();
      const uri = scratchUri('cifar-noflatten');
      const template = createModelFromTemplate('tutorial-cifar', 'cifar');
      const flatten = template.nodes.find((n) => n.type === 'Flatten')!;
      const firstDense = template.nodes.find((n) => n.type === 'Dense')!.id;
      const expectedParams = analyzeModel(template).totals.params;
      const broken = serializeModel(applyModelEdit(template, { kind: 'removeNodes', ids: [flatten.id] }));
      await writeText(uri, broken);
      const document = await vscode.workspace.openTextDocument(uri);
      // The designer in the first column, the text beside it (as after "Open as Text" to the side).
      await vscode.commands.executeCommand('vscode.openWith', uri, 'cnnStudio.designer', vscode.ViewColumn.One);
      const designer = await api.testing.waitForDesigner(uri);
      await designer.nextSnapshot(undefined, 45_000);
      const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.Two);
      const problems = await waitFor('two or more dense-on-4d problems', () => {
        const found = ours(uri).filter((d) => d.code === 'dense-on-4d');
        return found.length >= 2 && found;
      });
      for (const problem of problems) {
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, problem.range, vscode.CodeActionKind.QuickFix.value);
        const fix = actions.find((a) => /Flatten/.test(a.title));
        assert.ok(fix?.edit, `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        const fixed = parseModelText(document.getText()).model!;
        assert.equal(analyzeModel(fixed).totals.params, expectedParams, `"${fix.title}" gives the template's parameter count`);
        assert.equal(fixed.nodes.find((n) => n.id === firstDense)!.inputs.length, 1);
        assert.equal(fixed.nodes.find((n) => n.id === fixed.nodes.find((m) => m.id === firstDense)!.inputs[0])!.type, 'Flatten', `"${fix.title}" puts the Flatten before '${firstDense}'`);
        await waitFor('the dense-on-4d problems to go away', () => !ours(uri).some((d) => d.code === 'dense-on-4d'));
        await vscode.commands.executeCommand('undo');
        await waitFor('the problems back after undo', () => ours(uri).filter((d) => d.code === 'dense-on-4d').length >= 2);
      }
      // A click on a Problems row puts the cursor on the problem's range: the open designer selects that layer.
      const problem = problems.find((d) => document.getText(d.range).includes(firstDense))!;
      const revealed = (id: string) => designer.sent.some((m) => m.type === 'revealNode' && m.nodeId === id);
      editor.selection = new vscode.Selection(problem.range.start, problem.range.start);
      await waitFor(`the designer to select '${firstDense}'`, () => revealed(firstDense));
      // The Problems row's quick-fix menu also offers "Show '<id>' in the Designer".
      const output = problems.find((d) => !document.getText(d.range).includes(firstDense))!;
      const outputId = /"id": "([^"]+)"/.exec(document.getText(output.range))![1]!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, output.range, vscode.CodeActionKind.QuickFix.value);
      const show = actions.find((a) => a.title === `Show '${outputId}' in the Designer`);
      assert.ok(show?.command, `actions: ${actions.map((a) => a.title).join(', ')}`);
      await vscode.commands.executeCommand(show.command.command, ...(show.command.arguments ?? []));
      await waitFor(`the designer to select '${outputId}'`, () => revealed(outputId));
    });

    test("quick fixes that set a param: padding 'same' for a kernel larger than its input, a bad units value", async () => {
      await extensionApi();
      const uri = scratchUri('paramfixes');
      await writeText(
        uri,
        smallModelText((m) => {
          m.nodes[1]!.params['kernelSize'] = [30, 30];
          m.nodes[3]!.params['units'] = 0;
        }),
      );
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const fixFor = async (code: string, title: RegExp) => {
        const problem = await waitFor(`a ${code} problem`, () => ours(uri).find((d) => d.code === code));
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, problem.range, vscode.CodeActionKind.QuickFix.value);
        const fix = actions.find((a) => title.test(a.title));
        assert.ok(fix?.edit, `quick fixes for ${code}: ${actions.map((a) => a.title).join(', ')}`);
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        await waitFor(`the ${code} problem to go away`, () => !ours(uri).some((d) => d.code === code));
      };
      await fixFor('kernel-too-large', /padding 'same'/);
      assert.match(document.getText(), /"padding": "same"/);
      await fixFor('bad-param', /units/);
      assert.doesNotMatch(document.getText(), /"units": 0\b/);
    });

    test('a file that is not valid JSON gets one error at the syntax error', async () => {
      await extensionApi();
      const uri = scratchUri('syntax');
      const text = '{\n  "format": "cnn-studio-model",\n  "nodes": [ oops ]\n}\n';
      await writeText(uri, text);
      const document = await vscode.workspace.openTextDocument(uri);
      const problem = await waitFor('an invalid-json problem', () => ours(uri).find((d) => d.code === 'invalid-json'));
      assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(problem.range.start.line, 2, `at ${JSON.stringify(problem.range)}`);
      assert.equal(document.getText(), text);
    });

    test('problems follow edits of the text and disappear when the file is closed', async () => {
      const api = await extensionApi();
      const uri = scratchUri('follow');
      await writeText(uri, smallModelText());
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      assert.equal((await api.testing.problemsOf(uri)).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, 0);
      const at = document.getText().indexOf('"flatten1"', document.getText().indexOf('"dense1"'));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(document.positionAt(at), document.positionAt(at + '"flatten1"'.length)), '"missing"');
      await vscode.workspace.applyEdit(edit);
      const problem = await waitFor('an unknown-input problem', () => ours(uri).find((d) => d.code === 'unknown-input'));
      assert.equal(document.getText(problem.range), '"id": "dense1"');
      await vscode.commands.executeCommand('undo');
      await waitFor('the problem to go away after undo', () => !ours(uri).some((d) => d.code === 'unknown-input'));
    });
  });
}
