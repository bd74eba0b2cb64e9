/**
 * Keras JSON export and import, checked against tfjs-layers itself:
 * - every template (and the coverage models) built with buildTfModel and serialised by tfjs (the
 *   `model.json` a `model.save` writes) imports back to the same model: node types, params,
 *   connections, shapes and parameter counts;
 * - our Keras JSON export loads in tfjs' `modelFromJSON` with the same parameter count and output
 *   shape, and imports back to the same model;
 * - hand-written edge cases: Keras 3 style, batch_input_shape variants, an unsupported LSTM, a nested
 *   Sequential, a TF.js model.json with a SpatialDropout2D written as Dropout.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { isChain, resolvedParams } from '../../src/core/codegen/graph';
import { toKerasJson } from '../../src/core/codegen/kerasJson';
import type { ModelFile } from '../../src/core/format';
import { importKerasModel, importKerasText, KerasImportError } from '../../src/core/import/kerasImport';
import { analyzeModel } from '../../src/core/shapeInference';
import { TEMPLATES, createModelFromTemplate } from '../../src/core/templates';
import { buildTfModel } from '../../src/engine/model/buildTfModel';
import { coverageModels } from './export-coverage.helpers';

const FIXTURES = join(__dirname, '../fixtures/keras');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** What tfjs' model.save writes as model.json (topology + weights manifest). */
async function tfjsModelJson(model: ModelFile): Promise<Record<string, unknown>> {
  const built = buildTfModel(tf, model);
  let json: Record<string, unknown> = {};
  await built.save(
    tf.io.withSaveHandler(async (artifacts) => {
      json = { format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  built.dispose();
  return json;
}

/** Same nodes (ids, types, every resolved param, inputs) and the same analysis. */
function assertSameModel(actual: ModelFile, expected: ModelFile, label: string): void {
  // Node order may differ (tfjs writes its own topological order); the graph must not.
  assert.deepEqual(actual.nodes.map((n) => n.id).sort(), expected.nodes.map((n) => n.id).sort(), `${label}: node ids`);
  for (const e of expected.nodes) {
    const a = actual.nodes.find((n) => n.id === e.id)!;
    assert.equal(a.type, e.type, `${label}/${e.id}: type`);
    assert.deepEqual(a.inputs, e.inputs, `${label}/${e.id}: inputs`);
    const [ap, ep] = [resolvedParams(a), resolvedParams(e)];
    // tfjs stores a Reshape's -1 already resolved; the shapes compared below show it is the same size.
    if (e.type === 'Reshape' && (ep['targetShape'] as number[]).includes(-1)) delete ap['targetShape'], delete ep['targetShape'];
    assert.deepEqual(ap, ep, `${label}/${e.id}: params`);
    assert.equal(a.position, undefined, 'positions are left to the designer');
  }
  const aa = analyzeModel(actual);
  const ea = analyzeModel(expected);
  assert.equal(aa.totals.params, ea.totals.params, `${label}: parameter count`);
  for (const id of ea.order) assert.deepEqual(aa.nodes.get(id)?.outputShape, ea.nodes.get(id)?.outputShape, `${label}/${id}: shape`);
}

describe('Keras JSON import and export', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });
  const models = (): ModelFile[] => [...TEMPLATES.map((t) => createModelFromTemplate(t.id)), ...coverageModels()];

  it('imports what tfjs-layers writes for every template and coverage model back to the same model', async () => {
    for (const model of models()) {
      const json = await tfjsModelJson(model);
      const result = importKerasModel(json);
      assert.equal(result.source, 'tfjs-model-json');
      assert.ok(result.weightsManifest && result.weightsManifest.length > 0, 'the weights manifest comes along');
      assert.deepEqual(result.notes.filter((n) => n.severity === 'warning'), [], `${model.name}: no warnings`);
      assertSameModel(result.model, model, model.name);
    }
  });

  it('exports Keras JSON that tfjs loads with the same parameter count and output shape, and that imports back', async () => {
    for (const model of models()) {
      const analysis = analyzeModel(model);
      const loaded = await tf.models.modelFromJSON({ modelTopology: toKerasJson(model, { flavour: 'tfjs' }) as never });
      assert.equal(loaded.countParams(), analysis.totals.params, `${model.name}: parameter count in tfjs`);
      assert.deepEqual((loaded.outputs[0]!.shape as number[]).slice(1), analysis.nodes.get(analysis.outputIds[0]!)!.outputShape, `${model.name}: output shape in tfjs`);
      loaded.dispose();
      const json = toKerasJson(model);
      assert.equal(json['class_name'], isChain(model) ? 'Sequential' : 'Functional', `${model.name}: Sequential exactly when the graph is a chain`);
      assertSameModel(importKerasModel(JSON.parse(JSON.stringify(json))).model, model, `${model.name} (keras json)`);
    }
  });

  it('writes SpatialDropout2D as a Dropout with a noise shape for tfjs, and as itself for Keras', () => {
    const model = coverageModels().find((m) => m.name === 'branching')!;
    const layers = (j: Record<string, unknown>): { class_name: string; config: Record<string, unknown> }[] => (j['config'] as { layers: never[] }).layers;
    const tfjsLayer = layers(toKerasJson(model, { flavour: 'tfjs' })).find((l) => l.config['name'] === 'sd')!;
    assert.equal(tfjsLayer.class_name, 'Dropout');
    assert.deepEqual(tfjsLayer.config['noise_shape'], [null, 1, 1, null]);
    assert.equal(layers(toKerasJson(model)).find((l) => l.config['name'] === 'sd')!.class_name, 'SpatialDropout2D');
  });

  it('reads a Keras 3 functional model (batch_shape, keras_history tensors, a single input_layers triple, ReLU)', () => {
    const { model, notes, source } = importKerasText(fixture('keras3-functional.json'));
    assert.equal(source, 'keras3-config');
    assert.deepEqual(model.nodes.map((n) => `${n.id}:${n.type}<${n.inputs.join(',')}`), [
      'image:Input<',
      'stem:Conv2D<image',
      'stem_relu:Activation<stem',
      'branch:Conv2D<stem_relu',
      'merge:Add<stem_relu,branch',
      'pool:GlobalAveragePooling2D<merge',
      'probs:Dense<pool',
    ]);
    assert.deepEqual(model.nodes[0]!.params['shape'], [16, 16, 3]);
    assert.equal(model.nodes[1]!.params['activation'], 'linear', 'an embedded linear activation is kept (our default is relu)');
    assert.equal(model.nodes[1]!.params['useBias'], false);
    assert.equal(model.nodes[2]!.params['activation'] ?? 'relu', 'relu');
    assert.deepEqual(notes.filter((n) => n.severity === 'warning'), []);
    assert.ok(notes.some((n) => n.layer === 'stem' && /kernel_initializer HeNormal is not kept/.test(n.message)), 'a non-default initializer is reported');
    const a = analyzeModel(model);
    assert.deepEqual(a.nodes.get('probs')!.outputShape, [5]);
    assert.equal(a.totals.params, 3 * 3 * 3 * 8 + (3 * 3 * 8 * 8 + 8) + (8 * 5 + 5));
  });

  it('with bridge, removes an unsupported LSTM with reconnection and reports it, its regularizer and the shape it breaks', () => {
    const { model, notes } = importKerasText(fixture('keras2-sequential-lstm.json'), undefined, { bridge: true });
    assert.deepEqual(model.nodes.map((n) => `${n.id}:${n.type}<${n.inputs.join(',')}`), [
      'input:Input<',
      'conv:Conv2D<input',
      'to_sequence:Reshape<conv',
      'flatten:Flatten<to_sequence',
      'out:Dense<flatten',
    ]);
    assert.deepEqual(model.nodes[0]!.params['shape'], [12, 12, 1], 'batch_input_shape on the first layer');
    assert.equal(model.nodes[1]!.params['activation'], 'hardSigmoid');
    const lstm = notes.find((n) => n.layer === 'lstm')!;
    assert.equal(lstm.severity, 'warning');
    assert.match(lstm.message, /LSTM is not supported.*removed.*'to_sequence' instead/);
    assert.ok(notes.some((n) => n.layer === 'conv' && /kernel_regularizer is not supported/.test(n.message)));
  });

  it('inlines a nested Sequential inside a functional model', () => {
    const { model, notes } = importKerasText(fixture('nested-sequential.json'));
    assert.deepEqual(model.nodes.map((n) => `${n.id}:${n.type}<${n.inputs.join(',')}`), ['in:Input<', 'f_conv:Conv2D<in', 'f_pool:MaxPooling2D<f_conv', 'flat:Flatten<f_pool', 'head:Dense<flat']);
    assert.deepEqual(model.nodes[1]!.params['kernelSize'] ?? [3, 3], [3, 3], 'kernel_size 3 is [3, 3]');
    assert.ok(notes.some((n) => n.layer === 'features' && /inlined/.test(n.message)));
    assert.deepEqual(analyzeModel(model).nodes.get('head')!.outputShape, [4]);
  });

  it('reads a TF.js model.json: Dropout with a [null, 1, 1, null] noise shape is a SpatialDropout2D', () => {
    const { model, source, weightsManifest } = importKerasText(fixture('tfjs-model.json'));
    assert.equal(source, 'tfjs-model-json');
    assert.equal(model.name, 'tfjs_small');
    assert.deepEqual(model.nodes.map((n) => n.type), ['Input', 'Conv2D', 'SpatialDropout2D', 'GlobalAveragePooling2D', 'Dense']);
    assert.equal(model.nodes[2]!.params['rate'], 0.25);
    assert.equal(weightsManifest?.length, 1);
  });

  it("reads the older Keras names the catalogue lists for a param (Keras 1's output_dim, p, border_mode, subsample, bias)", () => {
    const layer = (class_name: string, config: Record<string, unknown>): Record<string, unknown> => ({ class_name, config: { name: `${class_name.toLowerCase()}1`, ...config } });
    const { model } = importKerasModel({
      class_name: 'Sequential',
      config: {
        name: 'keras1',
        layers: [
          layer('Convolution2D', { batch_input_shape: [null, 28, 28, 1], nb_filter: 8, kernel_size: [3, 3], border_mode: 'same', subsample: [2, 2], bias: false }),
          layer('Flatten', {}),
          layer('Dropout', { p: 0.25 }),
          layer('Dense', { output_dim: 10, activation: 'softmax' }),
        ],
      },
    });
    const byType = new Map(model.nodes.map((n) => [n.type, n.params]));
    assert.deepEqual(byType.get('Conv2D'), { filters: 8, strides: [2, 2], padding: 'same', activation: 'linear', useBias: false });
    assert.deepEqual(byType.get('Dropout'), { rate: 0.25 });
    assert.deepEqual(byType.get('Dense'), { units: 10, activation: 'softmax' });
  });

  it("reads Keras image models' activation, normalization and merge layers (MobileNet relu6, PReLU, squeeze-excite Multiply…)", () => {
    const layer = (class_name: string, name: string, config: Record<string, unknown>, inputs: string[]): Record<string, unknown> => ({
      class_name,
      name,
      config: { name, trainable: true, dtype: 'float32', ...config },
      inbound_nodes: inputs.length === 0 ? [] : [inputs.map((i) => [i, 0, 0, {}])],
    });
    const { model, notes } = importKerasModel({
      class_name: 'Functional',
      config: {
        name: 'keras_blocks',
        layers: [
          layer('InputLayer', 'img', { batch_input_shape: [null, 8, 8, 4] }, []),
          layer('ReLU', 'relu6', { max_value: 6.0, negative_slope: 0.0, threshold: 0.0 }, ['img']),
          layer('ReLU', 'capped', { max_value: 4.0, negative_slope: 0.1, threshold: 0.5 }, ['relu6']),
          layer('PReLU', 'prelu', { alpha_initializer: { class_name: 'Zeros', config: {} }, shared_axes: [1, 2] }, ['capped']),
          layer('ELU', 'elu', { alpha: 0.5 }, ['prelu']),
          layer('LayerNormalization', 'ln', { axis: [3], epsilon: 0.01, center: true, scale: false }, ['elu']),
          layer('Softmax', 'spatial_softmax', { axis: 2 }, ['ln']),
          layer('GlobalAveragePooling2D', 'squeeze', {}, ['spatial_softmax']),
          layer('Dense', 'excite', { units: 4, activation: 'sigmoid' }, ['squeeze']),
          layer('Reshape', 'gate', { target_shape: [1, 1, 4] }, ['excite']),
          layer('Multiply', 'se', {}, ['ln', 'gate']),
          layer('Average', 'avg', {}, ['se', 'ln']),
          layer('Maximum', 'max', {}, ['avg', 'se']),
          layer('Subtract', 'diff', {}, ['max', 'avg']),
          layer('GlobalMaxPooling2D', 'pool', {}, ['diff']),
          layer('Dense', 'logits', { units: 3 }, ['pool']),
          layer('Softmax', 'probs', { axis: -1 }, ['logits']),
        ],
        input_layers: [['img', 0, 0]],
        output_layers: [['probs', 0, 0]],
      },
    });
    assert.deepEqual(notes.filter((n) => n.severity === 'warning'), []);
    const byId = new Map(model.nodes.map((n) => [n.id, n]));
    const typeAndParams = (id: string): [string, unknown] => [byId.get(id)!.type, byId.get(id)!.params];
    assert.deepEqual(typeAndParams('relu6'), ['Activation', { activation: 'relu6' }], 'relu6 is the equal Activation');
    assert.deepEqual(typeAndParams('capped'), ['ReLU', { maxValue: 4, negativeSlope: 0.1, threshold: 0.5 }]);
    assert.deepEqual(typeAndParams('prelu'), ['PReLU', { sharedAxes: 'spatial' }]);
    assert.deepEqual(typeAndParams('elu'), ['ELU', { alpha: 0.5 }]);
    assert.deepEqual(typeAndParams('ln'), ['LayerNormalization', { epsilon: 0.01, scale: false }]);
    assert.deepEqual(typeAndParams('spatial_softmax'), ['Softmax', { axis: 2 }]);
    assert.deepEqual(['se', 'avg', 'max', 'diff'].map((id) => byId.get(id)!.type), ['Multiply', 'Average', 'Maximum', 'Subtract']);
    assert.deepEqual(byId.get('diff')!.inputs, ['max', 'avg']);
    assert.deepEqual(typeAndParams('probs'), ['Activation', { activation: 'softmax' }]);
    const analysis = analyzeModel(model);
    assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error'), []);
    // PReLU: one slope per channel; LayerNormalization: beta only (scale=false); the SE Dense 4·4+4; the head 4·3+3.
    assert.equal(analysis.totals.params, 4 + 4 + (4 * 4 + 4) + (4 * 3 + 3));
  });

  it('says what is wrong with files it cannot read', () => {
    assert.throws(() => importKerasText('{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 2}}]}}'), /does not say its input shape/);
    assert.throws(() => importKerasText('not json'), KerasImportError);
    assert.throws(() => importKerasText('{"modelTopology": null, "format": "graph-model"}'), /graph model/);
    assert.throws(() => importKerasText('{"class_name": "Dense", "config": {}}'), /Sequential or Functional/);
  });
});
