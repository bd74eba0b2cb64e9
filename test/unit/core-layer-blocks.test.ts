/**
 * Block detection (core/layerBlocks.ts): the blocks a 100+-layer model collapses into in the designer.
 * Keras-named imports (MobileNet, ResNet50, MobileNetV2, old ResNet) are grouped by their names; a
 * hand-made model by back-to-back repeats of one type sequence. Every block is a run of layers with no
 * path out and back in (collapsing it never makes a cycle).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelNode } from '../../src/core/format';
import { ModelGraph } from '../../src/core/graph';
import { blockNameKey, blockTypeSummary, detectLayerBlocks, type LayerBlock } from '../../src/core/layerBlocks';
import { mobileNetLikeNodes, resNetLikeNodes } from '../fixtures/largeModels';

/** No edge leaves the block and a path from outside comes back into it. */
function assertConvex(graph: ModelGraph, block: LayerBlock): void {
  const inside = new Set(block.members);
  for (const id of block.members) {
    for (const out of graph.consumersOf(id)) {
      if (inside.has(out)) continue;
      for (const other of block.members) assert.ok(!graph.reaches(out, other), `${block.name}: ${id} → ${out} (outside) reaches ${other} inside`);
    }
  }
}

const chain = (specs: [string, string][]): ModelNode[] =>
  specs.map(([id, type], i): ModelNode => {
    const params: ModelNode['params'] = type === 'Input' ? { shape: [28, 28, 1] } : type === 'Activation' ? { activation: 'relu' } : {};
    return { id, type, params, inputs: i === 0 ? [] : [specs[i - 1]![0]] };
  });

test('a MobileNet-like import: the stem and one block per depthwise-separable stage, named as Keras names them', () => {
  const graph = new ModelGraph(mobileNetLikeNodes());
  const blocks = detectLayerBlocks(graph);
  assert.equal(graph.byId.size, 106);
  assert.deepEqual(blocks.map((b) => b.name), ['conv1', ...Array.from({ length: 16 }, (_, i) => `conv_*_${i + 1}`)]);
  assert.deepEqual(blocks[0]!.members, ['conv1', 'conv1_bn', 'conv1_relu']);
  assert.deepEqual(blocks[5]!.members, ['conv_dw_5', 'conv_dw_5_bn', 'conv_dw_5_relu', 'conv_pw_5', 'conv_pw_5_bn', 'conv_pw_5_relu']);
  assert.ok(blocks.every((b) => b.source === 'names'));
  assert.equal(blockTypeSummary(blocks[5]!, graph), 'DepthwiseConv·BN·ReLU·Conv2D·BN·ReLU');
  assert.equal(blocks[5]!.id, 'group:conv_dw_5');
  // Collapsed: the input, 17 block cards and the 6 head layers.
  const grouped = new Set(blocks.flatMap((b) => b.members));
  assert.equal(graph.byId.size - grouped.size + blocks.length, 24);
  for (const b of blocks) assertConvex(graph, b);
});

test('a ResNet50-like import: one block per residual block, shortcut and Add inside, stage-by-stage names', () => {
  const graph = new ModelGraph(resNetLikeNodes());
  const blocks = detectLayerBlocks(graph);
  const names = blocks.map((b) => b.name);
  assert.equal(names[0], 'conv1…', 'the stem (conv1_* and pool1_*)');
  const expected = [[2, 3], [3, 4], [4, 6], [5, 3]].flatMap(([s, n]) => Array.from({ length: n! }, (_, b) => `conv${s}_block${b + 1}`));
  assert.deepEqual(names.slice(1), expected);
  const first = blocks.find((b) => b.name === 'conv3_block1')!;
  assert.equal(first.members.length, 12, 'projection shortcut, three convs, Add and out');
  assert.ok(first.members.includes('conv3_block1_0_conv') && first.members.includes('conv3_block1_add') && first.members.includes('conv3_block1_out'));
  assert.equal(blocks.find((b) => b.name === 'conv3_block2')!.members.length, 10);
  for (const b of blocks) assertConvex(graph, b);
  // Collapsed, the 177 layers read as 20 cards: input, stem, 16 blocks, pooling, classifier.
  const grouped = new Set(blocks.flatMap((b) => b.members));
  assert.equal(graph.byId.size, 177);
  assert.equal(graph.byId.size - grouped.size + blocks.length, 20);
});

test('Keras naming schemes: which ids name the same block', () => {
  const same = (a: string, b: string): boolean => blockNameKey(a)?.key === blockNameKey(b)?.key;
  assert.ok(same('block_3_expand', 'block_3_depthwise_BN'), 'MobileNetV2');
  assert.ok(!same('block_3_project', 'block_4_expand'));
  assert.ok(same('conv_dw_5', 'conv_pw_5_relu'), 'MobileNet v1: depthwise and pointwise halves');
  assert.ok(same('res2a_branch2a', 'bn2a_branch2c'), 'old ResNet names');
  assert.ok(!same('res2a_branch1', 'res2b_branch2a'));
  assert.ok(same('conv4_block6_3_bn', 'conv4_block6_out'), 'ResNet50');
  assert.ok(!same('conv4_block5_out', 'conv4_block6_1_conv'));
  assert.ok(same('block1a_dwconv', 'block1a_se_squeeze'), 'EfficientNet');
  assert.equal(blockNameKey('conv2d'), null, 'a type name is no counter');
  assert.equal(blockNameKey('max_pooling2d'), null);
  assert.equal(blockNameKey('flatten'), null);
});

test('old ResNet names: the unnamed activation_N between a block\'s layers is taken into the block', () => {
  const graph = new ModelGraph(chain([
    ['input_1', 'Input'],
    ['res2a_branch2a', 'Conv2D'], ['bn2a_branch2a', 'BatchNormalization'], ['activation_1', 'Activation'],
    ['res2a_branch2b', 'Conv2D'], ['bn2a_branch2b', 'BatchNormalization'], ['activation_2', 'Activation'],
    ['res2b_branch2a', 'Conv2D'], ['bn2b_branch2a', 'BatchNormalization'], ['activation_3', 'Activation'],
    ['res2b_branch2b', 'Conv2D'], ['bn2b_branch2b', 'BatchNormalization'],
    ['flatten', 'Flatten'], ['dense', 'Dense'],
  ]));
  const blocks = detectLayerBlocks(graph);
  assert.deepEqual(blocks.map((b) => [b.name, b.members.length]), [['res2a…', 5], ['res2b…', 5]]);
  assert.ok(blocks[0]!.members.includes('activation_1'), 'between two of the block\'s layers');
  assert.ok(!blocks.some((b) => b.members.includes('activation_2')), 'after the block: it could as well start the next');
});

test('a hand-made model: back-to-back repeats of one type sequence become one block each', () => {
  const ids = ['input', 'conv_a', 'norm_a', 'relu_a', 'pool_a', 'conv_b', 'norm_b', 'relu_b', 'pool_b', 'conv_c', 'norm_c', 'relu_c', 'pool_c', 'flatten', 'dense', 'output'];
  const types = ['Input', 'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense'];
  const graph = new ModelGraph(chain(ids.map((id, i) => [id, types[i]!])));
  const blocks = detectLayerBlocks(graph);
  assert.deepEqual(blocks.map((b) => b.name), ['Block 1 of 3', 'Block 2 of 3', 'Block 3 of 3']);
  assert.deepEqual(blocks[1]!.members, ['conv_b', 'norm_b', 'relu_b', 'pool_b']);
  assert.equal(blockTypeSummary(blocks[0]!, graph), 'Conv2D·BN·ReLU·MaxPooling2D');
  assert.ok(blocks.every((b) => b.source === 'repeats'));
});

test('a layer named without a counter ends a named block (the template ids conv3, pool3, flatten, dense3)', () => {
  const graph = new ModelGraph(chain([['input', 'Input'], ['conv3', 'Conv2D'], ['pool3', 'MaxPooling2D'], ['flatten', 'Flatten'], ['dense3', 'Dense'], ['output', 'Dense']]));
  assert.deepEqual(detectLayerBlocks(graph).map((b) => b.members), [['conv3', 'pool3']]);
});

test('nothing repeats, nothing is grouped', () => {
  const graph = new ModelGraph(chain([['input', 'Input'], ['conv', 'Conv2D'], ['flatten', 'Flatten'], ['output', 'Dense']]));
  assert.deepEqual(detectLayerBlocks(graph), []);
});
