// One test per diagnostic class of analyzeModel: the code, the node, the severity, a message that names
// the fix, and the quick fix where there is an obvious one.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ModelAnalysis } from '../../src/core/analysis';
import type { Diagnostic, DiagnosticCode } from '../../src/core/diagnostics';
import { DEFAULT_COMPILE, DEFAULT_TRAINING, type LayerParams, type LossName, type ModelFile, type ModelNode } from '../../src/core/format';
import { analyzeModel } from '../../src/core/shapeInference';
import { createModelFromTemplate } from '../../src/core/templates';

type Spec = [id: string, type: string, params?: LayerParams, inputs?: string[]];

/** A model from [id, type, params, inputs] rows; inputs default to the previous row. */
function model(rows: Spec[], loss: LossName = 'sparseCategoricalCrossentropy'): ModelFile {
  const nodes: ModelNode[] = rows.map(([id, type, params = {}, inputs], i) => ({
    id,
    type,
    params,
    inputs: inputs ?? (i === 0 ? [] : [rows[i - 1]![0]]),
  }));
  return { format: 'cnn-studio-model', formatVersion: 1, name: 't', nodes, compile: { ...DEFAULT_COMPILE, loss }, training: DEFAULT_TRAINING };
}

const head: Spec[] = [
  ['input', 'Input', { shape: [8, 8, 1] }],
  ['conv1', 'Conv2D', { filters: 4, kernelSize: [3, 3] }],
];
const tail: Spec[] = [
  ['flatten', 'Flatten'],
  ['output', 'Dense', { units: 10, activation: 'softmax' }],
];

function only(a: ModelAnalysis, code: DiagnosticCode): Diagnostic {
  const found = a.diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one '${code}', got: ${JSON.stringify(a.diagnostics, null, 1)}`);
  return found[0]!;
}

function noErrorsBut(a: ModelAnalysis, ...codes: DiagnosticCode[]): void {
  const other = a.diagnostics.filter((d) => d.severity === 'error' && !codes.includes(d.code));
  assert.deepEqual(other, [], 'unexpected errors');
}

test('a valid chain has no diagnostics', () => {
  const a = analyzeModel(model([...head, ...tail]), { numClasses: 10 });
  assert.deepEqual(a.diagnostics, []);
  assert.deepEqual(a.outputIds, ['output']);
  assert.deepEqual(a.inputIds, ['input']);
  assert.deepEqual(a.order, ['input', 'conv1', 'flatten', 'output']);
});

test('kernel-too-large: the exact message with the fix', () => {
  const a = analyzeModel(
    model([
      ['input', 'Input', { shape: [10, 10, 1] }],
      ['conv1', 'Conv2D', { filters: 4, kernelSize: [3, 3] }],
      ['pool1', 'MaxPooling2D', { poolSize: [2, 2] }],
      ['conv2', 'Conv2D', { filters: 4, kernelSize: [3, 3] }],
      ['conv3', 'Conv2D', { filters: 4, kernelSize: [3, 3] }],
      ...tail,
    ]),
  );
  const d = only(a, 'kernel-too-large');
  assert.equal(d.nodeId, 'conv3');
  assert.equal(d.severity, 'error');
  assert.equal(
    d.message,
    "Conv2D 'conv3' has a 3×3 kernel with 'valid' padding but its input is 2×2: use padding 'same' or remove a pooling layer before it.",
  );
  assert.deepEqual(d.fixes, [{ kind: 'setParam', title: "Use padding 'same'", nodeId: 'conv3', param: 'padding', value: 'same' }]);
  assert.equal(a.nodes.get('conv3')!.outputShape, null);
  assert.deepEqual(a.nodes.get('conv2')!.outputShape, [2, 2, 4], 'nodes before the bad one are analysed');
  noErrorsBut(a, 'kernel-too-large');
});

test('kernel-too-large also for a pooling window', () => {
  const a = analyzeModel(model([['input', 'Input', { shape: [1, 1, 3] }], ['pool1', 'MaxPooling2D'], ...tail]));
  assert.match(only(a, 'kernel-too-large').message, /MaxPooling2D 'pool1' has a 2×2 window with 'valid' padding but its input is 1×1: use padding 'same' or remove it/);
});

test('dimension-zero when cropping everything', () => {
  const a = analyzeModel(model([...head, ['crop', 'Cropping2D', { cropping: [[3, 3], [0, 0]] }], ...tail]));
  const d = only(a, 'dimension-zero');
  assert.equal(d.nodeId, 'crop');
  assert.match(d.message, /crops 6 of 6 rows.*crop less/);
});

test('dense-on-4d is a warning with an insert-Flatten quick fix', () => {
  const a = analyzeModel(model([...head, ['dense1', 'Dense', { units: 5 }], ...tail]));
  const d = only(a, 'dense-on-4d');
  assert.equal(d.severity, 'warning');
  assert.equal(d.nodeId, 'dense1');
  assert.match(d.message, /add a Flatten/);
  assert.deepEqual(d.fixes, [{ kind: 'insertLayer', title: 'Insert a Flatten before it', afterNodeId: 'conv1', layerType: 'Flatten' }]);
  assert.deepEqual(a.nodes.get('dense1')!.outputShape, [6, 6, 5], 'the shape tfjs gives');
});

test('output-units-vs-classes with a setParam units fix', () => {
  const a = analyzeModel(model([...head, ...tail]), { numClasses: 7 });
  const d = only(a, 'output-units-vs-classes');
  assert.equal(d.nodeId, 'output');
  assert.match(d.message, /has 10 unit\(s\), but the dataset has 7 classes: set units to 7/);
  assert.deepEqual(d.fixes, [{ kind: 'setParam', title: "Set units of 'output' to 7", nodeId: 'output', param: 'units', value: 7 }]);
});

test('softmax-loss-mismatch: sparse cross-entropy needs softmax', () => {
  const a = analyzeModel(model([...head, ['flatten', 'Flatten'], ['output', 'Dense', { units: 10, activation: 'relu' }]]));
  const d = only(a, 'softmax-loss-mismatch');
  assert.equal(d.nodeId, 'output');
  assert.match(d.message, /uses activation 'relu', but sparseCategoricalCrossentropy expects class probabilities: set its activation to 'softmax'/);
  assert.deepEqual(d.fixes?.[0], { kind: 'setParam', title: "Set the activation of 'output' to softmax", nodeId: 'output', param: 'activation', value: 'softmax' });
});

test('softmax-loss-mismatch: binary cross-entropy needs one sigmoid unit', () => {
  const soft = analyzeModel(model([...head, ...tail], 'binaryCrossentropy'));
  const d = only(soft, 'softmax-loss-mismatch');
  assert.match(d.message, /softmax over 10 classes, but binaryCrossentropy needs 1 sigmoid unit/);
  assert.deepEqual(d.fixes, [{ kind: 'setCompile', title: 'Use sparseCategoricalCrossentropy', field: 'loss', value: 'sparseCategoricalCrossentropy' }]);
  const linear = analyzeModel(model([...head, ['flatten', 'Flatten'], ['output', 'Dense', { units: 1, activation: 'linear' }]], 'binaryCrossentropy'));
  assert.equal(only(linear, 'softmax-loss-mismatch').fixes?.[0]?.kind, 'setParam');
  const good = analyzeModel(model([...head, ['flatten', 'Flatten'], ['output', 'Dense', { units: 1, activation: 'sigmoid' }]], 'binaryCrossentropy'), { numClasses: 2 });
  assert.deepEqual(good.diagnostics, []);
  // The activation may sit before a Dropout at the end.
  const dropped = analyzeModel(model([...head, ...tail, ['drop', 'Dropout', { rate: 0.1 }]]));
  assert.deepEqual(dropped.diagnostics, []);
});

test('rank-mismatch: Conv2D after Flatten, Flatten on a vector, a 3-D output for a classifier', () => {
  const conv = analyzeModel(model([...head, ['flatten', 'Flatten'], ['conv2', 'Conv2D'], ['output', 'Dense', { units: 10, activation: 'softmax' }]]));
  assert.match(only(conv, 'rank-mismatch').message, /Conv2D 'conv2' needs a 3-D input \[height, width, channels\] but gets \[144\] from 'flatten'/);
  const flat = analyzeModel(model([...head, ...tail, ['flatten2', 'Flatten']]));
  const d = only(flat, 'rank-mismatch');
  assert.equal(d.nodeId, 'flatten2');
  assert.deepEqual(d.fixes, [{ kind: 'removeNode', title: "Remove 'flatten2'", nodeId: 'flatten2' }]);
  const out = analyzeModel(model([...head, ['output', 'Conv2D', { filters: 10, activation: 'softmax' }]]));
  assert.match(only(out, 'rank-mismatch').message, /needs one vector of class scores per image/);
});

test('add-shape-mismatch names both shapes and suggests a 1×1 convolution', () => {
  const a = analyzeModel(
    model([
      ...head,
      ['conv2', 'Conv2D', { filters: 8, kernelSize: [3, 3], padding: 'same' }],
      ['add', 'Add', {}, ['conv1', 'conv2']],
      ...tail,
    ]),
  );
  const d = only(a, 'add-shape-mismatch');
  assert.equal(d.nodeId, 'add');
  assert.equal(d.message, "Add 'add' needs inputs of the same shape, but gets [6, 6, 4] from 'conv1' and [6, 6, 8] from 'conv2': match the channels, e.g. with a 1×1 Conv2D of 8 filters on the shortcut.");
});

test('concat-shape-mismatch on mismatched height and width', () => {
  const a = analyzeModel(
    model([...head, ['pool1', 'MaxPooling2D'], ['cat', 'Concatenate', {}, ['conv1', 'pool1']], ...tail]),
  );
  const d = only(a, 'concat-shape-mismatch');
  assert.match(d.message, /joins along channels, so the inputs must agree in height and width, but gets \[6, 6, 4\] from 'conv1' and \[3, 3, 4\] from 'pool1'/);
  // Along the height axis the same inputs are still wrong; channels-only differences are fine.
  const ok = analyzeModel(model([...head, ['conv2', 'Conv2D', { filters: 2, padding: 'same' }], ['cat', 'Concatenate', { axis: -1 }, ['conv1', 'conv2']], ...tail]));
  noErrorsBut(ok);
  assert.deepEqual(ok.nodes.get('cat')!.outputShape, [6, 6, 6]);
});

test('reshape-size-mismatch', () => {
  const a = analyzeModel(model([...head, ['reshape', 'Reshape', { targetShape: [5, -1] }], ...tail]));
  const d = only(a, 'reshape-size-mismatch');
  assert.match(d.message, /cannot turn \[6, 6, 4\] \(144 values\) into \[5, -1\]: 144 is not divisible by 5/);
});

test('bad-param: range, type and enum errors, with corrected values as fixes', () => {
  const a = analyzeModel(
    model([
      ['input', 'Input', { shape: [8, 8, 1] }],
      ['conv1', 'Conv2D', { filters: 0, kernelSize: 3, activation: 'Relu' }],
      ...tail,
    ]),
  );
  const bad = a.diagnostics.filter((d) => d.code === 'bad-param');
  assert.equal(bad.length, 3, JSON.stringify(bad));
  const byParam = (p: string): Diagnostic => bad.find((d) => d.message.includes(`: ${p} `))!;
  assert.equal(byParam('filters').message, "Conv2D 'conv1': filters is 0, but must be a whole number from 1 to 8192 (e.g. 1).");
  assert.deepEqual(byParam('kernelSize').fixes?.[0], { kind: 'setParam', title: 'Set kernelSize to [3,3]', nodeId: 'conv1', param: 'kernelSize', value: [3, 3] });
  assert.equal(byParam('activation').fixes?.[0]?.kind, 'setParam');
  assert.equal((byParam('activation').fixes?.[0] as { value: unknown }).value, 'relu');
  assert.equal(a.nodes.get('conv1')!.outputShape, null);
});

test('unknown-param is a warning that suggests the right spelling', () => {
  const a = analyzeModel(model([['input', 'Input', { shape: [8, 8, 1] }], ['conv1', 'Conv2D', { kernel_size: [3, 3] }], ...tail]));
  const d = only(a, 'unknown-param');
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /unknown param 'kernel_size', which is ignored: remove it\. Did you mean 'kernelSize'\?/);
  assert.deepEqual(a.nodes.get('conv1')!.outputShape, [6, 6, 32]);
});

test('duplicate-id', () => {
  const a = analyzeModel(model([...head, ['conv1', 'Conv2D'], ...tail]));
  const d = only(a, 'duplicate-id');
  assert.match(d.message, /Two nodes have the id 'conv1' \(nodes 2 and 3\): rename one/);
});

test('invalid-id: a node id tfjs cannot use as a layer name loads, and is reported with a suggestion', () => {
  const a = analyzeModel(model([['input', 'Input', { shape: [8, 8, 1] }], ['conv 1', 'Conv2D'], ...tail.map(([id, type, p]): Spec => [id, type, p, id === 'flatten' ? ['conv 1'] : undefined])]));
  const d = only(a, 'invalid-id');
  assert.equal(d.nodeId, 'conv 1');
  assert.match(d.message, /The node id 'conv 1' cannot be a layer name: .* \(e\.g\. 'conv_1'\); rename it\./);
  assert.deepEqual(a.nodes.get('output')!.outputShape, [10]);
});

test('unknown-layer suggests the right type and does not stop the rest', () => {
  const a = analyzeModel(
    model([
      ['input', 'Input', { shape: [8, 8, 1] }],
      ['conv1', 'conv2d'],
      ['branch', 'Conv2D', {}, ['input']],
      ['flatten', 'Flatten', {}, ['branch']],
      ['output', 'Dense', { units: 10, activation: 'softmax' }, ['flatten']],
    ]),
  );
  const d = only(a, 'unknown-layer');
  assert.equal(d.nodeId, 'conv1');
  assert.match(d.message, /Did you mean 'Conv2D'\?/);
  assert.deepEqual(a.nodes.get('output')!.outputShape, [10], 'the healthy branch is analysed');
});

test('unknown-input', () => {
  const a = analyzeModel(model([...head, ['flatten', 'Flatten', {}, ['conv9']], ['output', 'Dense', { units: 10, activation: 'softmax' }]]));
  const d = only(a, 'unknown-input');
  assert.equal(d.nodeId, 'flatten');
  assert.match(d.message, /reads from 'conv9', but no node has that id/);
  assert.ok(!a.diagnostics.some((x) => x.code === 'multiple-outputs'), "conv1's lost consumer is the same problem, not an extra output");
});

test('cycle: every node on it is reported and left out of the order', () => {
  const a = analyzeModel(
    model([
      ['input', 'Input', { shape: [8, 8, 1] }],
      ['a', 'Add', {}, ['input', 'c']],
      ['b', 'Conv2D', { filters: 1, padding: 'same' }, ['a']],
      ['c', 'Activation', {}, ['b']],
      ['flatten', 'Flatten', {}, ['c']],
      ['output', 'Dense', { units: 10, activation: 'softmax' }],
    ]),
  );
  const cycles = a.diagnostics.filter((d) => d.code === 'cycle');
  assert.deepEqual(cycles.map((d) => d.nodeId).sort(), ['a', 'b', 'c']);
  assert.match(cycles[0]!.message, /is part of a cycle .*→.*: remove one of these connections/);
  assert.deepEqual(a.order, ['input']);
  const self = analyzeModel(model([['input', 'Input'], ['x', 'Add', {}, ['input', 'x']], ['f', 'Flatten']]));
  assert.deepEqual(self.diagnostics.filter((d) => d.code === 'cycle').map((d) => d.nodeId), ['x']);
});

test('unconnected-node, missing-input and extra-input', () => {
  const a = analyzeModel(
    model([
      ...head,
      ['lonely', 'Dense', {}, []],
      ['flatten', 'Flatten', {}, ['conv1', 'input']],
      ['merge', 'Add', {}, ['flatten']],
      ['output', 'Dense', { units: 10, activation: 'softmax' }, ['merge']],
    ]),
  );
  const lonely = only(a, 'unconnected-node');
  assert.equal(lonely.nodeId, 'lonely');
  assert.deepEqual(lonely.fixes, [{ kind: 'removeNode', title: "Remove 'lonely'", nodeId: 'lonely' }]);
  assert.equal(only(a, 'extra-input').nodeId, 'flatten');
  assert.equal(only(a, 'missing-input').nodeId, 'merge');
  const noInput = analyzeModel(model([...head, ['flatten', 'Flatten', {}, []], ['output', 'Dense', { units: 10, activation: 'softmax' }]]));
  assert.match(only(noInput, 'missing-input').message, /Flatten 'flatten' has no input: connect a layer/);
  const inputWithInputs = analyzeModel(model([['input', 'Input', {}, ['x']], ['x', 'Flatten'], ['output', 'Dense', { units: 10, activation: 'softmax' }]]));
  assert.ok(inputWithInputs.diagnostics.some((d) => d.code === 'extra-input' && d.nodeId === 'input'));
});

test('multiple-outputs and no-input-layer', () => {
  const a = analyzeModel(model([...head, ['side', 'Conv2D', {}, ['conv1']], ['flatten', 'Flatten', {}, ['conv1']], ['output', 'Dense', { units: 10, activation: 'softmax' }]]));
  const d = only(a, 'multiple-outputs');
  assert.equal(d.nodeId, 'side');
  assert.match(d.message, /Nothing reads from 'side', so the model would have 2 outputs/);
  const none = analyzeModel(model([['flatten', 'Flatten', {}, []]]));
  assert.equal(only(none, 'no-input-layer').nodeId, null);
});

test('dataset-shape-mismatch with a fix that sets the Input shape', () => {
  const m = createModelFromTemplate('mnist-small');
  m.dataset = { kind: 'imageFolder', path: 'data', imageSize: [32, 32], colorMode: 'rgb' };
  const d = only(analyzeModel(m), 'dataset-shape-mismatch');
  assert.equal(d.nodeId, 'input');
  assert.deepEqual(d.fixes, [{ kind: 'setParam', title: 'Set the Input shape to [32, 32, 3]', nodeId: 'input', param: 'shape', value: [32, 32, 3] }]);
});

test('every template is free of diagnostics with 10 classes', () => {
  for (const id of ['tutorial-cifar', 'lenet5', 'mnist-small', 'vgg-mini', 'resnet-mini', 'mobilenet-mini']) {
    assert.deepEqual(analyzeModel(createModelFromTemplate(id), { numClasses: 10 }).diagnostics, [], id);
  }
});

test('after deleting the Flatten of tutorial-cifar, every dense-on-4d fix inserts the Flatten before the first Dense', async () => {
  const { createModelFromTemplate } = await import('../../src/core/templates');
  const { applyModelEdit } = await import('../../src/core/applyModelEdit');
  const { quickFixToEdit } = await import('../../src/core/quickFixEdit');
  const template = createModelFromTemplate('tutorial-cifar', 'cifar');
  const flatten = template.nodes.find((n) => n.type === 'Flatten')!;
  const broken = applyModelEdit(template, { kind: 'removeNodes', ids: [flatten.id] });
  const before = analyzeModel(broken);
  const warnings = before.diagnostics.filter((d) => d.code === 'dense-on-4d');
  assert.ok(warnings.length >= 2, `the Dense chain warns more than once (${warnings.map((d) => d.nodeId).join(', ')})`);
  const firstDense = before.order.find((id) => broken.nodes.find((n) => n.id === id)!.type === 'Dense')!;
  for (const d of warnings) {
    const fix = d.fixes![0]!;
    assert.ok(fix.kind === 'insertLayer');
    const repaired = applyModelEdit(broken, quickFixToEdit(broken, fix)!);
    const after = analyzeModel(repaired);
    assert.deepEqual(after.diagnostics.filter((x) => x.code === 'dense-on-4d'), [], `the fix of '${d.nodeId}' removes every dense-on-4d`);
    assert.equal(after.totals.params, analyzeModel(template).totals.params, `the fix of '${d.nodeId}' restores the template's parameter count`);
    const inserted = repaired.nodes.find((n) => n.type === 'Flatten')!;
    assert.deepEqual(repaired.nodes.find((n) => n.id === firstDense)!.inputs, [inserted.id], 'the Flatten feeds the first Dense');
  }
});

test('a Flatten fix on a layer with other readers lands only on the edge into the Dense', async () => {
  const { quickFixToEdit } = await import('../../src/core/quickFixEdit');
  const { applyModelEdit } = await import('../../src/core/applyModelEdit');
  const m = model([...head, ['dense1', 'Dense', { units: 5 }], ...tail]);
  // A second reader of conv1 (a pooling branch that ends in a GlobalAveragePooling joined by Concatenate would do; a side output is enough here).
  const conv = m.nodes.find((n) => n.id === 'conv1')!;
  m.nodes.push({ id: 'side', type: 'GlobalAveragePooling2D', params: {}, inputs: [conv.id] });
  const d = analyzeModel(m).diagnostics.find((x) => x.code === 'dense-on-4d')!;
  const fix = d.fixes![0]!;
  assert.ok(fix.kind === 'insertLayer' && fix.beforeNodeId === 'dense1', JSON.stringify(fix));
  const repaired = applyModelEdit(m, quickFixToEdit(m, fix)!);
  assert.deepEqual(repaired.nodes.find((n) => n.id === 'side')!.inputs, ['conv1'], 'the other reader keeps the feature maps');
});
