/**
 * Reads a Keras 3 `.keras` archive (`model.save('model.keras')`), the layout written by Keras 3's
 * `saving/saving_lib.py` (`_save_model_to_fileobj`, `_save_state`, `_save_container_state`, `H5IOStore`):
 *   a zip of config.json (the serialized model, `compile_config` when compiled), metadata.json
 *   (`keras_version`, `date_saved`) and model.weights.h5.
 * In model.weights.h5 each object's variables are datasets `0`, `1`… of a `vars` group at the object's
 * path. A model's layers sit under `layers/`, addressed not by their names but by their class names in
 * snake case, numbered per class in layer order (`conv2d`, `conv2d_1`, `batch_normalization`…); a nested
 * model continues the same way under its own path (`layers/functional/layers/conv2d/vars/0`).
 */
import { unzipSync } from 'fflate';
import { isRecord as isObj, type UnknownRecord as Obj } from '../../core/guards';
import type { Hdf5Group } from './hdf5Reader';
import { childAt, float32Values, isDataset, isGroup, openHdf5 } from './hdf5Reader';
import { KerasFileError, type KerasContainer, type KerasLayerWeights } from './kerasContainer';

const CONFIG = 'config.json';
const METADATA = 'metadata.json';
const WEIGHTS = 'model.weights.h5';
const NPZ_WEIGHTS = 'model.weights.npz';


/** A zip's local file header signature. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Keras' `naming.to_snake_case`, which names the saved state of each layer after its class. */
export function kerasSnakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const isModelClass = (c: string): boolean => c === 'Sequential' || c === 'Functional' || c === 'Model';

function jsonEntry(files: Record<string, Uint8Array>, name: string, label: string): { text: string; json: unknown } | null {
  const bytes = files[name];
  if (!bytes) return null;
  const text = new TextDecoder().decode(bytes);
  try {
    return { text, json: JSON.parse(text) };
  } catch (err) {
    throw new KerasFileError(`${name} in '${label}' is not valid JSON (${err instanceof Error ? err.message : String(err)}). Save the model again with Keras and import the new file.`);
  }
}

/** The variables `vars/0`, `vars/1`… of the object at `node`, in index order. */
function variablesOf(node: Hdf5Group | null, label: string): KerasLayerWeights['tensors'] {
  const vars = node ? childAt(node, 'vars') : null;
  if (!isGroup(vars)) return [];
  return vars.keys
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .flatMap((k) => {
      const ds = childAt(vars, k);
      return isDataset(ds) ? [{ name: k, shape: [...ds.shape], values: float32Values(ds, label) }] : [];
    });
}

/** Walks a model's config and its saved state side by side, as Keras' `_save_container_state` does. */
function collectModel(model: Obj, node: Hdf5Group | null, enclosing: string[], out: KerasLayerWeights[], label: string): void {
  const cls = typeof model['class_name'] === 'string' ? model['class_name'] : '';
  const config = isObj(model['config']) ? model['config'] : {};
  const layers = Array.isArray(config['layers']) ? config['layers'].filter(isObj) : [];
  const used = new Map<string, number>();
  for (const layer of layers) {
    const layerClass = typeof layer['class_name'] === 'string' ? layer['class_name'] : '';
    // Sequential.layers leaves out its InputLayer, so it takes no name there.
    if (cls === 'Sequential' && layerClass === 'InputLayer') continue;
    const base = kerasSnakeCase(layerClass);
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    const stateName = count === undefined ? base : `${base}_${count + 1}`;
    const layerConfig = isObj(layer['config']) ? layer['config'] : {};
    const name = typeof layerConfig['name'] === 'string' ? layerConfig['name'] : stateName;
    const child = node ? childAt(node, `layers/${stateName}`) : null;
    const state = isGroup(child) ? child : null;
    if (isModelClass(layerClass)) {
      collectModel(layer, state, [...enclosing, name], out, label);
      continue;
    }
    const tensors = variablesOf(state, label);
    if (tensors.length > 0) out.push({ path: [...enclosing, name], tensors });
  }
}

export function readKerasArchive(bytes: Uint8Array, label: string): KerasContainer {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name === CONFIG || f.name === METADATA || f.name === WEIGHTS || f.name === NPZ_WEIGHTS });
  } catch (err) {
    throw new KerasFileError(`'${label}' is a damaged zip archive (${err instanceof Error ? err.message : String(err)}). Save the model again with model.save('model.keras').`);
  }
  const config = jsonEntry(files, CONFIG, label);
  const document = config?.json;
  if (!config || !isObj(document)) throw new KerasFileError(`'${label}' is a zip archive without a Keras ${CONFIG}, so not a .keras model. Save the model with model.save('model.keras').`);
  const metadata = jsonEntry(files, METADATA, label)?.json;
  const kerasVersion = isObj(metadata) && typeof metadata['keras_version'] === 'string' ? metadata['keras_version'] : null;
  const weightsFile = files[WEIGHTS];
  if (!weightsFile && files[NPZ_WEIGHTS]) {
    throw new KerasFileError(`'${label}' stores its weights as ${NPZ_WEIGHTS}, which CNN Studio cannot read. Save the model with Keras' default weights format: model.save('model.keras').`);
  }
  const weights: KerasLayerWeights[] = [];
  if (weightsFile) collectModel(document, openHdf5(weightsFile, `${label}/${WEIGHTS}`), [], weights, label);
  return { format: 'keras-archive', documentText: config.text, weights, kerasVersion };
}
