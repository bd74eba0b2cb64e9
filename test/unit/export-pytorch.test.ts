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
import { DEFAULT_COMPILE, DEFAULT_TRAINING, type LayerParams, type ModelFile, type ModelNode } from '../../src/core/format';
import { analyzeModel } from '../../src/core/shapeInference';
import { TEMPLATES, createModelFromTemplate } from '../../src/core/templates';

const HELPER = join(__dirname, '../fixtures/keras/torch_check.py');

/** The first python3 that can import torch (Debian's python3-torch lives under /usr/bin/python3). */
function findTorchPython(): string | null {
  for (const py of [process.env['CNN_STUDIO_PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p))) {
    const r = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

const python = findTorchPython();
const skip = python === null && !process.env['CI'] ? 'python3-torch is not installed (apt-get install python3-torch)' : false;

function chain(name: string, shape: number[], layers: [string, LayerParams][]): ModelFile {
  const nodes: ModelNode[] = [{ id: 'input', type: 'Input', params: { shape }, inputs: [] }];
  layers.forEach(([type, params], k) => nodes.push({ id: `l${k}_${type.toLowerCase()}`, type, params, inputs: [nodes[nodes.length - 1]!.id] }));
  return { format: 'cnn-studio-model', formatVersion: 1, name, nodes, compile: DEFAULT_COMPILE, training: DEFAULT_TRAINING };
}

/** Models exercising the layers and options the templates do not. */
function coverageModels(): ModelFile[] {
  const branching: ModelFile = {
    ...chain('branching', [8, 8, 3], []),
    nodes: [
      { id: 'input', type: 'Input', params: { shape: [8, 8, 3] }, inputs: [] },
      { id: 'a', type: 'Conv2D', params: { filters: 4, padding: 'same', activation: 'elu' }, inputs: ['input'] },
      { id: 'b', type: 'Conv2D', params: { filters: 6, kernelSize: [1, 1], activation: 'swish' }, inputs: ['input'] },
      { id: 'cat', type: 'Concatenate', params: {}, inputs: ['a', 'b'] },
      { id: 'sd', type: 'SpatialDropout2D', params: { rate: 0.2 }, inputs: ['cat'] },
      { id: 'scale', type: 'Rescaling', params: { scale: 0.5, offset: 1 }, inputs: ['sd'] },
      { id: 'gmp', type: 'GlobalMaxPooling2D', params: {}, inputs: ['scale'] },
      { id: 'out', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['gmp'] },
    ],
  };
  return [
    chain('convs', [7, 7, 3], [
      ['Conv2D', { filters: 4, strides: [2, 2], padding: 'same', activation: 'relu6' }],
      ['Conv2D', { filters: 5, kernelSize: [4, 2], padding: 'same', dilationRate: [2, 1], activation: 'gelu', useBias: false }],
      ['DepthwiseConv2D', { kernelSize: [3, 3], strides: [2, 2], padding: 'same', depthMultiplier: 2 }],
      ['SeparableConv2D', { filters: 5, padding: 'same', depthMultiplier: 2, activation: 'mish' }],
    ]),
    chain('pools', [9, 9, 2], [
      ['MaxPooling2D', { poolSize: [3, 3], strides: [2, 2], padding: 'same' }],
      ['AveragePooling2D', { poolSize: [2, 2], padding: 'same' }],
      ['AveragePooling2D', { poolSize: [3, 3], strides: [1, 1], padding: 'same' }],
      ['MaxPooling2D', { poolSize: [2, 2], strides: [1, 1] }],
    ]),
    chain('transposed', [5, 5, 3], [
      ['Conv2DTranspose', { filters: 4, strides: [2, 2], padding: 'same' }],
      ['Conv2DTranspose', { filters: 3, kernelSize: [2, 2], strides: [3, 3], activation: 'tanh' }],
      ['Conv2DTranspose', { filters: 2, kernelSize: [4, 4], strides: [2, 2], padding: 'same' }],
      ['Conv2DTranspose', { filters: 2, kernelSize: [5, 5], strides: [2, 2], padding: 'same', activation: 'sigmoid' }],
    ]),
    chain('reshaping', [6, 6, 2], [
      ['ZeroPadding2D', { padding: [[1, 2], [0, 1]] }],
      ['Cropping2D', { cropping: [[1, 0], [0, 1]] }],
      ['UpSampling2D', { size: [2, 3], interpolation: 'bilinear' }],
      ['Reshape', { targetShape: [18, -1, 2] }],
      ['BatchNormalization', { center: false }],
      ['LeakyReLU', { alpha: 0.1 }],
      ['Activation', { activation: 'hardSigmoid' }],
      ['Flatten', {}],
      ['Dense', { units: 7, activation: 'linear' }],
      ['BatchNormalization', { momentum: 0.9 }],
      ['Dropout', { rate: 0.3 }],
      ['Dense', { units: 2, activation: 'softmax' }],
    ]),
    branching,
  ];
}

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
