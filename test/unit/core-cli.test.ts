// The `new`, `summary` and `validate` commands, run as a real process from a bundle built like
// dist/cli.js (built here with esbuild into a temp folder, so the test never depends on a stale dist/).
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bundledCli } from './cliProcess.helpers';

const { tmp, run } = bundledCli('cnn-cli-');

test('new tutorial-cifar + summary prints the Keras-style table with 124,810 params', () => {
  const created = run('new', 'tutorial-cifar', 'm.cnn.json');
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /Created m\.cnn\.json from template 'tutorial-cifar' \(11 layers, 124,810 params\)/);
  const s = run('summary', 'm.cnn.json');
  assert.equal(s.code, 0, s.stderr);
  assert.equal(s.stderr, '');
  const lines = s.stdout.split('\n');
  assert.equal(lines[0], 'Model: "m"');
  assert.equal(lines[1], '_'.repeat(98));
  assert.equal(lines[2], ' Layer (type)                Output Shape                 Param #   Connected to');
  assert.ok(lines.includes(' input (InputLayer)          [(None, 32, 32, 3)]          0         []'));
  assert.ok(lines.includes(" conv1 (Conv2D)              (None, 30, 30, 32)           896       ['input[0][0]']"));
  assert.ok(lines.includes(" output (Dense)              (None, 10)                   2570      ['dense2[0][0]']"));
  assert.ok(lines.includes('Total params: 124,810 (487.54 KB)'));
  assert.ok(lines.includes('Trainable params: 124,810 (487.54 KB)'));
  assert.ok(lines.includes('Non-trainable params: 0 (0.00 Byte)'));
});

test('new refuses to overwrite without --force, and lists the templates for an unknown id', () => {
  writeFileSync(join(tmp, 'keep.cnn.json'), 'precious');
  const refused = run('new', 'lenet5', 'keep.cnn.json');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /keep\.cnn\.json already exists; pass --force to overwrite it/);
  assert.equal(readFileSync(join(tmp, 'keep.cnn.json'), 'utf8'), 'precious');
  const forced = run('new', 'lenet5', 'keep.cnn.json', '--force');
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(join(tmp, 'keep.cnn.json'), 'utf8'), /"name": "keep"/);
  const unknown = run('new', 'alexnet', 'x.cnn.json');
  assert.equal(unknown.code, 2);
  for (const id of ['tutorial-cifar', 'lenet5', 'mnist-small', 'vgg-mini', 'resnet-mini', 'mobilenet-mini']) assert.ok(unknown.stderr.includes(id), id);
  assert.ok(!unknown.stderr.includes('    at '), 'no stack trace');
});

test('new --data points the model at an image folder: relative path, Input-sized, output resized to its classes', () => {
  const made = run('make-dataset', 'shapes', 'sets/shapes', '--per-class', '4', '--size', '28');
  assert.equal(made.code, 0, made.stderr);
  const created = run('new', 'mnist-small', 'models/shapes.cnn.json', '--data', 'sets/shapes');
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /Trains on \.\.\/sets\/shapes \(3 classes: circle, square, triangle, output resized to 3 units\)/);
  const model = JSON.parse(readFileSync(join(tmp, 'models/shapes.cnn.json'), 'utf8')) as { dataset: unknown; nodes: { id: string; params: Record<string, unknown> }[] };
  assert.deepEqual(model.dataset, { kind: 'imageFolder', path: '../sets/shapes', imageSize: [28, 28], colorMode: 'grayscale' });
  assert.equal(model.nodes.find((n) => n.id === 'output')?.params['units'], 3);
  const checked = run('validate', 'models/shapes.cnn.json');
  assert.equal(checked.code, 0, checked.stdout + checked.stderr);

  const missing = run('new', 'mnist-small', 'm2.cnn.json', '--data', 'no-such-folder');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /The image folder 'no-such-folder' does not exist/);
  assert.ok(!missing.stderr.includes('    at '), 'no stack trace');
  assert.throws(() => readFileSync(join(tmp, 'm2.cnn.json')), 'nothing written for a bad folder');
});

test('summary --json has exactly the documented fields', () => {
  run('new', 'resnet-mini', 'r.cnn.json');
  const s = run('summary', 'r.cnn.json', '--json');
  assert.equal(s.code, 0, s.stderr);
  const j = JSON.parse(s.stdout);
  assert.deepEqual(Object.keys(j).sort(), ['diagnostics', 'flops', 'nodes', 'nonTrainableParams', 'totalParams', 'trainableParams']);
  assert.deepEqual(Object.keys(j.nodes[0]).sort(), ['flops', 'id', 'outputShape', 'params', 'trainableParams', 'type']);
  assert.deepEqual(j.nodes[0].outputShape, [32, 32, 3]);
  assert.equal(j.totalParams, j.trainableParams + j.nonTrainableParams);
  assert.ok(j.nonTrainableParams > 0, 'BatchNormalization moving statistics');
  assert.deepEqual(j.diagnostics, []);
});

test('validate: OK and exit 0 for a good file; compiler-style lines and exit 1 for errors', () => {
  run('new', 'mnist-small', 'v.cnn.json');
  const ok = run('validate', 'v.cnn.json');
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout, 'v.cnn.json: OK, no problems found.\n');
  const text = readFileSync(join(tmp, 'v.cnn.json'), 'utf8').replace('"shape": [28, 28, 1]', '"shape": [10, 10, 1]');
  writeFileSync(join(tmp, 'bad.cnn.json'), text);
  const bad = run('validate', 'bad.cnn.json');
  assert.equal(bad.code, 1);
  assert.ok(
    bad.stdout.includes(
      "bad.cnn.json: error [kernel-too-large] node 'conv2': Conv2D 'conv2' has a 5×5 kernel with 'valid' padding but its input is 3×3: use padding 'same' or remove a pooling layer before it.",
    ),
    bad.stdout,
  );
  assert.match(bad.stdout, /bad\.cnn\.json: error \[dataset-shape-mismatch\] node 'input'/);
  assert.match(bad.stdout, /bad\.cnn\.json: 2 errors\.\n$/);
  const json = run('validate', 'bad.cnn.json', '--json');
  assert.equal(json.code, 1);
  const j = JSON.parse(json.stdout);
  assert.equal(j.valid, false);
  assert.ok(j.diagnostics.some((d: { code: string; fixes?: unknown[] }) => d.code === 'kernel-too-large' && d.fixes?.length === 1));
  const classes = run('validate', 'v.cnn.json', '--classes', '3');
  assert.equal(classes.code, 1);
  assert.match(classes.stdout, /\[output-units-vs-classes\] node 'output'/);
});

test('validate and summary on broken or missing files: clear messages, no stack traces', () => {
  writeFileSync(join(tmp, 'broken.cnn.json'), '{\n  "format": "cnn-studio-model",\n  "nodes": [\n}');
  const v = run('validate', 'broken.cnn.json');
  assert.equal(v.code, 1);
  assert.match(v.stdout, /broken\.cnn\.json: error \[invalid-json\]: The file is not valid JSON at line 4, column 1/);
  const s = run('summary', 'broken.cnn.json');
  assert.equal(s.code, 1);
  assert.match(s.stderr, /cannot summarise/);
  const missing = run('summary', 'nope.cnn.json');
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, "cnn-studio summary: No such file: nope.cnn.json. Create a model with 'cnn-studio new tutorial-cifar nope.cnn.json'.\n");
  writeFileSync(join(tmp, 'future.cnn.json'), '{"format":"cnn-studio-model","formatVersion":2}');
  assert.match(run('validate', 'future.cnn.json').stdout, /newer CNN Studio \(format version 2\); update the extension to open it/);
});
