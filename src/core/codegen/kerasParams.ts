/**
 * A node's params as Keras spells them, read from the catalogue's Keras facts: the JSON exporter and the
 * Python exporter both walk a layer's Keras config through this module, so neither keeps its own
 * per-layer table of snake_case names or defaults.
 */
import { ACTIVATIONS, type EnumParamSpec, type KerasConfigEntry, type KerasJsonValue, kerasActivationName, type LayerSpec, type ParamSpec } from '../catalogue';
import type { LayerParams, ModelNode } from '../format';
import { CodegenError, boolParam, numberParam, pair2Param, pairParam, resolvedParams, shapeParam, stringParam } from './graph';

/** One param of a node, as Keras names and holds it. */
export interface KerasParam {
  /** The Keras config key / constructor keyword. */
  kerasName: string;
  /** The catalogue's name for it. */
  name: string;
  spec: ParamSpec;
  /** The value checked against the param's kind, as Keras writes it (activation names in Keras' spelling). */
  value: KerasJsonValue;
  /** True when Keras' own default is known and the value equals it (the Python export leaves it out). */
  isKerasDefault: boolean;
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** How Keras writes one of an enum param's values (activation names in Keras' spelling, mapped values). */
function kerasEnumValue(spec: EnumParamSpec, v: string): KerasJsonValue {
  if (spec.values === ACTIVATIONS) return kerasActivationName(v);
  const mapped = spec.keras.values;
  return mapped && Object.hasOwn(mapped, v) ? mapped[v]! : v;
}

function checkedValue(params: LayerParams, name: string, spec: ParamSpec): KerasJsonValue {
  switch (spec.kind) {
    case 'int':
      return numberParam(params, name);
    case 'float':
      return spec.nullable && (params[name] === null || params[name] === undefined) ? null : numberParam(params, name);
    case 'bool':
      return boolParam(params, name);
    case 'enum': {
      const v = stringParam(params, name);
      return kerasEnumValue(spec, v);
    }
    case 'pair':
      return spec.nullable && (params[name] === null || params[name] === undefined) ? null : pairParam(params, name);
    case 'pair2':
      return pair2Param(params, name);
    case 'shape':
      return shapeParam(params, name);
  }
}

/** The node's param whose Keras name is `kerasName`. */
function paramByKerasName(spec: LayerSpec, kerasName: string): [string, ParamSpec] {
  const found = Object.entries(spec.params).find(([, p]) => p.keras.name === kerasName);
  if (!found) throw new CodegenError(`The catalogue's Keras config of ${spec.type} names '${kerasName}', which none of its params is.`);
  return found;
}

/** The node's params named in `kerasNames` (Keras names), in that order. */
export function kerasParams(node: ModelNode, spec: LayerSpec, kerasNames: readonly string[]): KerasParam[] {
  const params = resolvedParams(node);
  return kerasNames.map((kerasName) => {
    const [name, p] = paramByKerasName(spec, kerasName);
    const value = checkedValue(params, name, p);
    const kerasDefault = p.keras.default;
    const isKerasDefault = kerasDefault !== undefined && sameValue(value, p.kind === 'enum' && typeof kerasDefault === 'string' ? kerasEnumValue(p, kerasDefault) : kerasDefault);
    return { kerasName, name, spec: p, value, isKerasDefault };
  });
}

/** The Keras names of the params in a layer's Keras config, in config order. */
export function configParamNames(config: readonly KerasConfigEntry[]): string[] {
  return config.filter((e): e is string => typeof e === 'string');
}
