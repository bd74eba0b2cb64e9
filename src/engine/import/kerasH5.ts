/**
 * Reads a Keras 2 `.h5` model file (`model.save('model.h5')`), the layout written by tf-keras'
 * `saving/legacy/hdf5_format.py` (`save_model_to_hdf5`, `save_weights_to_hdf5_group`) and kept by
 * Keras 3's `legacy/saving/legacy_h5_format.py`:
 *   root attrs   model_config (JSON), training_config (JSON, when compiled), keras_version, backend
 *   model_weights/            attrs layer_names (split into layer_names0, layer_names1… when large)
 *     <layer name>/           attrs weight_names, e.g. `conv2d/kernel:0`, in the layer's legacy order
 *       <weight name>         one dataset per weight, the name read as a path (`conv2d/kernel:0`)
 * A nested model is one entry of layer_names; its group lists the weights of all its layers (all
 * trainable ones first, then the non-trainable ones), each named `<inner layer>/<variable>:0`.
 */
import type { Hdf5Group } from './hdf5Reader';
import { childAt, float32Values, isDataset, isGroup, openHdf5, stringAttr, stringListAttr } from './hdf5Reader';
import { KerasFileError, type KerasContainer, type KerasLayerWeights } from './kerasContainer';

/** Keras splits long list attributes into `name0`, `name1`… (HDF5's object header limit). */
function chunkedList(group: Hdf5Group, name: string): string[] | null {
  const whole = stringListAttr(group, name);
  if (whole) return whole;
  const parts: string[] = [];
  for (let k = 0; ; k++) {
    const part = stringListAttr(group, `${name}${k}`);
    if (!part) break;
    parts.push(...part);
  }
  return parts.length > 0 ? parts : null;
}

function checkJsonAttr(text: string, attr: string, label: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch (err) {
    throw new KerasFileError(`The ${attr} attribute of '${label}' is not valid JSON (${err instanceof Error ? err.message : String(err)}). Save the model again with Keras and import the new file.`);
  }
}

/** `conv2d/kernel:0` → layer `conv2d`, variable `kernel`; prefixes of enclosing scopes are ignored. */
function splitWeightName(weightName: string): { layer: string | null; variable: string } {
  const parts = weightName.replace(/:\d+$/, '').split('/');
  const variable = parts[parts.length - 1] ?? weightName;
  return { layer: parts.length >= 2 ? parts[parts.length - 2]! : null, variable };
}

function layerWeights(group: Hdf5Group, layerName: string, label: string): KerasLayerWeights[] {
  const byPath = new Map<string, KerasLayerWeights>();
  for (const weightName of chunkedList(group, 'weight_names') ?? []) {
    const ds = childAt(group, weightName);
    if (!isDataset(ds)) throw new KerasFileError(`'${label}' lists the weight '${weightName}' of layer '${layerName}' but does not hold it. The file is incomplete: save the model again with Keras.`);
    const { layer, variable } = splitWeightName(weightName);
    // A weight named after another layer belongs to a layer inside this (nested) model.
    const path = layer === null || layer === layerName ? [layerName] : [layerName, layer];
    const key = path.join('/');
    const entry = byPath.get(key) ?? { path, tensors: [] };
    entry.tensors.push({ name: variable, shape: [...ds.shape], values: float32Values(ds, label) });
    byPath.set(key, entry);
  }
  return [...byPath.values()];
}

export function readKerasH5(bytes: Uint8Array, label: string): KerasContainer {
  const root = openHdf5(bytes, label);
  const configText = stringAttr(root, 'model_config');
  if (configText === null) {
    const weightsOnly = chunkedList(root, 'layer_names') !== null || isGroup(childAt(root, 'layers')) || isGroup(childAt(root, 'vars'));
    throw new KerasFileError(
      weightsOnly
        ? `'${label}' holds only weights (model.save_weights), not the model. Save the whole model with model.save('model.h5') or model.save('model.keras'), or import the model's JSON (model.to_json()).`
        : `'${label}' is an HDF5 file but not a Keras model (it has no model_config). Save the model with model.save('model.h5') or model.save('model.keras').`,
    );
  }
  const trainingText = stringAttr(root, 'training_config');
  // The importer reads the attributes as the JSON document Keras' model.to_json() would have written.
  const documentText = `{"model_config": ${checkJsonAttr(configText, 'model_config', label)}${trainingText === null ? '' : `, "training_config": ${checkJsonAttr(trainingText, 'training_config', label)}`}}`;

  const weightsRoot = childAt(root, 'model_weights');
  const weights: KerasLayerWeights[] = [];
  if (isGroup(weightsRoot)) {
    for (const layerName of chunkedList(weightsRoot, 'layer_names') ?? []) {
      const group = childAt(weightsRoot, layerName);
      if (isGroup(group)) weights.push(...layerWeights(group, layerName, label));
    }
  }
  const kerasVersion = stringAttr(root, 'keras_version') ?? (isGroup(weightsRoot) ? stringAttr(weightsRoot, 'keras_version') : null);
  return { format: 'keras-h5', documentText, weights, kerasVersion };
}
