/**
 * Typed reading of an HDF5 file held in memory, over jsfive (pure JavaScript: runs in the engine, the
 * CLI and the extension host without a native or wasm build). Only what the Keras readers need: groups,
 * string attributes and float datasets.
 */
import { Dataset, File, Group } from 'jsfive';
import { KerasFileError } from './kerasContainer';

export type Hdf5Group = Group;
export type Hdf5Dataset = Dataset;

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when the bytes start with HDF5's 8-byte signature (a file without a user block). */
export function isHdf5(bytes: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Opens `bytes` as HDF5; `label` names the file in messages. */
export function openHdf5(bytes: Uint8Array, label: string): Group {
  if (!isHdf5(bytes)) throw new KerasFileError(`'${label}' is not an HDF5 file (it lacks the HDF5 signature). Save the model again with model.save('model.h5') or model.save('model.keras').`);
  try {
    // jsfive reads from an ArrayBuffer of exactly the file.
    return new File(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, label);
  } catch (err) {
    throw new KerasFileError(`'${label}' is a damaged or unsupported HDF5 file (${describe(err)}). Save the model again with Keras and import the new file.`);
  }
}

// jsfive throws strings as well as Errors.
function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The group or dataset at `path` under `group`, or null when any part is missing. */
export function childAt(group: Group, path: string): Group | Dataset | null {
  try {
    return group.get(path);
  } catch {
    return null;
  }
}

export function isGroup(node: Group | Dataset | null): node is Group {
  return node instanceof Group;
}

export function isDataset(node: Group | Dataset | null): node is Dataset {
  return node instanceof Dataset;
}

/** h5py writes Python bytes as fixed-length strings, which jsfive returns padded with NULs. */
const unpad = (s: string): string => s.replace(/\0+$/, '');

/** A string attribute (fixed- or variable-length), or null when absent or not a string. */
export function stringAttr(group: Group, name: string): string | null {
  const v = group.attrs[name];
  if (typeof v === 'string') return unpad(v);
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return unpad(v[0]);
  return null;
}

/** A string-array attribute, or null when absent. */
export function stringListAttr(group: Group, name: string): string[] | null {
  if (!Object.hasOwn(group.attrs, name)) return null;
  const v = group.attrs[name];
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is string => typeof x === 'string').map(unpad);
}

/** A float dataset as float32 (float64 weights are narrowed as tfjs trains in float32). */
export function float32Values(ds: Dataset, label: string): Float32Array {
  const dtype = typeof ds.dtype === 'string' ? ds.dtype : JSON.stringify(ds.dtype);
  if (!/^[<>|=]?f[48]$/.test(dtype)) {
    throw new KerasFileError(`The weight '${ds.name}' in '${label}' has the type ${dtype}; CNN Studio reads float weights only. Save the model with float32 weights (the Keras default) and import again.`);
  }
  let values: ArrayLike<number | bigint>;
  try {
    values = ds.value;
  } catch (err) {
    throw new KerasFileError(`The weight '${ds.name}' in '${label}' cannot be read (${describe(err)}). Save the model again with Keras and import the new file.`);
  }
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  return out;
}
