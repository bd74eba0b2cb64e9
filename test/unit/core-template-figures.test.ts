/**
 * Figures are computed, never stored: a template's description (copied into the model file) carries
 * no parameter count, the template pickers show the count computed from the layers, and exported
 * code headers state the count of the model as exported, so an edited model never claims 124,810.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKerasScript } from '../../src/core/codegen/keras';
import { generateNotebookText } from '../../src/core/codegen/notebook';
import { generatePytorchScript } from '../../src/core/codegen/pytorch';
import { analyzeModel } from '../../src/core/shapeInference';
import { createModelFromTemplate, templateDetail, templateParamCount, TEMPLATES } from '../../src/core/templates';

test('no template description stores a parameter count; the picker detail computes it', () => {
  for (const t of TEMPLATES) {
    assert.doesNotMatch(t.description, /\d[\d,.]*\s*(k\s*)?(params|parameters)/i, t.id);
    const n = analyzeModel(createModelFromTemplate(t.id)).totals.params;
    assert.equal(templateParamCount(t.id), n);
    assert.ok(templateDetail(t).endsWith(` ${n.toLocaleString('en-US')} params.`), templateDetail(t));
  }
  assert.match(templateDetail(TEMPLATES.find((t) => t.id === 'tutorial-cifar')!), /124,810 params\.$/);
});

test('exported headers state the edited model’s own parameter count', () => {
  const model = createModelFromTemplate('tutorial-cifar', 'edited');
  model.nodes.find((n) => n.id === 'dense1')!.params['units'] = 64;
  const n = analyzeModel(model).totals.params;
  assert.notEqual(n, 124810);
  const expected = `${n.toLocaleString('en-US')} parameters`;
  for (const [name, text] of [
    ['keras', generateKerasScript(model)],
    ['pytorch', generatePytorchScript(model)],
    ['notebook', generateNotebookText(model)],
  ] as const) {
    assert.ok(text.includes(expected), `${name} header names ${expected}`);
    assert.ok(!text.includes('124,810'), `${name} still says 124,810`);
  }
});
