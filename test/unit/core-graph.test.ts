// ModelGraph (src/core/graph.ts), the one place graph questions are answered: the analysis, code
// generation, edits, the engine's feature maps and the designer all read the model through it.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ModelNode } from '../../src/core/format';
import { ModelGraph } from '../../src/core/graph';

const n = (id: string, inputs: string[] = [], type = 'Dense'): ModelNode => ({ id, type, params: {}, inputs });

test('the order puts every node after its inputs and otherwise keeps file order', () => {
  const inOrder = new ModelGraph([n('in', [], 'Input'), n('a', ['in']), n('b', ['a']), n('c', ['a']), n('add', ['b', 'c'], 'Add')]);
  assert.deepEqual(inOrder.topologicalOrder(), { order: ['in', 'a', 'b', 'c', 'add'], unordered: [] });
  // Written out of order: a node waits for its inputs; among the ready ones the earliest in the file goes first.
  const shuffled = new ModelGraph([n('in', [], 'Input'), n('late', ['x']), n('x', ['in']), n('y', ['in'])]);
  assert.deepEqual(shuffled.topologicalOrder().order, ['in', 'x', 'late', 'y']);
});

test('a node reading one input twice waits for it once; readers are listed once', () => {
  const g = new ModelGraph([n('in', [], 'Input'), n('a', ['in']), n('sum', ['a', 'a'], 'Add')]);
  assert.deepEqual(g.topologicalOrder().order, ['in', 'a', 'sum']);
  assert.deepEqual(g.consumersOf('a'), ['sum']);
  assert.deepEqual(g.inputsOf('sum'), ['a', 'a']);
  assert.deepEqual(g.edges.map((e) => `${e.from}>${e.to}#${e.index}`), ['in>a#0', 'a>sum#0', 'a>sum#1']);
});

test('cycles: their nodes and what follows them stay unordered, and cycles() names each loop', () => {
  const g = new ModelGraph([n('in', [], 'Input'), n('a', ['in', 'c']), n('b', ['a']), n('c', ['b']), n('after', ['c']), n('self', ['self'])]);
  const { order, unordered } = g.topologicalOrder();
  assert.deepEqual(order, ['in']);
  assert.deepEqual(unordered, ['a', 'b', 'c', 'after', 'self']);
  assert.deepEqual(g.cycles(unordered), [['a', 'b', 'c'], ['self']]);
  assert.equal(g.reaches('a', 'c'), true);
  assert.equal(g.reaches('after', 'a'), false);
});

test('half-edited graphs: dangling inputs are left out, the first of two equal ids wins, a missing input list reads as empty', () => {
  const broken = { id: 'nolist', type: 'Dense', params: {} } as unknown as ModelNode;
  const g = new ModelGraph([n('in', [], 'Input'), n('a', ['in', 'ghost']), n('a', ['zzz']), broken]);
  assert.deepEqual(g.inputsOf('a'), ['in']);
  assert.equal(g.byId.get('a')!.inputs[1], 'ghost');
  assert.deepEqual(g.inputsOf('nolist'), []);
  assert.deepEqual(g.sinks(), ['a', 'nolist']);
  assert.deepEqual(g.inputIds(), ['in']);
  assert.deepEqual(g.topologicalOrder().order, ['in', 'a', 'nolist']);
});
