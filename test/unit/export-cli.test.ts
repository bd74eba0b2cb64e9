/**
 * `cnn-studio export` / `import` end to end in-process (real files), the notebook's structure (nbformat
 * 4.5 as VS Code's notebook editor reads it), the Keras script's shape (Sequential for chains, the
 * functional API for branches, the settings of the model file), and an imported TF.js model.json whose
 * weights come along as a run that predicts like the original.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { onnx } from 'onnx-proto';
import { cliInProcess } from './cliInProcess.helpers';
import { generateKerasScript } from '../../src/core/codegen/keras';
import { generateNotebook } from '../../src/core/codegen/notebook';
import { parseModelText, serializeModel } from '../../src/core/loader';
import { generatePytorchScript } from '../../src/core/codegen/pytorch';
import { TEMPLATES, createModelFromTemplate } from '../../src/core/templates';
import { coverageModels } from './export-coverage.helpers';
import { buildTfModel } from '../../src/engine/model/buildTfModel';
import { loadCheckpoint, saveCheckpoint } from '../../src/engine/runs/checkpoints';
import { readRunRecord, RUN_FILES } from '../../src/engine/runs/runStore';

const cli = cliInProcess;

describe('export and import commands', () => {
  let dir: string;
  before(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'cnn-export-cli-'));
    writeFileSync(join(dir, 'tut.cnn.json'), serializeModel(createModelFromTemplate('tutorial-cifar')));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each code format, with dataset paths relative to the output', async () => {
    const model = join(dir, 'tut.cnn.json');
    for (const [to, file] of [['keras', 'k.py'], ['pytorch', 'p.py'], ['notebook', 'n.ipynb'], ['keras-json', 'm.keras.json']] as const) {
      const r = await cli('export', model, '--to', to, '--out', join(dir, 'out', file));
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`Wrote .*${file.replace('.', '\\.')}`));
    }
    const keras = readFileSync(join(dir, 'out', 'k.py'), 'utf8');
    assert.match(keras, /DATA_PATH = "\.\.\/data\/cifar-10-batches-bin"/, 'the template dataset path, seen from out/');
    JSON.parse(readFileSync(join(dir, 'out', 'm.keras.json'), 'utf8'));
  });

  it('refuses TF.js and ONNX from a model file with the fix, and unknown formats with the list', async () => {
    const r = await cli('export', join(dir, 'tut.cnn.json'), '--to', 'tfjs');
    assert.equal(r.code, 2);
    assert.match(r.err, /train it first.*or pass a run folder/);
    const fromModel = await cli('export', join(dir, 'tut.cnn.json'), '--to', 'onnx');
    assert.equal(fromModel.code, 2);
    assert.match(fromModel.err, /An ONNX model needs trained weights, and '.*tut\.cnn\.json' is a model file: train it first.*or pass a run folder/);
    const bad = await cli('export', join(dir, 'tut.cnn.json'), '--to', 'caffe');
    assert.match(bad.err, /--to must be one of keras, pytorch, tfjs, onnx, keras-json, notebook; got 'caffe'/);
  });

  it('exports a run as ONNX (its best weights, opset 13) and says what the input is', async () => {
    const model = createModelFromTemplate('lenet5');
    const runDir = join(dir, '.cnn-studio', 'runs', 'lenet', 'r1');
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, RUN_FILES.model), serializeModel(model));
    const built = buildTfModel(tf, model);
    await saveCheckpoint(tf, built, join(runDir, RUN_FILES.best));
    built.dispose();
    const out = join(dir, 'onnx', 'lenet.onnx');
    const r = await cli('export', runDir, '--to', 'onnx', '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Wrote .*lenet\.onnx \([\d.]+ KB, ONNX opset 13, the run's best weights\)/);
    assert.match(r.out, /The input is float32 NHWC \[N, height, width, channels\] with pixel values divided by 255/);
    assert.equal(onnx.ModelProto.decode(readFileSync(out)).graph?.name, model.name);
    const last = await cli('export', runDir, '--to', 'onnx', '--checkpoint', 'last', '--out', out);
    assert.match(last.err, /The run has no 'last' checkpoint/);
  });

  it('exports a run as TF.js, then imports that model.json with its weights as a run predicting the same', async () => {
    const model = createModelFromTemplate('mobilenet-mini');
    model.compile = { optimizer: 'rmsprop', learningRate: 0.0123, loss: 'categoricalCrossentropy', metrics: ['accuracy'] };
    const runDir = join(dir, '.cnn-studio', 'runs', 'm', 'r1');
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, RUN_FILES.model), serializeModel(model));
    const built = buildTfModel(tf, model);
    await saveCheckpoint(tf, built, join(runDir, RUN_FILES.best));
    const exported = await cli('export', runDir, '--to', 'tfjs', '--out', join(dir, 'tfjs'));
    assert.equal(exported.code, 0, exported.err);
    assert.ok(existsSync(join(dir, 'tfjs', 'model.json')) && existsSync(join(dir, 'tfjs', 'weights.bin')));

    const imported = await cli('import', join(dir, 'tfjs', 'model.json'), '--out', join(dir, 'imp', 'mobile.cnn.json'));
    assert.equal(imported.code, 0, imported.err);
    const runMatch = /saved as the run (.+)\n/.exec(imported.out);
    assert.ok(runMatch, imported.out);
    assert.equal(readRunRecord(runMatch[1]!).status, 'finished');
    const { model: back } = parseModelText(readFileSync(join(dir, 'imp', 'mobile.cnn.json'), 'utf8'));
    assert.deepEqual(back!.compile, model.compile, 'compile settings travel in trainingConfig');
    const rebuilt = buildTfModel(tf, back!);
    loadCheckpoint(tf, rebuilt, join(runMatch[1]!, RUN_FILES.best));
    const x = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 5);
    const diff = tf.max(tf.abs(tf.sub(rebuilt.predict(x) as tf.Tensor, built.predict(x) as tf.Tensor))).dataSync()[0]!;
    assert.ok(diff < 1e-5, `imported weights predict differently (${diff})`);
    built.dispose();
    rebuilt.dispose();

    const again = await cli('import', join(dir, 'tfjs', 'model.json'), '--out', join(dir, 'imp', 'mobile.cnn.json'));
    assert.match(again.err, /already exists.*--force/);
  });

  it('stops at an unsupported layer, listing it, and writes nothing; --bridge imports with the grouped report', async () => {
    const lstm = join(__dirname, '../fixtures/keras/keras2-sequential-lstm.json');
    const refused = await cli('import', lstm, '--out', join(dir, 'lstm.cnn.json'));
    assert.equal(refused.code, 1);
    assert.match(refused.err, /The model has 1 layer CNN Studio cannot represent: 'lstm' \(LSTM, layer 3 of 5\)\. Nothing was written\..*--bridge/);
    assert.ok(!existsSync(join(dir, 'lstm.cnn.json')));
    const r = await cli('import', lstm, '--out', join(dir, 'lstm.cnn.json'), '--bridge');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    // Stock tfjs cannot rebuild this file (it has no 'L2' regularizer class), so there is no count to compare.
    assert.match(lines[0]!, /^Imported 'seq_with_lstm' from Keras JSON \(Sequential\): 5 layers, [\d,]+ parameters\.$/);
    assert.equal(lines[1], 'Problems (2):');
    assert.match(r.out, /- \[lstm\] LSTM is not supported by CNN Studio and was removed/);
    assert.match(r.out, /- Option kernel_regularizer is not supported and was ignored .* \(conv\)/);
    assert.match(r.out, /Wrote .*lstm\.cnn\.json\./);
  });

  it("compares the parameter count with stock tfjs' rebuild of a Keras JSON file", async () => {
    const r = await cli('import', join(__dirname, '../fixtures/keras/keras22-sequential-list.json'), '--out', join(dir, 'list.cnn.json'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Imported 'keras22-sequential-list' from Keras JSON \(Sequential\): 6 layers, 13,610 parameters, as the file's stock tfjs rebuild\.\nProblems: none\./);
    const validated = await cli('validate', join(dir, 'list.cnn.json'));
    assert.equal(validated.code, 0, validated.out);
  });
});

describe('notebook', () => {
  it('is nbformat 4.5 with markdown before each code cell and the Keras code split into sections', () => {
    const nb = JSON.parse(JSON.stringify(generateNotebook(createModelFromTemplate('lenet5')))) as ReturnType<typeof generateNotebook>;
    assert.equal(nb.nbformat, 4);
    assert.equal(nb.nbformat_minor, 5);
    assert.equal(nb.metadata.kernelspec.language, 'python');
    const ids = new Set<string>();
    for (const cell of nb.cells) {
      assert.ok(cell.cell_type === 'markdown' || cell.cell_type === 'code');
      assert.match(cell.id, /^[a-zA-Z0-9-_]{1,64}$/, 'nbformat 4.5 cell ids');
      assert.ok(!ids.has(cell.id), 'unique ids');
      ids.add(cell.id);
      assert.ok(Array.isArray(cell.source) && cell.source.every((l, i) => typeof l === 'string' && (i === cell.source.length - 1 || l.endsWith('\n'))));
      if (cell.cell_type === 'code') {
        assert.equal(cell.execution_count, null);
        assert.deepEqual(cell.outputs, []);
      }
    }
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join(''));
    assert.match(code[0]!, /^import /m);
    assert.ok(code.some((c) => /image_dataset_from_directory|load_data\(\)/.test(c)), 'a data cell');
    assert.ok(code.some((c) => /def build_model/.test(c)), 'a model cell');
    assert.ok(code.some((c) => /model\.compile\(/.test(c)) && code.some((c) => /model\.fit\(/.test(c)) && code.some((c) => /model\.evaluate\(/.test(c)));
    assert.ok(!code.some((c) => /strategy/.test(c)), 'no distribution strategy in a notebook');
    nb.cells.forEach((c, i) => {
      if (c.cell_type === 'code') assert.equal(nb.cells[i - 1]!.cell_type, 'markdown', 'each code cell is explained');
    });
  });
});

describe('Keras script', () => {
  it('uses Sequential for a chain and the functional API for a branching model, with the file settings', () => {
    const lenet = createModelFromTemplate('lenet5');
    lenet.compile = { ...lenet.compile, optimizer: 'sgd', learningRate: 0.05 };
    lenet.training = { ...lenet.training, epochs: 7, batchSize: 32, earlyStopping: { enabled: true, monitor: 'valAccuracy', patience: 4, restoreBestWeights: false }, learningRateSchedule: { kind: 'reduceOnPlateau', factor: 0.5, patience: 2, minLearningRate: 1e-5 } };
    const seq = generateKerasScript(lenet);
    assert.match(seq, /keras\.Sequential\(/);
    assert.match(seq, /EPOCHS = 7\nBATCH_SIZE = 32\nLEARNING_RATE = 0\.05/);
    assert.match(seq, /keras\.optimizers\.SGD\(learning_rate=LEARNING_RATE\)/);
    assert.match(seq, /EarlyStopping\(monitor="val_accuracy", patience=4, restore_best_weights=False\)/);
    assert.match(seq, /ReduceLROnPlateau\(.*factor=0\.5, patience=2, min_lr=0\.00001\)/);
    assert.match(seq, /MultiWorkerMirroredStrategy\(\)/);
    assert.match(seq, /with strategy\.scope\(\):\n {4}model = build_model\(\)/);
    const res = generateKerasScript(createModelFromTemplate('resnet-mini'));
    assert.doesNotMatch(res, /keras\.Sequential\(\n/);
    assert.match(res, /layers\.Add\(name="block1_add"\)\(\[/);
    assert.match(res, /return keras\.Model\(inputs=input_, outputs=output, name=/);
  });
});

describe('generated Python', () => {
  const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['--version']).status === 0) ?? null;
  it('parses (Keras script, PyTorch script and notebook cells) for every template and coverage model', { skip: python === null && !process.env['CI'] ? 'no python3' : false }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnn-py-syntax-'));
    try {
      const files: string[] = [];
      [...TEMPLATES.map((t) => createModelFromTemplate(t.id)), ...coverageModels()].forEach((m, k) => {
        const nb = generateNotebook(m).cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n\n');
        for (const [suffix, text] of [['keras', generateKerasScript(m)], ['pytorch', generatePytorchScript(m)], ['notebook', nb]] as const) {
          const f = join(dir, `m${k}_${suffix}.py`);
          writeFileSync(f, text);
          files.push(f);
        }
      });
      const r = spawnSync(python!, ['-c', 'import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f).read(), f)', ...files], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pixel scaling', () => {
  it('feeds raw 0-255 pixels only to models that start with a Rescaling layer, as the engine does', () => {
    const tutorial = createModelFromTemplate('lenet5');
    assert.match(generateKerasScript(tutorial), /PIXEL_SCALE = 1\.0 \/ 255/);
    const input = tutorial.nodes.find((n) => n.type === 'Input')!;
    const firstLayer = tutorial.nodes.find((n) => n.inputs[0] === input.id)!;
    tutorial.nodes.push({ id: 'rescale', type: 'Rescaling', params: {}, inputs: [input.id] });
    firstLayer.inputs = ['rescale'];
    assert.match(generateKerasScript(tutorial), /PIXEL_SCALE = 1\.0 {2}# the model starts with a Rescaling layer/);
    assert.match(generatePytorchScript(tutorial), /PIXEL_SCALE = 1\.0 {2}#/);
    const branching = coverageModels().find((m) => m.name === 'branching')!;
    assert.match(generateKerasScript(branching), /PIXEL_SCALE = 1\.0 \/ 255/, 'a Rescaling later in the graph does not count');
  });
});
