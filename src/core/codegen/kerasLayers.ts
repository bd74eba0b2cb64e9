/**
 * One Keras layer constructor per model node, e.g. `layers.Conv2D(32, (3, 3), activation="relu", name="conv1")`.
 *
 * Keras' own defaults differ from the catalogue's (Conv2D's activation is `None` in Keras but `relu` in
 * our palette), so every argument is compared with the KERAS default (the catalogue's `keras.default`)
 * and written only when it differs; the required ones (filters, units, rate…) are always written,
 * positionally as in the Keras docs.
 */
import type { ModelNode } from '../format';
import { getLayerSpec } from '../catalogue';
import { CodegenError, resolvedParams, shapeParam } from './graph';
import { configParamNames, type KerasParam, kerasParams } from './kerasParams';
import { pyFloat, pyNumber, pyString, pyTuple, pyValue } from './python';

type Kw = [string, string];

/** A Python literal for a param value, as its kind reads best (`1.0` for floats, tuples for pairs). */
function pyParam(k: KerasParam): string {
  const v = k.value;
  if (k.spec.kind === 'float' && typeof v === 'number') {
    // A pixel scale of 1/255 reads better as a fraction than as 0.00392156862745098.
    if (k.kerasName === 'scale' && Math.abs(v * 255 - 1) < 1e-9) return '1.0 / 255';
    if (k.kerasName === 'scale' && Math.abs(v * 127.5 - 1) < 1e-9) return '1.0 / 127.5';
    return pyFloat(v);
  }
  if (k.spec.kind === 'int' && typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return pyString(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return pyTuple(v as number[]);
  if (Array.isArray(v) && v.every((x) => Array.isArray(x))) return pyTuple(v as number[][]);
  return pyValue(v === null || typeof v === 'boolean' || typeof v === 'number' ? v : null);
}

/**
 * Positional args and keyword args (without `name`) of the Keras constructor for `node`, in the order of
 * its Keras signature: positional ones always (a trailing one equal to Keras' default is left out, as
 * MaxPooling2D's pool size), keywords only when they differ from Keras' default.
 */
export function kerasLayerArgs(node: ModelNode): { className: string; positional: string[]; keywords: Kw[] } {
  const spec = getLayerSpec(node.type);
  if (!spec) throw new CodegenError(`Layer '${node.id}' (${node.type}) has no Keras equivalent in the exporter yet.`);
  if (node.type === 'Input') return { className: 'Input', positional: [], keywords: [['shape', pyTuple(shapeParam(resolvedParams(node), 'shape'))]] };
  const positional: string[] = [];
  const keywords: Kw[] = [];
  for (const k of kerasParams(node, spec, spec.kerasSignature ?? configParamNames(spec.kerasConfig))) {
    if (k.isKerasDefault) continue;
    if (k.spec.keras.positional) positional.push(pyParam(k));
    else keywords.push([k.kerasName, pyParam(k)]);
  }
  return { className: spec.kerasName, positional, keywords };
}

/** `layers.Conv2D(32, (3, 3), activation="relu", name="conv1")` (Input: `keras.Input(shape=…, name=…)`). */
export function kerasLayerExpression(node: ModelNode, layersPrefix = 'layers', inputPrefix = 'keras'): string {
  const { className, positional, keywords } = kerasLayerArgs(node);
  const callee = node.type === 'Input' ? `${inputPrefix}.Input` : `${layersPrefix}.${className}`;
  // A frozen layer (Keras' `trainable=False`; a frozen BatchNormalization then runs in inference mode).
  const frozen = node.trainable === false && node.type !== 'Input' ? ['trainable=False'] : [];
  const args = [...positional, ...keywords.map(([k, v]) => `${k}=${v}`), `name=${pyString(node.id)}`, ...frozen];
  return `${callee}(${args.join(', ')})`;
}
