/**
 * The front door of the Keras import: from a file's text to the model config inside it, whatever layout
 * the file has. Keras JSON (`model.to_json()`, Keras 1 to 3), the same JSON stored as a JSON string (what
 * `json.dump(model.to_json(), f)` writes), a Keras 3 `config.json`, an H5 `model_config`, and a TF.js
 * `model.json`; a TF.js graph model is recognised and refused with what to do instead.
 */
import { offsetBeyondDepth } from '../jsonDepth';
import { UserFacingError } from '../userFacingError';

/** The file is not a Keras model we can read; the message says what was expected. */
export class KerasImportError extends UserFacingError {
  constructor(message: string) {
    super(message, 'KerasImportError');
  }
}

export type KerasSource = 'keras-json' | 'tfjs-model-json' | 'keras3-config';

export type Json = unknown;
export type Obj = Record<string, Json>;

export const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Far above any real Keras file (a deeply nested functional model stays under 50). */
const MAX_KERAS_JSON_DEPTH = 500;

/**
 * Parses JSON text with the depth guard. Keras files nest deeper than ours (nested models, serialized
 * configs), but not hundreds of levels; deeper input would overflow the recursive readers after it.
 */
function parseKerasJson(text: string): Json {
  if (offsetBeyondDepth(text, MAX_KERAS_JSON_DEPTH) >= 0) {
    throw new KerasImportError(`The file nests values more than ${MAX_KERAS_JSON_DEPTH} levels deep, which no Keras or TF.js model file does: it is damaged or not a model. Export the model again (model.to_json() or model.save).`);
  }
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new KerasImportError(`The file is not valid JSON (${(err as Error).message}). Expected Keras JSON (model.to_json()) or a TF.js model.json.`);
  }
}

/**
 * The document inside `text`. `json.dump(model.to_json(), f)` stores the model JSON as one JSON string
 * (Keras users read it back with `model_from_json(json.load(f))`): such a string is decoded once more.
 */
export function decodeKerasText(text: string): Json {
  return decodedOnceMore(parseKerasJson(text));
}

/** A JSON string holding a JSON object or array is that object; anything else is returned as it is. */
export function decodedOnceMore(json: Json): Json {
  if (typeof json !== 'string' || !/^\s*[{[]/.test(json)) return json;
  return parseKerasJson(json);
}

export interface LocatedModel {
  /** `{class_name, config}` of the top model. */
  config: Obj;
  source: KerasSource;
  /** The TF.js weights manifest when the file had one (the caller reads the weight files). */
  weightsManifest: unknown[] | null;
}

/**
 * A TF.js graph model (tensorflowjs_converter's `tfjs_graph_model` output, from a SavedModel or a frozen
 * graph): `format: "graph-model"`, and a `modelTopology` that is a TensorFlow GraphDef (`node`,
 * `library`, `versions`) instead of Keras layers.
 */
function isGraphModel(json: Obj): boolean {
  const topo = json['modelTopology'];
  return json['format'] === 'graph-model' || (isObj(topo) && Array.isArray(topo['node']));
}

function graphModelError(json: Obj): KerasImportError {
  const topo = json['modelTopology'];
  const ops = isObj(topo) && Array.isArray(topo['node']) ? ` (a TensorFlow graph of ${topo['node'].length} operations)` : '';
  return new KerasImportError(
    `This model.json is a TF.js graph model${ops}, converted from a SavedModel or a frozen graph: it holds TensorFlow operations, not Keras layers, so it cannot be imported. Import the Keras model instead (its .h5 or .keras file, or model.to_json()), or convert it with tensorflowjs_converter --output_format tfjs_layers_model.`,
  );
}

/** Finds the model config inside whatever JSON was given. */
export function locateModelConfig(json: Json): LocatedModel {
  if (!isObj(json)) throw new KerasImportError('The file is not a JSON object. Expected Keras JSON (model.to_json()), a Keras 3 config.json or a TF.js model.json.');
  if (isGraphModel(json)) throw graphModelError(json);
  const manifest = Array.isArray(json['weightsManifest']) ? (json['weightsManifest'] as unknown[]) : null;
  if ('modelTopology' in json) {
    const topo = decodedOnceMore(json['modelTopology']);
    if (!isObj(topo)) throw new KerasImportError('This model.json has no layers model topology (modelTopology is empty): it may be a TF.js graph model, converted from a SavedModel. Only TF.js layers models can be imported: save the Keras model as .h5 or convert it with --output_format tfjs_layers_model.');
    const inner = decodedOnceMore(topo['model_config']);
    return { config: isObj(inner) ? inner : topo, source: 'tfjs-model-json', weightsManifest: manifest };
  }
  const modelConfig = decodedOnceMore(json['model_config']);
  if (isObj(modelConfig)) return { config: modelConfig, source: 'keras-json', weightsManifest: manifest };
  if (typeof json['module'] === 'string' || 'registered_name' in json) return { config: json, source: 'keras3-config', weightsManifest: null };
  return { config: json, source: 'keras-json', weightsManifest: null };
}

/**
 * The layer list of a Sequential config. Keras up to 2.2.4 (`Sequential.get_config` returned
 * `copy.deepcopy(config)`, a list of `{class_name, config}`) and the TF.js converter's output of such
 * files (ml5's models) store `config` as the list itself; later versions as `{name, layers: [...]}`.
 */
export function sequentialLayers(config: Json): Obj[] {
  const list = Array.isArray(config) ? config : isObj(config) && Array.isArray(config['layers']) ? config['layers'] : [];
  return list.filter(isObj);
}

/** The `config` of a layer or model as an object (a Keras ≤ 2.2 Sequential's list becomes `{layers}`). */
export function configOf(layer: Obj): Obj {
  const c = layer['config'];
  if (Array.isArray(c)) return { layers: c };
  return isObj(c) ? c : {};
}
