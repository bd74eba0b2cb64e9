/**
 * The PyTorch export, run for real with PyTorch: for every template (and models covering the rest of the
 * catalogue: uneven 'same' padding, transposed convolutions, pooling, reshaping, merges) the exported
 * `nn.Module` must have our analysis' parameter count and output shape; and the script must train under
 * `torchrun --nproc_per_node 2` (gloo) with both processes ending on identical weights.
 *
 * Skipped only when no python3 with torch is installed AND `CI` is unset (CI installs python3-torch).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePytorchScript } from '../../src/core/codegen/pytorch';
import { analyzeModel } from '../../src/core/shapeInference';
import { TEMPLATES, createModelFromTemplate } from '../../src/core/templates';
import { chain, coverageModels } from './export-coverage.helpers';
import { findPythonWith } from './python.helpers';

const chainModel = (shape: number[]) => chain('csv-model', shape, [['Conv2D', { filters: 2 }]]);

const HELPER = join(__dirname, '../fixtures/keras/torch_check.py');

const python = findPythonWith('torch');
const skip = python === null && !process.env['CI'] ? 'python3-torch is not installed (apt-get install python3-torch)' : false;

describe('PyTorch export', { skip }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cnn-torch-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every template and layer the parameter count and output shape of our analysis', () => {
    const models = [...TEMPLATES.map((t) => createModelFromTemplate(t.id)), ...coverageModels()];
    const items = models.map((m, k) => {
      const file = join(dir, `model_${k}.py`);
      writeFileSync(file, generatePytorchScript(m));
      return { file, input: m.nodes.find((n) => n.type === 'Input')!.params['shape'] };
    });
    // One python process for all models: importing torch takes seconds.
    const out = JSON.parse(execFileSync(python!, [HELPER, JSON.stringify(items)], { encoding: 'utf8' })) as { params: number; outputShape: number[] }[];
    models.forEach((m, k) => {
      const a = analyzeModel(m);
      assert.ok(m.nodes.every((n) => a.nodes.get(n.id)?.outputShape), `${m.name}: every shape is known`);
      const outShape = a.nodes.get(a.outputIds[0]!)!.outputShape;
      assert.equal(out[k]!.params, a.totals.params, `${m.name}: parameter count`);
      assert.deepEqual(out[k]!.outputShape, outShape, `${m.name}: output shape`);
    });
  });

  it("reads CIFAR-10 binary batches and CSV files with the script's own loaders, as the engine does", () => {
    // CIFAR-10: 2 training batches of 6 records and a test batch of 4 (1 label byte + 3072 pixel bytes).
    const cifar = join(dir, 'cifar', 'cifar-10-batches-bin');
    mkdirSync(cifar, { recursive: true });
    const batch = (file: string, n: number): void => {
      const buf = Buffer.alloc(n * 3073);
      for (let i = 0; i < n; i++) {
        buf[i * 3073] = i % 10;
        for (let p = 1; p < 3073; p++) buf[i * 3073 + p] = (i * 31 + p) % 256;
      }
      writeFileSync(join(cifar, file), buf);
    };
    batch('data_batch_1.bin', 6);
    batch('data_batch_2.bin', 6);
    batch('test_batch.bin', 4);
    writeFileSync(join(cifar, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n');
    const cifarModel = createModelFromTemplate('tutorial-cifar');
    cifarModel.dataset = { kind: 'cifar10', path: join(dir, 'cifar'), imageSize: [32, 32], colorMode: 'rgb' };
    // CSV: a header, labels 'cat'/'dog', 4x4 grayscale pixels in 0-255; 10 rows, 20% held out per class.
    const rows = ['label,' + Array.from({ length: 16 }, (_, i) => `p${i}`).join(',')];
    for (let r = 0; r < 10; r++) rows.push(`${r % 2 ? 'dog' : 'cat'},` + Array.from({ length: 16 }, (_, i) => String((r * 16 + i) % 256)).join(','));
    writeFileSync(join(dir, 'pets.csv'), rows.join('\n') + '\n');
    const csvModel = chainModel([4, 4, 1]);
    csvModel.dataset = { kind: 'csv', path: join(dir, 'pets.csv'), imageSize: [4, 4], colorMode: 'grayscale' };
    const items = [cifarModel, csvModel].map((m, k) => {
      const file = join(dir, `data_${k}.py`);
      writeFileSync(file, generatePytorchScript(m));
      return { file, input: m.nodes[0]!.params['shape'], data: m.dataset!.path };
    });
    const out = JSON.parse(execFileSync(python!, [HELPER, JSON.stringify(items)], { encoding: 'utf8' })) as { data: { train: number[]; val: number[]; classes: string[]; max: number; labels: number[] } }[];
    assert.deepEqual(out[0]!.data.train, [12, 32, 32, 3], 'both training batches, channels-last');
    assert.deepEqual(out[0]!.data.val, [4, 32, 32, 3], 'test_batch.bin is the validation set');
    assert.equal(out[0]!.data.classes[3], 'cat');
    assert.ok(out[0]!.data.max <= 1 && out[0]!.data.max > 0.9, 'pixels scaled to [0, 1]');
    assert.deepEqual(out[1]!.data.train, [8, 4, 4, 1]);
    assert.deepEqual(out[1]!.data.val, [2, 4, 4, 1], 'a stratified 20% split: one per class');
    assert.deepEqual(out[1]!.data.classes, ['cat', 'dog']);
    assert.deepEqual(out[1]!.data.labels, [0, 1]);
  });

  it('trains under torchrun with 2 processes (gloo) and both end with identical weights', () => {
    // A tiny MNIST-format dataset: 48 training and 16 validation images of 28x28.
    const data = join(dir, 'mnist');
    mkdirSync(data);
    const idx = (file: string, dims: number[], bytes: Uint8Array): void => {
      const head = Buffer.alloc(4 + 4 * dims.length);
      head.writeUInt8(8, 2);
      head.writeUInt8(dims.length, 3);
      dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
      writeFileSync(join(data, file), Buffer.concat([head, Buffer.from(bytes)]));
    };
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const [prefix, n] of [['train', 48], ['t10k', 16]] as const) {
      const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
      const pixels = Uint8Array.from({ length: n * 28 * 28 }, (_, i) => Math.floor(rand() * 64 + labels[Math.floor(i / 784)]! * 19));
      idx(`${prefix}-images-idx3-ubyte`, [n, 28, 28], pixels);
      idx(`${prefix}-labels-idx1-ubyte`, [n], labels);
    }
    const model = createModelFromTemplate('mnist-small');
    model.dataset = { kind: 'mnistIdx', path: data, imageSize: [28, 28], colorMode: 'grayscale' };
    model.training = { ...model.training, earlyStopping: { ...model.training.earlyStopping, enabled: true }, learningRateSchedule: { kind: 'step', stepEpochs: 1, factor: 0.5 } };
    const script = join(dir, 'train.py');
    writeFileSync(script, generatePytorchScript(model));
    // `--redirects 2 --tee 2`: Debian's torch 1.13 on Python 3.11 cannot parse the default '0' of these
    // flags (Std.from_str returns None); stderr is teed, stdout is printed as it is.
    const r = spawnSync(
      python!,
      ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', '--redirects', '2', '--tee', '2', script, '--epochs', '2', '--batch-size', '8', '--out', join(dir, 'w.pt')],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 },
    );
    assert.equal(r.status, 0, `torchrun failed:\n${r.stdout}\n${r.stderr}`);
    const sums = [...r.stdout.matchAll(/rank (\d)\/2 weight checksum (-?[\d.]+)/g)].map((m) => ({ rank: m[1], sum: m[2] }));
    assert.deepEqual(sums.map((s) => s.rank).sort(), ['0', '1'], `both ranks report:\n${r.stdout}`);
    assert.equal(sums[0]!.sum, sums[1]!.sum, 'identical weights on both ranks');
    assert.match(r.stdout, /epoch 2\/2: loss \d/);
  });
});
