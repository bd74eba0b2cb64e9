/**
 * CIFAR-10's binary version (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin` as validation,
 * `batches.meta.txt` for class names). Each record is one label byte and 3,072 pixel bytes stored as
 * three 32×32 planes (R, G, B); we store HWC like every other source.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SkippedFile } from '../../protocol/engine';
import type { ImageSet, RawDataset } from './dataset';
import { DatasetError } from './errors';
import { listSkipped } from './skippedFiles';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;
const DEFAULT_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** The folder with the batches: `dir` itself or its `cifar-10-batches-bin/` (how the archive unpacks). */
function batchDir(dir: string): string {
  const nested = join(dir, 'cifar-10-batches-bin');
  return existsSync(nested) ? nested : dir;
}

function trainBatches(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /^data_batch_\d+\.bin$/.test(n))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((n) => join(dir, n));
}

export function looksLikeCifar10(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && trainBatches(batchDir(dir)).length > 0;
  } catch {
    return false;
  }
}

/** The class names and where they came from, for the label check's message. */
interface ClassNames {
  readonly names: readonly string[];
  /** batches.meta.txt when it gave the names; null for CIFAR-10's own. */
  readonly metaPath: string | null;
}

function labelOutOfRange(path: string, label: number, classes: ClassNames): DatasetError {
  if (classes.metaPath === null) {
    return new DatasetError(`A record in '${path}' has label ${label}; CIFAR-10 labels are 0–9. Is this a CIFAR-100 file? Only CIFAR-10 is supported.`);
  }
  const n = classes.names.length;
  return new DatasetError(
    `A record in '${path}' has label ${label}, but '${classes.metaPath}' names only ${n} class${n === 1 ? '' : 'es'} (${classes.names.join(', ')}), so labels can only be 0–${n - 1}. ` +
      'Put one class name per line in batches.meta.txt, one for every label (CIFAR-10 has 10), or delete the file to use the CIFAR-10 names.',
  );
}

function readBatches(paths: readonly string[], channels: 1 | 3, classes: ClassNames, skipped: SkippedFile[]): ImageSet {
  const numClasses = classes.names.length;
  // Sizes first, then one file at a time: the raw batches never sit in memory beside the whole output
  // (CIFAR-10's 50,000 images stay near 150 MB instead of twice that).
  const usable = paths.filter((p) => {
    const size = statSync(p).size;
    if (size > 0 && size % RECORD === 0) return true;
    skipped.push({ path: p, reason: `size ${size} bytes is not a multiple of the ${RECORD}-byte CIFAR-10 record (truncated or not a CIFAR-10 binary batch)` });
    return false;
  });
  const count = usable.reduce((n, p) => n + statSync(p).size / RECORD, 0);
  const pixels = new Uint8Array(count * PLANE * channels);
  const labels = new Int32Array(count);
  let i = 0;
  for (const p of usable) {
    const buf = readFileSync(p);
    for (let r = 0; r < buf.length; r += RECORD, i++) {
      const label = buf[r]!;
      if (label >= numClasses) throw labelOutOfRange(p, label, classes);
      labels[i] = label;
      const base = r + 1;
      const out = i * PLANE * channels;
      if (channels === 3) {
        for (let q = 0; q < PLANE; q++) {
          pixels[out + 3 * q] = buf[base + q]!;
          pixels[out + 3 * q + 1] = buf[base + PLANE + q]!;
          pixels[out + 3 * q + 2] = buf[base + 2 * PLANE + q]!;
        }
      } else {
        for (let q = 0; q < PLANE; q++) {
          pixels[out + q] = Math.round(0.299 * buf[base + q]! + 0.587 * buf[base + PLANE + q]! + 0.114 * buf[base + 2 * PLANE + q]!);
        }
      }
    }
  }
  return { shape: [SIDE, SIDE, channels], pixels, labels, count, paths: null };
}

function classNamesFor(d: string): ClassNames {
  const metaPath = join(d, 'batches.meta.txt');
  return existsSync(metaPath)
    ? { names: readFileSync(metaPath, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean), metaPath }
    : { names: DEFAULT_CLASSES, metaPath: null };
}

/** The held-out batch of a folder (`test_batch.bin`), or null when it has none. */
export function cifarTestBatchIn(dir: string): string | null {
  const p = join(batchDir(dir), 'test_batch.bin');
  return existsSync(p) ? p : null;
}

/** One CIFAR-10 binary batch file (a held-out `test_batch.bin`); class names from `batches.meta.txt` beside it. */
export function loadCifar10Batch(path: string, channels: 1 | 3): { set: ImageSet; classNames: readonly string[]; skipped: SkippedFile[] } {
  const classes = classNamesFor(dirname(path));
  const skipped: SkippedFile[] = [];
  const set = readBatches([path], channels, classes, skipped);
  if (set.count === 0) throw new DatasetError(`'${path}' could not be read as a CIFAR-10 batch: ${listSkipped(skipped, skipped.length)}. Unpack the archive again.`);
  return { set, classNames: classes.names, skipped };
}

export function loadCifar10(dir: string, channels: 1 | 3): RawDataset {
  if (!existsSync(dir)) throw new DatasetError(`The CIFAR-10 folder '${dir}' does not exist. Unpack 'cifar-10-binary.tar.gz' there.`);
  const d = batchDir(dir);
  const batches = trainBatches(d);
  if (batches.length === 0) throw new DatasetError(`'${dir}' has no 'data_batch_N.bin' files. Unpack the CIFAR-10 binary version (not the Python one) there.`);
  const classes = classNamesFor(d);
  const classNames = [...classes.names];
  const skipped: SkippedFile[] = [];
  const train = readBatches(batches, channels, classes, skipped);
  if (train.count === 0) throw new DatasetError(`None of the CIFAR-10 batches in '${dir}' could be read: ${listSkipped(skipped, skipped.length)}. Unpack the archive again.`);
  const testPath = join(d, 'test_batch.bin');
  const validation = existsSync(testPath) ? readBatches([testPath], channels, classes, skipped) : null;
  return { kind: 'cifar10', path: dir, classNames, train, validation: validation && validation.count > 0 ? validation : null, skipped };
}
