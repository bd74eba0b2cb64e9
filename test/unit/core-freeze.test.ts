/**
 * Freezing in the model format: `"trainable": false` is read, written and validated, moves a layer's
 * parameters to the non-trainable total (as Keras' summary counts a frozen layer), and the
 * `setTrainable` edit freezes or unfreezes a selection in one step.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyModelEdit, ModelEditError } from '../../src/core/applyModelEdit';
import { parseModelText, serializeModel } from '../../src/core/loader';
import { analyzeModel } from '../../src/core/shapeInference';
import { formatSummary } from '../../src/core/summary';
import { importKerasText } from '../../src/core/import/kerasImport';
import { createModelFromTemplate } from '../../src/core/templates';

describe('trainable: false in the model format', () => {
  it('round-trips, counts the frozen layers as non-trainable, and unfreezes back to the original text', () => {
    const model = createModelFromTemplate('mnist-small');
    const original = serializeModel(model);
    const before = analyzeModel(model).totals;
    const convs = model.nodes.filter((n) => n.type === 'Conv2D').map((n) => n.id);
    assert.ok(convs.length >= 2);
    const frozen = applyModelEdit(model, { kind: 'setTrainable', ids: convs, trainable: false });
    const text = serializeModel(frozen);
    assert.equal((text.match(/"trainable": false/g) ?? []).length, convs.length);
    const reparsed = parseModelText(text);
    assert.deepEqual(reparsed.diagnostics.filter((d) => d.severity !== 'info'), []);
    assert.deepEqual(reparsed.model!.nodes.filter((n) => n.trainable === false).map((n) => n.id), convs);

    const a = analyzeModel(reparsed.model!);
    const convParams = convs.reduce((s, id) => s + a.nodes.get(id)!.params, 0);
    assert.equal(a.totals.params, before.params);
    assert.equal(a.totals.trainableParams, before.trainableParams - convParams);
    assert.equal(a.totals.nonTrainableParams, before.nonTrainableParams + convParams);
    for (const id of convs) assert.equal(a.nodes.get(id)!.trainableParams, 0);
    assert.match(formatSummary(reparsed.model!, a), new RegExp(`Non-trainable params: ${(before.nonTrainableParams + convParams).toLocaleString('en-US')} `));

    assert.equal(serializeModel(applyModelEdit(frozen, { kind: 'setTrainable', ids: convs, trainable: true })), original);
  });

  it('keeps only false: "trainable": true is the default and is not stored', () => {
    const text = serializeModel(createModelFromTemplate('mnist-small')).replace('"type": "Conv2D",', '"type": "Conv2D",\n      "trainable": true,');
    const parsed = parseModelText(text);
    assert.ok(parsed.model);
    assert.ok(parsed.model.nodes.every((n) => n.trainable === undefined));
  });

  it('reports a non-boolean trainable with the schema', () => {
    const text = serializeModel(createModelFromTemplate('mnist-small')).replace('"type": "Conv2D",', '"type": "Conv2D",\n      "trainable": "no",');
    const parsed = parseModelText(text);
    assert.ok(parsed.diagnostics.some((d) => d.severity === 'error' && /trainable/.test(d.message)), JSON.stringify(parsed.diagnostics));
  });

  it('refuses to freeze a layer that does not exist', () => {
    assert.throws(() => applyModelEdit(createModelFromTemplate('mnist-small'), { kind: 'setTrainable', ids: ['nope'], trainable: false }), ModelEditError);
  });

  it('keeps a Keras layer frozen on import (trainable: false, as base_model.trainable = False writes)', () => {
    const keras = {
      class_name: 'Sequential',
      config: {
        name: 'frozen_base',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 8, 8, 1], name: 'in' } },
          { class_name: 'Conv2D', config: { name: 'base_conv', trainable: false, filters: 4, kernel_size: [3, 3], activation: 'relu' } },
          { class_name: 'Flatten', config: { name: 'flat', trainable: false } },
          { class_name: 'Dense', config: { name: 'head', trainable: true, units: 2, activation: 'softmax' } },
        ],
      },
      keras_version: '2.15.0',
    };
    const result = importKerasText(JSON.stringify(keras));
    assert.deepEqual(result.model.nodes.filter((n) => n.trainable === false).map((n) => n.id), ['base_conv', 'flat']);
    assert.equal(analyzeModel(result.model).totals.nonTrainableParams, 3 * 3 * 4 + 4);
  });
});
