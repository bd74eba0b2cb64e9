/**
 * Transfer learning end to end, through the CLI as a user runs it: a base network is trained on one
 * synthetic task (shapes), exported as a TF.js layers model and imported with its weights; the imported
 * model's base is frozen ("trainable": false) and its head replaced for a second task (stripes); then
 * `train --init-from` the imported run trains only the head. The frozen weights, BatchNormalization's
 * moving statistics included, must be bit-identical afterwards, and the head must learn the new task.
 * The PyTorch export of the frozen model must count the same trainable and frozen parameters.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/command';
import { applyModelEdit } from '../../src/core/applyModelEdit';
import { DEFAULT_TRAINING, type ModelFile } from '../../src/core/format';
import { parseModelText, serializeModel } from '../../src/core/loader';
import { analyzeModel } from '../../src/core/shapeInference';
import { generatePytorchScript } from '../../src/core/codegen/pytorch';
import { generateKerasScript } from '../../src/core/codegen/keras';
import { toKerasJson } from '../../src/core/codegen/kerasJson';
import { readCheckpointWeights } from '../../src/engine/runs/checkpoints';
import { readRunRecord } from '../../src/engine/runs/runStore';

/** The head must reach this validation accuracy on the stripes task within the epochs below (chance: 1/3). */
const HEAD_ACCURACY = 0.85;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTty: false, signal: new AbortController().signal };
  const code = await runCli(argv, io);
  return { code, out, err };
}

function lastJsonLine(text: string): Record<string, unknown> {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

const BASE = ['conv1', 'bn1', 'conv2'];

function baseModel(): ModelFile {
  return {
    format: 'cnn-studio-model',
    formatVersion: 1,
    name: 'base',
    nodes: [
      { id: 'input', type: 'Input', params: { shape: [16, 16, 1] }, inputs: [] },
      { id: 'conv1', type: 'Conv2D', params: { filters: 8, kernelSize: [3, 3], padding: 'same', activation: 'relu' }, inputs: ['input'] },
      { id: 'bn1', type: 'BatchNormalization', params: { momentum: 0.9 }, inputs: ['conv1'] },
      { id: 'pool1', type: 'MaxPooling2D', params: { poolSize: [2, 2] }, inputs: ['bn1'] },
      { id: 'conv2', type: 'Conv2D', params: { filters: 8, kernelSize: [3, 3], padding: 'same', activation: 'relu' }, inputs: ['pool1'] },
      { id: 'pool2', type: 'MaxPooling2D', params: { poolSize: [2, 2] }, inputs: ['conv2'] },
      { id: 'flatten', type: 'Flatten', params: {}, inputs: ['pool2'] },
      { id: 'head', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['flatten'] },
    ],
    compile: { optimizer: 'adam', learningRate: 0.01, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    training: { ...DEFAULT_TRAINING, epochs: 6, batchSize: 16, validationSplit: 0.25, seed: 7 },
  };
}

describe('freeze and fine-tune (train --init-from)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cnn-finetune-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('trains only the new head: frozen weights stay bit-identical and the head learns the second task', async () => {
    for (const kind of ['shapes', 'stripes']) {
      const made = await cli('make-dataset', kind, join(dir, kind), '--per-class', '60', '--size', '16', '--seed', '3');
      assert.equal(made.code, 0, made.err);
    }
    // 1. The base, trained on shapes, then exported as a TF.js layers model.
    const basePath = join(dir, 'base.cnn.json');
    writeFileSync(basePath, serializeModel(baseModel()));
    const trained = await cli('train', basePath, '--data', join(dir, 'shapes'), '--backend', 'wasm', '--out', join(dir, 'base-run'), '--json');
    assert.equal(trained.code, 0, trained.err);
    const exported = await cli('export', join(dir, 'base-run'), '--to', 'tfjs', '--out', join(dir, 'tfjs'));
    assert.equal(exported.code, 0, exported.err);

    // 2. Imported with its weights (a run), as a user brings in a pretrained network.
    const importedPath = join(dir, 'tuned.cnn.json');
    const imported = await cli('import', join(dir, 'tfjs', 'model.json'), '--out', importedPath, '--name', 'tuned');
    assert.equal(imported.code, 0, imported.err);
    const importedRun = /saved as the run (.+)$/m.exec(imported.out)?.[1];
    assert.ok(importedRun, imported.out);

    // 3. Freeze the base, and a new head for the new task (a new id: it cannot take the old head's weights).
    let model = parseModelText(readFileSync(importedPath, 'utf8')).model!;
    model = applyModelEdit(model, { kind: 'setTrainable', ids: BASE, trainable: false });
    model = applyModelEdit(model, { kind: 'renameNode', id: 'head', newId: 'stripes_head' });
    writeFileSync(importedPath, serializeModel(model));
    assert.match(readFileSync(importedPath, 'utf8'), /"id": "conv1",\n\s+"type": "Conv2D",\n\s+"trainable": false,/);

    // 4. Fine-tune from the imported run on stripes.
    const tuned = await cli('train', importedPath, '--data', join(dir, 'stripes'), '--backend', 'wasm', '--epochs', '15', '--out', join(dir, 'tuned-run'), '--init-from', importedRun, '--json');
    assert.equal(tuned.code, 0, tuned.err);
    assert.match(tuned.err, /Weights from .+ \(its best checkpoint\): 3 layers loaded, 1 starts fresh\.\n {2}loaded: conv1, bn1, conv2\n {2}fresh: {2}stripes_head \(the run has no weights for 'stripes_head'\)/);
    const summary = lastJsonLine(tuned.out);
    assert.deepEqual((summary['initializedFrom'] as { loaded: string[] }).loaded, BASE);
    assert.deepEqual(readRunRecord(join(dir, 'tuned-run')).initializedFrom?.fresh.map((f) => f.layer), ['stripes_head']);
    const accuracy = summary['bestValAccuracy'] as number;
    assert.ok(accuracy >= HEAD_ACCURACY, `the new head reaches ${accuracy} validation accuracy; expected at least ${HEAD_ACCURACY}`);

    // 5. Every frozen weight, BatchNormalization's moving mean and variance included, is unchanged.
    const before = readCheckpointWeights(tf, join(importedRun, 'best'));
    const afterTraining = readCheckpointWeights(tf, join(dir, 'tuned-run', 'last'));
    const frozenNames = Object.keys(before).filter((n) => BASE.some((b) => n.startsWith(`${b}/`)));
    assert.deepEqual(frozenNames.sort(), ['bn1/beta', 'bn1/gamma', 'bn1/moving_mean', 'bn1/moving_variance', 'conv1/bias', 'conv1/kernel', 'conv2/bias', 'conv2/kernel']);
    for (const name of frozenNames) {
      assert.deepEqual(Buffer.from(afterTraining[name]!.dataSync().buffer), Buffer.from(before[name]!.dataSync().buffer), `${name} is bit-identical`);
    }
    // ...and the head did train (its weights are not the fresh initial ones of a zero-epoch run).
    assert.ok(afterTraining['stripes_head/kernel'], 'the head is in the checkpoint');
    tf.dispose([...Object.values(before), ...Object.values(afterTraining)]);
  });

  it('refuses a run whose layers match none of the model', async () => {
    const other = join(dir, 'other.cnn.json');
    const m = baseModel();
    writeFileSync(other, serializeModel({ ...m, name: 'other', nodes: m.nodes.map((n) => (n.type === 'Input' ? n : { ...n, id: `x_${n.id}`, inputs: n.inputs.map((i) => (i === 'input' ? i : `x_${i}`)) })) }));
    const r = await cli('train', other, '--data', join(dir, 'stripes'), '--backend', 'wasm', '--epochs', '1', '--init-from', join(dir, 'base-run'));
    assert.equal(r.code, 1);
    assert.match(r.err, /None of the layers of 'other' match the weights of .+base-run' by name and shape .*Pick a run of this model/);
  });

  it('refuses a folder that is not a run, and --init-from with --continue', async () => {
    const notRun = await cli('train', join(dir, 'base.cnn.json'), '--data', join(dir, 'stripes'), '--init-from', dir);
    assert.notEqual(notRun.code, 0);
    assert.match(notRun.err, /is not a run folder \(no run.json\): --init-from needs a folder under .cnn-studio\/runs/);
    const both = await cli('train', join(dir, 'base-run'), '--continue', '--init-from', join(dir, 'base-run'));
    assert.equal(both.code, 2);
    assert.match(both.err, /either --continue .* or --init-from RUN_DIR/);
  });

  it('refuses a model whose every weighted layer is frozen', async () => {
    const all = join(dir, 'all-frozen.cnn.json');
    const m = baseModel();
    writeFileSync(all, serializeModel({ ...m, nodes: m.nodes.map((n) => (n.type === 'Input' ? n : { ...n, trainable: false })) }));
    const r = await cli('train', all, '--data', join(dir, 'stripes'), '--backend', 'wasm', '--epochs', '1');
    assert.equal(r.code, 1);
    assert.match(r.err, /Every layer of 'base' that has weights is frozen \("trainable": false\), so training would change nothing\. Unfreeze at least the new head/);
  });

  it('exports trainable = False to Keras: the script, and Keras JSON that stock tfjs loads with the same trainable count', async () => {
    const model = parseModelText(readFileSync(join(dir, 'tuned.cnn.json'), 'utf8')).model!;
    const totals = analyzeModel(model).totals;
    const frozenLines = generateKerasScript(model).split('\n').filter((l) => l.includes('trainable=False'));
    assert.deepEqual(frozenLines.map((l) => /name="(\w+)"/.exec(l)?.[1]), BASE);
    const loaded = await tf.models.modelFromJSON({ modelTopology: toKerasJson(model) });
    const count = (ws: readonly { shape: readonly (number | null)[] }[]): number => ws.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    assert.equal(count(loaded.trainableWeights), totals.trainableParams);
    assert.equal(count(loaded.nonTrainableWeights), totals.nonTrainableParams);
    loaded.dispose();
  });

  it('exports to PyTorch with the same trainable and frozen parameter counts', { skip: torchPython() === null && !process.env['CI'] ? 'python3-torch is not installed' : false }, () => {
    const model = parseModelText(readFileSync(join(dir, 'tuned.cnn.json'), 'utf8')).model!;
    const totals = analyzeModel(model).totals;
    assert.ok(totals.nonTrainableParams > 0 && totals.trainableParams > 0);
    const file = join(dir, 'tuned.py');
    writeFileSync(file, generatePytorchScript(model));
    const counts = JSON.parse(execFileSync(torchPython()!, [join(__dirname, '../fixtures/keras/torch_trainable.py'), file], { encoding: 'utf8' })) as Record<string, unknown>;
    assert.deepEqual(counts, {
      trainable: totals.trainableParams,
      // PyTorch keeps BatchNorm's running statistics as buffers, not parameters: Keras counts them as
      // non-trainable parameters, so they are added here to compare like with like.
      frozen: totals.nonTrainableParams,
      frozenBatchNormInEval: true,
      frozenUnchangedByStep: true,
    });
  });
});

function torchPython(): string | null {
  for (const py of [process.env['CNN_STUDIO_PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p))) {
    if (spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}
