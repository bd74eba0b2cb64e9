/**
 * MNIST's IDX files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, and `t10k-*` as the
 * validation set), plain or `.gz`. Fashion-MNIST and EMNIST use the same format.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ImageSet, ImageShape, RawDataset } from './dataset';
import { DatasetError } from './errors';
import { readFileMaybeGz } from './readFileMaybeGz';

const FILE_PATTERN = /^(train|t10k)-(images|labels)[.-]idx([13])-ubyte(\.gz)?$/;

interface IdxFiles {
  trainImages?: string;
  trainLabels?: string;
  testImages?: string;
  testLabels?: string;
}

function findFiles(dir: string): IdxFiles {
  const out: IdxFiles = {};
  for (const name of readdirSync(dir)) {
    const m = FILE_PATTERN.exec(name);
    if (!m) continue;
    const key = `${m[1] === 'train' ? 'train' : 'test'}${m[2] === 'images' ? 'Images' : 'Labels'}` as keyof IdxFiles;
    // Prefer the unpacked file when both are there.
    if (!out[key] || !name.endsWith('.gz')) out[key] = join(dir, name);
  }
  return out;
}

export function looksLikeMnist(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && findFiles(dir).trainImages !== undefined;
  } catch {
    return false;
  }
}

/** A folder with IDX images of either kind (`train-*` or only `t10k-*`). */
export function hasIdxImages(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && idxTestImagesIn(dir) !== undefined;
  } catch {
    return false;
  }
}

/** Parses an IDX file of unsigned bytes: returns its dimensions and a view of the data. */
export function parseIdx(path: string, expectedDims: number): { dims: number[]; data: Uint8Array } {
  let buf: Buffer;
  try {
    buf = readFileMaybeGz(path);
  } catch (err) {
    throw new DatasetError(`Cannot read '${path}': ${err instanceof Error ? err.message : String(err)}. Download the file again.`);
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    throw new DatasetError(`'${path}' is not an IDX file (bad magic number). Download it again; a '.gz' file must be a real gzip archive.`);
  }
  if (buf[2] !== 0x08) throw new DatasetError(`'${path}' holds IDX type 0x${buf[2]!.toString(16)}; only unsigned bytes (0x08) are supported.`);
  const ndims = buf[3]!;
  if (ndims !== expectedDims) throw new DatasetError(`'${path}' has ${ndims} dimensions, expected ${expectedDims}. Check that images and labels files are not swapped.`);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * ndims;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length - offset < size) {
    throw new DatasetError(`'${path}' is truncated: its header promises ${size} bytes of data but only ${buf.length - offset} follow. Download it again.`);
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, size) };
}

function readPair(imagesPath: string, labelsPath: string | undefined, numClasses: number): ImageSet {
  if (!labelsPath) throw new DatasetError(`'${imagesPath}' has no labels file beside it. Put the matching '*-labels-idx1-ubyte' file in the same folder.`);
  const images = parseIdx(imagesPath, 3);
  const labels = parseIdx(labelsPath, 1);
  const [n, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== n) {
    throw new DatasetError(`'${imagesPath}' has ${n} images but '${labelsPath}' has ${labels.dims[0]} labels. Use files from the same download.`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = labels.data[i]!;
    if (l >= numClasses) throw new DatasetError(`'${labelsPath}' has label ${l} at index ${i}; MNIST-style labels must be 0–${numClasses - 1}.`);
    out[i] = l;
  }
  const shape: ImageShape = [rows, cols, 1];
  return { shape, pixels: new Uint8Array(images.data), labels: out, count: n, paths: null };
}

/** The labels file that belongs to an images file: `t10k-images-idx3-ubyte.gz` → `t10k-labels-idx1-ubyte(.gz)` beside it. */
function labelsBeside(imagesPath: string): string | undefined {
  const dir = dirname(imagesPath);
  const m = FILE_PATTERN.exec(basename(imagesPath));
  if (!m || m[2] !== 'images') return undefined;
  const names = ['-', '.'].flatMap((sep) => [`${m[1]}-labels${sep}idx1-ubyte`, `${m[1]}-labels${sep}idx1-ubyte.gz`]);
  return names.map((n) => join(dir, n)).find((p) => existsSync(p));
}

/** True for an IDX images file name (`t10k-images-idx3-ubyte`, `train-images.idx3-ubyte.gz`). */
export function isIdxImagesFile(path: string): boolean {
  const m = FILE_PATTERN.exec(basename(path));
  return m !== null && m[2] === 'images';
}

/** One IDX images file with its labels file beside it (a held-out `t10k-*` pair). */
export function loadIdxImages(imagesPath: string, numClasses: number): ImageSet {
  return readPair(imagesPath, labelsBeside(imagesPath), numClasses);
}

/** The held-out pair of a folder: its `t10k-*` files, else its `train-*` files (a folder holding only a test set). */
export function idxTestImagesIn(dir: string): string | undefined {
  const files = findFiles(dir);
  return files.testImages ?? files.trainImages;
}

export function loadMnistIdx(dir: string): RawDataset {
  if (!existsSync(dir)) throw new DatasetError(`The MNIST folder '${dir}' does not exist. Put 'train-images-idx3-ubyte(.gz)' and 'train-labels-idx1-ubyte(.gz)' there.`);
  const files = findFiles(dir);
  if (!files.trainImages) {
    throw new DatasetError(`'${dir}' has no 'train-images-idx3-ubyte' (or '.gz') file. Put the MNIST training images and labels there.`);
  }
  const numClasses = 10;
  const train = readPair(files.trainImages, files.trainLabels, numClasses);
  const validation = files.testImages ? readPair(files.testImages, files.testLabels, numClasses) : null;
  if (validation && (validation.shape[0] !== train.shape[0] || validation.shape[1] !== train.shape[1])) {
    throw new DatasetError(`The t10k images are ${validation.shape[0]}×${validation.shape[1]} but the training images are ${train.shape[0]}×${train.shape[1]}. Use files from the same dataset.`);
  }
  const classNames = Array.from({ length: numClasses }, (_, i) => String(i));
  return { kind: 'mnistIdx', path: dir, classNames, train, validation, skipped: [] };
}
