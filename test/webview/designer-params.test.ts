/** The inspector's text <-> value rules for every param kind (no browser). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getLayerSpec, LAYER_CATALOGUE, type ParamSpec } from '../../src/core/catalogue';
import type { ParamValue } from '../../src/core/format';
import { keyParamLabel, paramToText, parseParamText } from '../../webview/designer/paramText';

const spec = (type: string, param: string): ParamSpec => {
  const p = getLayerSpec(type)?.params[param];
  assert.ok(p, `${type}.${param}`);
  return p;
};

test('ints and floats: ranges from the catalogue, fractions allowed for floats', () => {
  assert.deepEqual(parseParamText(spec('Conv2D', 'filters'), ' 48 '), { ok: true, value: 48 });
  assert.equal(parseParamText(spec('Conv2D', 'filters'), '0').ok, false);
  assert.equal(parseParamText(spec('Conv2D', 'filters'), '3.5').ok, false);
  assert.equal(parseParamText(spec('Conv2D', 'filters'), '9000').ok, false);
  assert.deepEqual(parseParamText(spec('Dropout', 'rate'), '0.25'), { ok: true, value: 0.25 });
  const one = parseParamText(spec('Dropout', 'rate'), '1');
  assert.ok(!one.ok && /less than 1/.test(one.message), 'a dropout rate of 1 is refused (exclusive max)');
  assert.deepEqual(parseParamText(spec('Rescaling', 'scale'), '1/255'), { ok: true, value: 1 / 255 });
  assert.equal(paramToText(spec('Rescaling', 'scale'), 1 / 255), '0.00392157');
  assert.equal(parseParamText(spec('BatchNormalization', 'epsilon'), '0').ok, false);
});

test('pairs: one number means both, empty means auto where allowed', () => {
  assert.deepEqual(parseParamText(spec('Conv2D', 'kernelSize'), '5'), { ok: true, value: [5, 5] });
  assert.deepEqual(parseParamText(spec('Conv2D', 'kernelSize'), '3, 1'), { ok: true, value: [3, 1] });
  assert.deepEqual(parseParamText(spec('Conv2D', 'kernelSize'), '3x1'), { ok: true, value: [3, 1] });
  assert.equal(parseParamText(spec('Conv2D', 'kernelSize'), '').ok, false);
  assert.equal(parseParamText(spec('Conv2D', 'kernelSize'), '0, 3').ok, false);
  assert.deepEqual(parseParamText(spec('MaxPooling2D', 'strides'), ''), { ok: true, value: null });
  assert.equal(paramToText(spec('Conv2D', 'kernelSize'), [3, 3]), '3, 3');
});

test('pair2 (padding/cropping) and shapes', () => {
  assert.deepEqual(parseParamText(spec('ZeroPadding2D', 'padding'), '2'), { ok: true, value: [[2, 2], [2, 2]] });
  assert.deepEqual(parseParamText(spec('ZeroPadding2D', 'padding'), '1, 2'), { ok: true, value: [[1, 1], [2, 2]] });
  assert.deepEqual(parseParamText(spec('Cropping2D', 'cropping'), '0, 1, 2, 3'), { ok: true, value: [[0, 1], [2, 3]] });
  assert.equal(parseParamText(spec('Cropping2D', 'cropping'), '1, 2, 3').ok, false);
  assert.deepEqual(parseParamText(spec('Input', 'shape'), '[32, 32, 3]'), { ok: true, value: [32, 32, 3] });
  assert.equal(parseParamText(spec('Input', 'shape'), '32, -1, 3').ok, false);
  assert.deepEqual(parseParamText(spec('Reshape', 'targetShape'), '-1, 8'), { ok: true, value: [-1, 8] });
  assert.equal(parseParamText(spec('Reshape', 'targetShape'), '-1, -1').ok, false);
});

test('every catalogue default survives text and back', () => {
  for (const layer of LAYER_CATALOGUE.values()) {
    for (const [name, p] of Object.entries(layer.params)) {
      if (p.kind === 'bool' || p.kind === 'enum') continue;
      const dflt = p.default as ParamValue;
      const parsed = parseParamText(p, paramToText(p, dflt));
      assert.ok(parsed.ok, `${layer.type}.${name}: ${JSON.stringify(parsed)}`);
      if (p.kind === 'float') assert.ok(Math.abs((parsed.value as number) - (dflt as number)) < 1e-6, `${layer.type}.${name}`);
      else assert.deepEqual(parsed.value, dflt, `${layer.type}.${name}`);
    }
  }
});

test('node labels: units and filters named, default strides and linear activations left out', () => {
  assert.equal(keyParamLabel('filters', spec('Conv2D', 'filters'), 32), '32 filters');
  assert.equal(keyParamLabel('strides', spec('Conv2D', 'strides'), [1, 1]), null);
  assert.equal(keyParamLabel('strides', spec('Conv2D', 'strides'), [2, 2]), 'stride 2×2');
  assert.equal(keyParamLabel('activation', spec('Conv2D', 'activation'), 'linear'), null);
  assert.equal(keyParamLabel('kernelSize', spec('Conv2D', 'kernelSize'), [3, 3]), '3×3');
  assert.equal(keyParamLabel('rate', spec('Dropout', 'rate'), 0.5), 'rate 0.5');
});
