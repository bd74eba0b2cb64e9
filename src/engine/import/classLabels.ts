/**
 * Class names for an imported model, from the labels.txt that Teachable Machine's Keras export puts next
 * to keras_model.h5 (one class a line, `0 Cats`, `1 Dogs`…). Keras files themselves do not name classes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const LABELS_FILE = 'labels.txt';

/** The class names in `labels.txt` beside `modelPath`, in line order; null when there is none. */
export function classLabelsBeside(modelPath: string): string[] | null {
  const path = join(dirname(modelPath), LABELS_FILE);
  if (!existsSync(path)) return null;
  const names = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^\d+\s+/, ''))
    .filter((line) => line !== '');
  return names.length > 0 ? names : null;
}
