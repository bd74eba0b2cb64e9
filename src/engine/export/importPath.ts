/** Where an imported model file goes by default (shared by the CLI and VS Code). */
import { basename, dirname, join } from 'node:path';

/** `model.json` → `model.cnn.json`, `net.keras.json` → `net.cnn.json`, next to the input. */
export function defaultImportPath(file: string): string {
  const name = basename(file).replace(/(\.keras)?\.json$/i, '');
  return join(dirname(file), `${name || 'imported'}.cnn.json`);
}
