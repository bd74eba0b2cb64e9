/**
 * The importer's front door (issue 12, point 1): each file layout real users have, as a file in that exact
 * layout under test/fixtures/keras (see its README for the Keras / TF.js source each follows), read by
 * our importer and, where tfjs-layers can read it too, by stock tfjs: same parameter count. And every
 * imported model's export loads in stock tfjs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { checkModelText } from '../../src/core/checkModel';
import { toKerasJson } from '../../src/core/codegen/kerasJson';
import type { ModelFile } from '../../src/core/format';
import { formatImportSummary, summarizeImport } from '../../src/core/import/importReport';
import { importKerasModel, importKerasText, KerasImportError, type KerasImportResult, UnsupportedLayersError } from '../../src/core/import/kerasImport';
import { serializeModel } from '../../src/core/loader';
import { analyzeModel } from '../../src/core/shapeInference';

const FIXTURES = join(__dirname, '../fixtures/keras');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** What `cnn-studio validate` reports as errors for the imported model. */
function validateErrors(model: ModelFile): string[] {
  return checkModelText(serializeModel(model)).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}

/** Stock tfjs-layers reading the same file (its model config), or null when it cannot. */
async function stockParams(modelTopology: unknown): Promise<number> {
  const model = await tf.models.modelFromJSON({ modelTopology: structuredClone(modelTopology) as never });
  const n = model.countParams();
  model.dispose();
  return n;
}

const chain = (m: ModelFile): string[] => m.nodes.map((n) => `${n.id}:${n.type}<${n.inputs.join(',')}`);

/** Our Keras JSON export of `model` loads in stock tfjs with our parameter count (TF.js flavour: what the TF.js export writes). */
async function assertExportLoadsInTfjs(model: ModelFile, label: string): Promise<void> {
  const params = analyzeModel(model).totals.params;
  assert.equal(await stockParams(toKerasJson(model, { flavour: 'tfjs' })), params, `${label}: the TF.js export loads in stock tfjs`);
  // The Keras flavour names SpatialDropout2D, which tfjs-layers lacks; every other layer loads there too.
  if (!model.nodes.some((n) => n.type === 'SpatialDropout2D')) assert.equal(await stockParams(toKerasJson(model)), params, `${label}: the Keras JSON export loads in stock tfjs`);
}

describe('the importer front door: file layouts', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('reads a Keras 2.2 Sequential whose config is a plain list of layers (batch_input_shape on the first)', async () => {
    const text = fixture('keras22-sequential-list.json');
    const { model, modelClass } = importKerasText(text);
    assert.equal(modelClass, 'Sequential');
    assert.deepEqual(chain(model), ['input:Input<', 'conv2d_1:Conv2D<input', 'max_pooling2d_1:MaxPooling2D<conv2d_1', 'flatten_1:Flatten<max_pooling2d_1', 'dropout_1:Dropout<flatten_1', 'dense_1:Dense<dropout_1']);
    assert.deepEqual(analyzeModel(model).nodes.get('input')!.outputShape, [28, 28, 1]);
    assert.equal(model.nodes[5]!.params['units'], 10);
    assert.equal(analyzeModel(model).totals.params, await stockParams(JSON.parse(text)), 'stock tfjs reads the list form too, with the same count');
    assert.deepEqual(validateErrors(model), []);
  });

  it("reads the TF.js converter's output of such a file (ml5): list config inside modelTopology, training_config's loss and optimizer", () => {
    const result = importKerasText(fixture('ml5-model.json'));
    assert.equal(result.source, 'tfjs-model-json');
    assert.deepEqual(result.model.nodes.map((n) => n.type), ['Input', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    assert.deepEqual(result.model.compile, { optimizer: 'adam', learningRate: 0.0005, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    assert.equal(result.fileParams, analyzeModel(result.model).totals.params, "the weights manifest's count is ours");
    assert.deepEqual(validateErrors(result.model), []);
  });

  it('reads a Sequential whose first layer is a nested model (Sequential([base_model, GlobalAveragePooling2D(), Dense(n)]))', async () => {
    const text = fixture('keras2-transfer-nested.json');
    const { model, notes } = importKerasText(text);
    assert.deepEqual(chain(model), [
      'input_1:Input<',
      'Conv1:Conv2D<input_1',
      'bn_Conv1:BatchNormalization<Conv1',
      'Conv1_relu:Activation<bn_Conv1',
      'block_1_project:Conv2D<Conv1_relu',
      'global_average_pooling2d:GlobalAveragePooling2D<block_1_project',
      'dense:Dense<global_average_pooling2d',
    ]);
    assert.deepEqual(model.nodes[0]!.params['shape'], [32, 32, 3], "the nested base model's own input");
    assert.equal(model.nodes[3]!.params['activation'], 'relu6');
    assert.ok(notes.some((n) => n.layer === 'mobilenet_base' && /inlined/.test(n.message)));
    assert.equal(analyzeModel(model).totals.params, await stockParams(JSON.parse(text)));
    assert.deepEqual(validateErrors(model), []);
  });

  it('decodes a file holding the model JSON as a JSON string (json.dump(model.to_json(), f))', () => {
    const text = fixture('json-string-model.json');
    assert.equal(typeof JSON.parse(text), 'string', 'the fixture is one JSON string');
    const { model } = importKerasText(text);
    assert.equal(model.name, 'stringly');
    assert.deepEqual(model.nodes.map((n) => n.type), ['Input', 'Conv2D', 'Flatten', 'Dense']);
    assert.equal(model.compile.loss, 'binaryCrossentropy', 'one sigmoid unit: binary cross-entropy');
    assert.deepEqual(validateErrors(model), []);
  });

  it('reads a Keras 1.2.2 file: list config, nb_filter, nb_row/nb_col, subsample, border_mode, p, output_dim, init, W_regularizer', () => {
    const { model, notes } = importKerasText(fixture('keras1-mnist-cnn.json'));
    const byId = new Map(model.nodes.map((n) => [n.id, n.params]));
    assert.deepEqual(byId.get('convolution2d_1'), { kernelSize: [5, 5], activation: 'linear' }, '32 filters (the default), a 5×5 kernel from nb_row/nb_col, not the 3×3 default');
    assert.deepEqual(byId.get('convolution2d_2'), { filters: 16, strides: [2, 2], padding: 'same' });
    assert.deepEqual(byId.get('dropout_1'), { rate: 0.25 });
    assert.deepEqual(byId.get('dense_1'), { units: 64 });
    assert.deepEqual(byId.get('dense_2'), { units: 10, activation: 'softmax' });
    // Keras' own count for this model: 832 + 4,624 + 36,928 + 650.
    assert.equal(analyzeModel(model).totals.params, 43_034);
    assert.ok(notes.some((n) => n.layer === 'convolution2d_2' && /^Option W_regularizer is not supported/.test(n.message)), 'the Keras 1 regularizer is reported');
    assert.ok(notes.some((n) => n.layer === 'convolution2d_2' && /^init he_normal is not kept/.test(n.message)), 'the Keras 1 initializer is reported');
    assert.deepEqual(validateErrors(model), []);
  });

  it('says a TF.js graph model is a graph model (not "found class none")', () => {
    assert.throws(() => importKerasText(fixture('tfjs-graph-model.json')), (err: Error) => {
      assert.ok(err instanceof KerasImportError);
      assert.match(err.message, /^This model\.json is a TF\.js graph model \(a TensorFlow graph of 3 operations\).*cannot be imported\. Import the Keras model instead/);
      assert.doesNotMatch(err.message, /found class/);
      return true;
    });
  });
});

describe('the importer front door: the loss fits the output', () => {
  /** A Keras 2 Sequential: Input [8,8,1] → Conv2D → Flatten → `head` layers. */
  const sequential = (head: object[], extra: Record<string, unknown> = {}): string =>
    JSON.stringify({
      class_name: 'Sequential',
      config: {
        name: 'probe',
        layers: [
          { class_name: 'Conv2D', config: { name: 'conv', batch_input_shape: [null, 8, 8, 1], filters: 2, kernel_size: [3, 3], activation: 'relu' } },
          { class_name: 'Flatten', config: { name: 'flat' } },
          ...head,
        ],
      },
      keras_version: '2.13.1',
      ...extra,
    });
  const dense = (units: number, activation: string): object => ({ class_name: 'Dense', config: { name: 'out', units, activation } });

  it('chooses the loss from the output when the file has none, and validate passes', () => {
    const cases: [string, object[], string][] = [
      ['softmax', [dense(4, 'softmax')], 'sparseCategoricalCrossentropy'],
      ['one sigmoid unit', [dense(1, 'sigmoid')], 'binaryCrossentropy'],
      ['logits', [dense(4, 'linear')], 'meanSquaredError'],
      ['a LeakyReLU output', [dense(4, 'linear'), { class_name: 'LeakyReLU', config: { name: 'leaky', alpha: 0.2 } }], 'meanSquaredError'],
      ['a decoder writing an image', [{ class_name: 'Reshape', config: { name: 'img', target_shape: [6, 6, 2] } }, { class_name: 'Conv2D', config: { name: 'dec', filters: 1, kernel_size: [1, 1], activation: 'sigmoid' } }], 'meanSquaredError'],
    ];
    for (const [label, head, loss] of cases) {
      const { model, notes } = importKerasText(sequential(head));
      assert.equal(model.compile.loss, loss, label);
      assert.deepEqual(validateErrors(model), [], `${label}: validate passes`);
      assert.ok(notes.some((n) => n.kind === 'loss' && n.severity === 'info' && n.message.includes(`the loss is ${loss}, chosen from the model's output`)), label);
    }
  });

  it("takes a Keras 2 training_config's loss when it fits, and replaces a from_logits one with a problem", () => {
    const fits = importKerasText(sequential([dense(4, 'softmax')], { training_config: { loss: 'sparse_categorical_crossentropy', optimizer_config: { class_name: 'RMSprop', config: { learning_rate: 0.002 } }, metrics: [['acc']] } }));
    assert.deepEqual(fits.model.compile, { optimizer: 'rmsprop', learningRate: 0.002, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const logits = importKerasText(sequential([dense(4, 'linear')], { training_config: { loss: { class_name: 'SparseCategoricalCrossentropy', config: { from_logits: true } }, optimizer_config: { class_name: 'Adam', config: {} } } }));
    assert.equal(logits.model.compile.loss, 'meanSquaredError');
    assert.deepEqual(validateErrors(logits.model), []);
    assert.ok(logits.notes.some((n) => n.severity === 'warning' && /from_logits=True/.test(n.message)));
  });

  it("takes a Keras 3 config.json's compile_config (optimizer object, loss object)", () => {
    const { model, source } = importKerasText(fixture('keras3-config-compiled.json'));
    assert.equal(source, 'keras3-config');
    assert.deepEqual(model.compile, { optimizer: 'sgd', learningRate: 0.01, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    assert.deepEqual(validateErrors(model), []);
  });
});

describe('the importer front door: nothing changes silently', () => {
  it('stops at unsupported layers, listing name, class and position; --bridge replaces them by pass-throughs', () => {
    const text = fixture('keras2-sequential-lstm.json');
    assert.throws(() => importKerasText(text), (err: Error) => {
      assert.ok(err instanceof UnsupportedLayersError);
      assert.deepEqual(err.layers, [{ name: 'lstm', className: 'LSTM', position: 3 }]);
      assert.match(err.message, /^The model has 1 layer CNN Studio cannot represent: 'lstm' \(LSTM, layer 3 of 5\)\. Nothing was written\..*--bridge/);
      return true;
    });
    const bridged = importKerasText(text, undefined, { bridge: true });
    assert.deepEqual(bridged.bridged.map((b) => b.name), ['lstm']);
    assert.ok(!bridged.model.nodes.some((n) => n.id === 'lstm'));
  });

  it('refuses a per-channel Rescaling and a Dropout whose noise shape is not spatial, by name (EfficientNet stem)', async () => {
    const text = fixture('keras2-efficientnet-stem.json');
    assert.throws(() => importKerasText(text), (err: Error) => {
      assert.ok(err instanceof UnsupportedLayersError);
      assert.deepEqual(err.layers.map((l) => `${l.name}:${l.className}:${l.position}`), ['rescaling_1:Rescaling:3', 'block1a_drop:Dropout:7']);
      assert.match(err.message, /'rescaling_1' \(Rescaling, layer 3 of 10: a per-channel scale \[2\.0896918976428642,2\.1128856368212916,2\.1081851067789197\]/);
      assert.match(err.message, /'block1a_drop' \(Dropout, layer 7 of 10: noise_shape \[null,1,1,1\]/);
      return true;
    });
    const { model } = importKerasText(text, undefined, { bridge: true });
    assert.ok(!model.nodes.some((n) => n.type === 'SpatialDropout2D'), 'no SpatialDropout2D is made of it');
    assert.equal(model.nodes.find((n) => n.id === 'rescaling')!.params['scale'] ?? 1 / 255, 0.00392156862745098, 'a plain Rescaling is kept exactly');
    await assertExportLoadsInTfjs(model, 'efficientnet stem (bridged)');
  });

  it('refuses a channels_first model, naming its layers and the fix', () => {
    assert.throws(() => importKerasText(fixture('keras2-channels-first.json')), /^KerasImportError: The model is channels_first \(data_format='channels_first' on 'up_sampling2d', 'conv2d'\).*data_format='channels_last'/);
  });

  it('still reads a real SpatialDropout2D written as Dropout with a [null, 1, 1, null] noise shape (tfjs)', () => {
    assert.deepEqual(importKerasText(fixture('tfjs-model.json')).model.nodes.map((n) => n.type), ['Input', 'Conv2D', 'SpatialDropout2D', 'GlobalAveragePooling2D', 'Dense']);
  });

  it("reads the Keras image tutorial's augmentation layers exactly (symmetric ranges as numbers or pairs) and refuses what it cannot keep, by name", () => {
    const text = fixture('keras3-augmentation.json');
    const { model } = importKerasText(text);
    const byType = (type: string) => model.nodes.find((n) => n.type === type)!;
    assert.deepEqual(model.nodes.map((n) => n.type), ['Input', 'RandomFlip', 'RandomRotation', 'RandomZoom', 'RandomTranslation', 'Rescaling', 'Conv2D', 'GlobalAveragePooling2D', 'Dense']);
    assert.deepEqual(byType('RandomRotation').params, {}, 'factor [-0.1, 0.1] is the default ±0.1; reflect and bilinear are the defaults');
    assert.deepEqual(byType('RandomZoom').params, {}, 'height_factor 0.1, no width factor (the aspect ratio is kept)');
    assert.deepEqual(byType('RandomTranslation').params, { heightFactor: 0.2, fillMode: 'nearest', interpolation: 'nearest' });
    assert.deepEqual(validateErrors(model), []);
    // Our Keras JSON export imports back to the same model.
    assert.deepEqual(importKerasModel(toKerasJson(model)).model.nodes.map((n) => [n.type, n.params]), model.nodes.map((n) => [n.type, n.params]));

    const file = JSON.parse(text) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const cfg = (cls: string): Record<string, unknown> => file.config.layers.find((l) => l.class_name === cls)!.config;
    cfg('RandomZoom')['height_factor'] = [0.2, 0.3];
    cfg('RandomRotation')['interpolation'] = 'bicubic';
    cfg('RandomTranslation')['fill_mode'] = 'crop';
    assert.throws(() => importKerasText(JSON.stringify(file)), (err: Error) => {
      assert.ok(err instanceof UnsupportedLayersError);
      assert.deepEqual(err.layers.map((l) => `${l.name}:${l.className}:${l.position}`), ['random_rotation:RandomRotation:3', 'random_zoom:RandomZoom:4', 'random_translation:RandomTranslation:5']);
      assert.match(err.message, /'random_zoom' \(RandomZoom, layer 4 of 9: height_factor \[0\.2,0\.3\], where CNN Studio draws from a range symmetric about 0 \(±height_factor\)/);
      assert.match(err.message, /'random_rotation' \(RandomRotation, layer 3 of 9: interpolation "bicubic", which CNN Studio's RandomRotation does not have \(bilinear, nearest\)/);
      assert.match(err.message, /'random_translation' \(RandomTranslation, layer 5 of 9: fill_mode "crop", which CNN Studio's RandomTranslation does not have \(reflect, wrap, constant, nearest\)/);
      return true;
    });
  });

  it("every imported fixture's export loads in stock tfjs with our parameter count", async () => {
    for (const name of ['keras22-sequential-list.json', 'ml5-model.json', 'keras2-transfer-nested.json', 'json-string-model.json', 'keras3-config-compiled.json', 'keras3-functional.json', 'nested-sequential.json', 'tfjs-model.json']) {
      await assertExportLoadsInTfjs(importKerasText(fixture(name)).model, name);
    }
  });
});

describe('the import report', () => {
  /** A TF.js model.json with a weights manifest and `n` conv layers with a non-default initializer, plus an unknown layer. */
  function manyLayers(n: number): KerasImportResult {
    const layers: object[] = [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 8, 8, 2] } }];
    const weights: object[] = [];
    for (let i = 0; i < n; i++) {
      layers.push({ class_name: 'Conv2D', config: { name: `c${i}`, filters: 2, kernel_size: [1, 1], kernel_initializer: { class_name: 'HeNormal', config: {} } } });
      weights.push({ name: `c${i}/kernel`, shape: [1, 1, 2, 2], dtype: 'float32' }, { name: `c${i}/bias`, shape: [2], dtype: 'float32' });
    }
    layers.push({ class_name: 'GroupNormalization', config: { name: 'gn', groups: 2 } }, { class_name: 'GlobalAveragePooling2D', config: { name: 'gap' } }, { class_name: 'Dense', config: { name: 'out', units: 2, activation: 'softmax' } });
    weights.push({ name: 'gn/gamma', shape: [2], dtype: 'float32' }, { name: 'gn/beta', shape: [2], dtype: 'float32' }, { name: 'out/kernel', shape: [2, 2], dtype: 'float32' }, { name: 'out/bias', shape: [2], dtype: 'float32' });
    const json = { format: 'layers-model', modelTopology: { model_config: { class_name: 'Sequential', config: { name: 'many', layers } } }, weightsManifest: [{ paths: ['w.bin'], weights }] };
    return importKerasText(JSON.stringify(json), undefined, { bridge: true });
  }

  it('is short: problems first (with the parameter counts that differ), then counts per kind', () => {
    const result = manyLayers(40);
    const params = analyzeModel(result.model).totals.params;
    const summary = summarizeImport(result, { params, validationErrors: [] });
    const text = formatImportSummary(summary);
    const lines = text.split('\n');
    assert.ok(result.notes.length > 40, `many notes: ${result.notes.length}`);
    assert.ok(lines.length <= 8, text);
    assert.equal(lines[0], `Imported 'many' from a TF.js model.json (Sequential): 43 layers, ${params.toLocaleString('en-US')} parameters, the file's weights manifest ${(params + 4).toLocaleString('en-US')}.`);
    assert.equal(lines[1], 'Problems (2):');
    assert.match(lines[2]!, /^ {2}- Parameters differ: CNN Studio counts 246, the file's weights manifest 250 \(4 fewer\)/);
    assert.match(lines[3]!, /^ {2}- \[gn\] GroupNormalization is not supported by CNN Studio and was removed/);
    assert.match(text, /\n {2}Changes \(4\d in \d kinds\):|\nChanges \(\d+ in \d kinds?\):/);
    assert.match(text, / {3}40 × kernel_initializer HeNormal is not kept: .* \(c0, c1, c2 and 37 more\)/);
  });
});
