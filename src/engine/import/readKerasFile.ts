/** The entry for Keras files with weights (`.h5`, `.keras`), shared by the CLI and VS Code's Import…. */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isHdf5 } from './hdf5Reader';
import { isZip, readKerasArchive } from './kerasArchive';
import { KerasFileError, type KerasContainer } from './kerasContainer';
import { readKerasH5 } from './kerasH5';

/** Extensions of Keras files that carry their weights. */
export const KERAS_CONTAINER_EXTENSIONS: readonly string[] = ['.h5', '.hdf5', '.keras'];

export function isKerasContainerPath(path: string): boolean {
  return KERAS_CONTAINER_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** Reads a `.h5` or `.keras` file, telling them apart by their bytes (a renamed file still works). */
export function readKerasContainer(path: string): KerasContainer {
  const bytes = new Uint8Array(readFileSync(path));
  const label = basename(path);
  if (isHdf5(bytes)) return readKerasH5(bytes, label);
  if (isZip(bytes)) return readKerasArchive(bytes, label);
  throw new KerasFileError(`'${label}' is neither a Keras .h5 (HDF5) file nor a .keras (zip) archive. Save the model with model.save('model.keras') or model.save('model.h5'), or export it with model.to_json().`);
}
