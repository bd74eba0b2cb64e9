/**
 * Keras model files with weights: a Keras 2 `.h5` and a Keras 3 `.keras`, each as a conv net with
 * BatchNormalization and as a Sequential whose first layer is a nested base model (Teachable Machine's
 * layout). The files are written at test time by test/fixtures/keras/write_keras_files.py with h5py, in
 * the layouts Keras writes (tf-keras saving/legacy/hdf5_format.py save_model_to_hdf5 and
 * save_weights_to_hdf5_group; Keras 3 saving/saving_lib.py _save_model_to_fileobj, _save_state,
 * _save_container_state and H5IOStore: the script cites them). The same script computes the expected
 * output of one input with numpy; the imported run must predict it through the engine's own run loading.
 *
 * Skipped only when no python3 with h5py is installed AND `CI` is unset (CI installs python3-h5py).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import sharp from 'sharp';
import { cliInProcess as cli } from './cliInProcess.helpers';
import { loadRunModel, openRun } from '../../src/engine/eval/runModel';
import { defaultImportPath, IMPORT_EXTENSIONS } from '../../src/engine/export/importPath';
import { KerasFileError } from '../../src/engine/import/kerasContainer';
import { isKerasContainerPath, readKerasContainer } from '../../src/engine/import/readKerasFile';

const WRITER = join(__dirname, '../fixtures/keras/write_keras_files.py');

/** The first python3 that can import h5py (Debian's python3-h5py lives under /usr/bin/python3). */
function findH5pyPython(): string | null {
  for (const py of [process.env['CNN_STUDIO_PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p))) {
    if (spawnSync(py, ['-c', 'import h5py, numpy'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}
const python = findH5pyPython();
const skip = python === null && !process.env['CI'] ? 'python3-h5py is not installed (apt-get install python3-h5py)' : false;

interface Expected {
  input: number[];
  shape: [number, number, number];
  convnet: number[];
  tm: number[];
  movingMean: Record<string, number[]>;
  movingVariance: Record<string, number[]>;
}


const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('import of Keras .h5 and .keras files with weights', { skip }, () => {
  let dir: string;
  let expected: Expected;
  before(async () => {
    await tf.setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'cnn-keras-files-'));
    execFileSync(python!, [WRITER, dir]);
    expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // The BatchNormalization layer checked in each model (in tm, inside the nested base model).
  const bnOf = { convnet: 'features_bn', tm: 'block_1_bn' } as const;
  for (const file of ['convnet.h5', 'convnet.keras', 'tm.h5', 'tm.keras']) {
    const c = { file, model: file.startsWith('tm') ? ('tm' as const) : ('convnet' as const), bn: bnOf[file.startsWith('tm') ? 'tm' : 'convnet'] };
    it(`${c.file}: the run predicts what numpy computes from the file's weights, BatchNormalization statistics included`, async () => {
      const out = join(dir, c.file.replace('.', '-'), 'model.cnn.json');
      const r = await cli('import', join(dir, c.file), '--out', out);
      assert.equal(r.code, 0, r.err);
      const runDir = /saved as the run (.+)\n/.exec(r.out)?.[1];
      assert.ok(runDir, r.out);
      const run = openRun(runDir);
      assert.deepEqual(run.config.inputShape, expected.shape);
      const model = loadRunModel(tf, run, 'best');
      try {
        const x = tf.tensor4d(expected.input, [1, ...expected.shape]);
        const y = (model.predict(x) as tf.Tensor).dataSync();
        const diff = maxDiff(y, expected[c.model]);
        assert.ok(diff < 1e-4, `prediction differs from numpy's by ${diff}: ${Array.from(y).join(', ')} vs ${expected[c.model].join(', ')}`);
        const bn = model.getLayer(c.bn).getWeights();
        assert.ok(maxDiff(bn[2]!.dataSync(), expected.movingMean[c.bn]!) < 1e-7, 'moving mean');
        assert.ok(maxDiff(bn[3]!.dataSync(), expected.movingVariance[c.bn]!) < 1e-7, 'moving variance');
        x.dispose();
      } finally {
        model.dispose();
      }
    });
  }

  it('the imported run predicts images at once, with the class names of a labels.txt beside the file (Teachable Machine)', async () => {
    const folder = join(dir, 'tm-export');
    mkdirSync(folder);
    writeFileSync(join(folder, 'keras_model.h5'), readFileSync(join(dir, 'convnet.h5')));
    writeFileSync(join(folder, 'labels.txt'), '0 Red\n1 Green\n2 Blue\n');
    const r = await cli('import', join(folder, 'keras_model.h5'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Wrote .*keras_model\.cnn\.json/);
    const runDir = /saved as the run (.+)\n/.exec(r.out)![1]!;
    const image = join(folder, 'red.png');
    await sharp(Buffer.alloc(8 * 8 * 3, 200), { raw: { width: 8, height: 8, channels: 3 } }).png().toFile(image);
    const p = await cli('predict', runDir, image, '--json');
    assert.equal(p.code, 0, p.err);
    const predictions = JSON.parse(p.out) as { top: { className: string }[] }[];
    assert.ok(['Red', 'Green', 'Blue'].includes(predictions[0]!.top[0]!.className), p.out);
  });

  it('weights that do not fit the model are refused with the layer, the weight and both shapes', async () => {
    // The conv net's architecture with the nested model's weights (other layer names) and vice versa.
    const r = await cli('import', join(dir, 'convnet.keras'), '--out', join(dir, 'fit', 'a.cnn.json'));
    assert.equal(r.code, 0, r.err);
    const zipped = readFileSync(join(dir, 'convnet.keras'));
    const { unzipSync } = await import('fflate');
    const files = unzipSync(zipped);
    const config = JSON.parse(new TextDecoder().decode(files['config.json'])) as { config: { layers: { config: { filters?: number } }[] } };
    config.config.layers[1]!.config.filters = 6;
    writeFileSync(join(dir, 'wrong.keras'), zipSync({ ...files, 'config.json': new TextEncoder().encode(JSON.stringify(config)) }));
    const wrong = await cli('import', join(dir, 'wrong.keras'), '--out', join(dir, 'fit', 'b.cnn.json'));
    assert.equal(wrong.code, 0, wrong.err);
    assert.match(wrong.out, /Weights: not imported: kernel of layer 'features_conv' has the shape \[3, 3, 3, 6\] here but \[3, 3, 3, 4\] in the file/);
  });

  it('refuses files that are not Keras models with weights, saying what to save instead', () => {
    const weightsOnly = join(dir, 'weights-only.h5');
    execFileSync(python!, ['-c', `import h5py\nwith h5py.File(${JSON.stringify(weightsOnly)}, 'w') as f:\n  f.attrs['layer_names'] = [b'dense']\n  f.create_group('dense').attrs['weight_names'] = [b'dense/kernel:0']`]);
    assert.throws(() => readKerasContainer(weightsOnly), (e: unknown) => e instanceof KerasFileError && /holds only weights \(model\.save_weights\).*model\.save\('model\.h5'\)/.test(e.message));
    const noConfig = join(dir, 'other.keras');
    writeFileSync(noConfig, zipSync({ 'readme.txt': new TextEncoder().encode('hi') }));
    assert.throws(() => readKerasContainer(noConfig), /without a Keras config\.json, so not a \.keras model/);
    const npz = join(dir, 'npz.keras');
    writeFileSync(npz, zipSync({ 'config.json': new TextEncoder().encode('{"class_name": "Sequential", "config": {}}'), 'model.weights.npz': new Uint8Array(4) }));
    assert.throws(() => readKerasContainer(npz), /model\.weights\.npz, which CNN Studio cannot read/);
    const text = join(dir, 'notes.h5');
    writeFileSync(text, 'not a model');
    assert.throws(() => readKerasContainer(text), /neither a Keras \.h5 \(HDF5\) file nor a \.keras \(zip\) archive/);
  });
});

describe('default import path', () => {
  it('puts model.cnn.json next to a .h5 or .keras file', () => {
    assert.equal(defaultImportPath('/a/keras_model.h5'), join('/a', 'keras_model.cnn.json'));
    assert.equal(defaultImportPath('/a/net.keras'), join('/a', 'net.cnn.json'));
    assert.equal(defaultImportPath('/a/net.keras.json'), join('/a', 'net.cnn.json'));
  });
  it("Import…'s file dialog offers .keras and .h5, which the import reads as Keras files with weights", () => {
    const withWeights = IMPORT_EXTENSIONS.filter((e) => isKerasContainerPath(`model.${e}`));
    assert.deepEqual(withWeights, ['keras', 'h5', 'hdf5']);
    assert.ok(IMPORT_EXTENSIONS.includes('json'));
  });
});
