/**
 * A held-out test set for evaluating a trained run, separate from the validation split it was trained
 * with: an image folder (`dir/<class>` or `dir/test/<class>`), MNIST IDX files (a `t10k-images-idx3-ubyte`
 * file, or a folder holding them), a CIFAR-10 batch (`test_batch.bin`, or its folder) or a CSV file.
 * Samples are read with the run's classes and checked against the run's input shape.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatasetKind } from '../../core/format';
import type { ImageShape, SkippedFile } from '../../protocol/engine';
import { cifarTestBatchIn, loadCifar10Batch, looksLikeCifar10 } from './cifar10';
import { loadCsvWithClasses } from './csv';
import type { ImageSet } from './dataset';
import { DatasetError } from './errors';
import { loadImageFolderWithClasses } from './imageFolder';
import { hasIdxImages, idxTestImagesIn, isIdxImagesFile, loadIdxImages } from './mnistIdx';

export interface TestSet {
  readonly kind: DatasetKind;
  /** The file or folder the samples came from (absolute). */
  readonly path: string;
  readonly set: ImageSet;
  readonly skipped: readonly SkippedFile[];
}

const FORMATS =
  'an image folder (one sub-folder per class), MNIST IDX files (t10k-images-idx3-ubyte with its labels file beside it), a CIFAR-10 batch (test_batch.bin) or a .csv file';

function checkShape(set: ImageSet, want: ImageShape, path: string): void {
  const have = set.shape;
  if (have[0] !== want[0] || have[1] !== want[1] || have[2] !== want[2]) {
    throw new DatasetError(
      `The test images in '${path}' are ${have.join('×')}, but the run's model takes [${want.join(', ')}]. Evaluate on data of the size the model was trained on.`,
      'shape-mismatch',
    );
  }
}

function cifarBatch(path: string, inputShape: ImageShape, classNames: readonly string[]): TestSet {
  const channels = inputShape[2] === 1 ? 1 : 3;
  const loaded = loadCifar10Batch(path, channels);
  if (loaded.classNames.join('\n') !== classNames.join('\n')) {
    throw new DatasetError(`'${path}' has classes [${loaded.classNames.join(', ')}] but the run was trained on [${classNames.join(', ')}]. Evaluate with data of the same classes.`);
  }
  checkShape(loaded.set, inputShape, path);
  return { kind: 'cifar10', path, set: loaded.set, skipped: loaded.skipped };
}

function idxImages(path: string, inputShape: ImageShape, classNames: readonly string[]): TestSet {
  const set = loadIdxImages(path, classNames.length);
  checkShape(set, inputShape, path);
  return { kind: 'mnistIdx', path, set, skipped: [] };
}

/** Reads the test set at `pathArg` for a run trained on `classNames` with input `inputShape`. */
export async function loadTestSet(pathArg: string, inputShape: ImageShape, classNames: readonly string[], signal?: AbortSignal): Promise<TestSet> {
  const path = resolve(pathArg);
  if (!existsSync(path)) throw new DatasetError(`The test set '${path}' does not exist. Pass ${FORMATS}.`);
  if (statSync(path).isFile()) {
    const lower = path.toLowerCase();
    if (lower.endsWith('.csv')) {
      const loaded = loadCsvWithClasses(path, inputShape, classNames);
      return { kind: 'csv', path, set: loaded.set, skipped: loaded.skipped };
    }
    if (isIdxImagesFile(path)) return idxImages(path, inputShape, classNames);
    if (lower.endsWith('.bin')) return cifarBatch(path, inputShape, classNames);
    throw new DatasetError(`'${path}' is not a test set file CNN Studio reads. Pass ${FORMATS}.`);
  }
  if (hasIdxImages(path)) return idxImages(idxTestImagesIn(path)!, inputShape, classNames);
  const cifarTest = cifarTestBatchIn(path);
  if (cifarTest) return cifarBatch(cifarTest, inputShape, classNames);
  if (looksLikeCifar10(path)) throw new DatasetError(`'${path}' holds CIFAR-10 training batches but no test_batch.bin. Pass the test batch file, or a folder holding it.`);
  const loaded = await loadImageFolderWithClasses(path, classNames, { shape: inputShape, signal });
  return { kind: 'imageFolder', path: loaded.folder, set: loaded.set, skipped: loaded.skipped };
}
