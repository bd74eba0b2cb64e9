/** The pure parts of the extension host: minimal text edits, node ranges, located problems, quick fixes, runs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyReplacements, minimalReplacements } from '../../src/extension/model/minimalTextEdit';
import { modelEditToReplacements } from '../../src/extension/model/modelTextEdit';
import { nodeIdRanges } from '../../src/extension/diagnostics/nodeRanges';
import { locateModelProblems } from '../../src/extension/model/modelProblems';
import { quickFixToEdit } from '../../src/core/quickFixEdit';
import { describeRun, parseRunRecord, runBelongsTo } from '../../src/extension/tree/runRecords';
import { applyModelEdit } from '../../src/core/applyModelEdit';
import { parseModelText, serializeModel } from '../../src/core/loader';
import { createModelFromTemplate } from '../../src/core/templates';
import type { ModelEdit } from '../../src/core/modelEdit';

test('minimalReplacements reproduces the new text and touches only what changed', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['abc', 'abc'],
    ['', 'new'],
    ['old', ''],
    ['a\nb\nc\nd\n', 'a\nB\nc\nd\nE\n'],
    ['one\ntwo\nthree\n', 'zero\none\nthree\n'],
    ['x😀y', 'x😁y'],
    ['same start\nmiddle\nsame end\n', 'same start\nother\nlines\nsame end\n'],
  ];
  for (const [a, b] of cases) {
    const r = minimalReplacements(a, b);
    assert.equal(applyReplacements(a, r), b, JSON.stringify([a, b, r]));
    for (let i = 1; i < r.length; i++) assert.ok(r[i]!.start >= r[i - 1]!.end, 'ascending and non-overlapping');
  }
  assert.deepEqual(minimalReplacements('abc', 'abc'), []);
  // A surrogate pair is replaced whole, never split.
  const [emoji] = minimalReplacements('x😀y', 'x😁y');
  assert.equal(emoji!.text, '😁');
});

test('minimalReplacements agrees with the texts on random line edits', () => {
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let round = 0; round < 200; round++) {
    const lines = Array.from({ length: 3 + rand(12) }, () => `line ${rand(6)}\n`);
    const changed = [...lines];
    for (let k = 0; k < 1 + rand(3); k++) {
      const op = rand(3);
      const at = rand(changed.length + 1);
      if (op === 0) changed.splice(at, 0, `new ${rand(9)}\n`);
      else if (op === 1 && changed.length > 1) changed.splice(Math.min(at, changed.length - 1), 1);
      else changed[Math.min(at, changed.length - 1)] = `edited ${rand(9)}\n`;
    }
    const a = lines.join('');
    const b = changed.join('');
    assert.equal(applyReplacements(a, minimalReplacements(a, b)), b);
  }
});

test('inserting a layer between two Dense layers is two small replacements of the canonical text', () => {
  const text = serializeModel(createModelFromTemplate('tutorial-cifar', 'cifar'));
  const dense = parseModelText(text).model!.nodes.filter((n) => n.type === 'Dense');
  assert.ok(dense.length >= 2);
  const edit: ModelEdit = {
    kind: 'addNode',
    node: { id: 'dropout1', type: 'Dropout', params: { rate: 0.5 }, inputs: [] },
    insertOnEdge: { from: dense[0]!.id, to: dense[1]!.id },
  };
  const r = modelEditToReplacements(text, edit);
  const after = applyReplacements(text, r);
  assert.equal(after, serializeModel(applyModelEdit(parseModelText(text).model!, edit)));
  assert.equal(r.length, 2, JSON.stringify(r));
  const replaced = r.reduce((sum, x) => sum + (x.end - x.start), 0);
  assert.ok(replaced < 20, `replaced ${replaced} characters`);
  assert.ok(r.every((x) => x.text.length < 150));
  assert.deepEqual(modelEditToReplacements(text, { kind: 'setName', name: 'cifar' }), [], 'no change, no edit');
});

test('a broken model text is never edited: the error names the problem', () => {
  assert.throws(() => modelEditToReplacements('{ "format": ', { kind: 'setName', name: 'x' }), (e: unknown) => e instanceof Error && /JSON/.test(e.message));
});

test('nodeIdRanges finds each node\'s "id" property, whatever the formatting', () => {
  const text = '{"nodes":[{"type":"Input","id":"in"},\n  { "id" :  "dense",  "type": "Dense"}], "name": "in"}';
  const ranges = nodeIdRanges(text);
  assert.equal(text.slice(ranges.get('in')!.start, ranges.get('in')!.end), '"id":"in"');
  assert.equal(text.slice(ranges.get('dense')!.start, ranges.get('dense')!.end), '"id" :  "dense"');
  assert.equal(nodeIdRanges('not json').size, 0);
});

test('located problems: node problems on the node, syntax errors where the syntax breaks', () => {
  const model = createModelFromTemplate('tutorial-cifar', 'cifar');
  const flatten = model.nodes.find((n) => n.type === 'Flatten')!;
  const broken = applyModelEdit(model, { kind: 'removeNodes', ids: [flatten.id] });
  const text = serializeModel(broken);
  const problems = locateModelProblems(text);
  const dense = problems.find((p) => p.diagnostic.code === 'dense-on-4d');
  assert.ok(dense, JSON.stringify(problems.map((p) => p.diagnostic.code)));
  assert.match(text.slice(dense.range.start, dense.range.end), /^"id": "/);
  assert.ok(text.slice(dense.range.start, dense.range.end).includes(dense.diagnostic.nodeId!));
  // Its quick fix, applied, removes the problem.
  const fix = dense.diagnostic.fixes![0]!;
  const repaired = applyModelEdit(broken, quickFixToEdit(broken, fix)!);
  assert.ok(!locateModelProblems(serializeModel(repaired)).some((p) => p.diagnostic.code === 'dense-on-4d'));

  const syntax = '{\n  "format": "cnn-studio-model",\n  "nodes": [ oops ]\n}\n';
  const [first] = locateModelProblems(syntax);
  assert.equal(first!.diagnostic.code, 'invalid-json');
  assert.equal(syntax.slice(0, first!.range.start).split('\n').length, 3, 'on line 3');
});

test('runs are matched to their model by folder or recorded name', () => {
  const record = parseRunRecord(JSON.stringify({ runId: 'r1', modelName: 'My Net', status: 'finished', epochsCompleted: 3, epochsPlanned: 3, bestValAccuracy: 0.5 }), '/w/.cnn-studio/runs/my-net/r1');
  const run = { runDir: '/w/.cnn-studio/runs/my-net/r1', modelFolder: 'my-net', record };
  assert.ok(runBelongsTo(run, '/w/models/my-net.cnn.json', undefined));
  assert.ok(runBelongsTo(run, '/w/other.cnn.json', 'My Net'));
  assert.ok(!runBelongsTo(run, '/w/other.cnn.json', 'Other'));
  assert.ok(runBelongsTo({ ...run, modelFolder: 'My-Net', record: { runId: 'r2' } }, '/w/x.cnn.json', 'My Net'), 'the engine\'s folder name for the model name');
  assert.equal(describeRun(record), 'finished · 3/3 epochs · best val acc 50.0%');
  assert.equal(parseRunRecord('{broken', '/x/runs/m/r9').runId, 'r9', 'an unreadable record still lists by folder name');
});

test('nodeIdAtOffset names the node whose object holds the cursor (the text → designer selection)', async () => {
  const { nodeIdAtOffset } = await import('../../src/extension/diagnostics/nodeRanges');
  const text = '{"nodes":[{"id":"in","type":"Input"},\n  { "type": "Dense", "id" :  "dense" }], "name": "in"}';
  assert.equal(nodeIdAtOffset(text, text.indexOf('Input')), 'in');
  assert.equal(nodeIdAtOffset(text, text.indexOf('"Dense"')), 'dense', 'before its id property, still inside its object');
  assert.equal(nodeIdAtOffset(text, text.indexOf('"name"')), undefined, 'outside the nodes');
  assert.equal(nodeIdAtOffset('{ broken', 3), undefined);
});
