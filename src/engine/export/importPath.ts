/** Where an imported model file goes by default (shared by the CLI and VS Code). */
import { basename, dirname, join } from 'node:path';

/** What Import… offers in its file dialog (without dots): Keras files with weights, and JSON. */
export const IMPORT_EXTENSIONS: string[] = ['keras', 'h5', 'hdf5', 'json'];

/** `model.json` → `model.cnn.json`, `net.keras.json`, `net.h5` or `net.keras` → `net.cnn.json`, next to the input. */
export function defaultImportPath(file: string): string {
  const name = basename(file).replace(/(\.keras)?\.json$|\.(h5|hdf5|keras)$/i, '');
  return join(dirname(file), `${name || 'imported'}.cnn.json`);
}
