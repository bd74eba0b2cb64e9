/**
 * What a model's dataset is, for the side bar: its kind, classes with image counts and a few thumbnails
 * each, the image size and colour as stored against the model's input, the train/validation sizes
 * training will use, and the augmentation settings applied to a few images. Image folders are listed,
 * not decoded (only the thumbnails are); the other formats are read once. Answers are cached by path
 * and modification time, so re-rendering the side bar costs nothing until the data changes.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import sharp from 'sharp';
import type { AugmentationSettings } from '../../core/format';
import type { AugmentationPreview, DatasetClassDescription, DatasetDescription, DescribeDatasetParams, ImageShape } from '../../protocol/engine';
import { augmentationActive, fillBatch } from './batches';
import { loadCifar10 } from './cifar10';
import { loadCsv } from './csv';
import { allIndices, sampleBytes, type ImageSet } from './dataset';
import { DatasetError } from './errors';
import { decodeImages, listImageFolder } from './imageFolder';
import { loadMnistIdx } from './mnistIdx';
import { seededRng } from './random';
import { validationCount } from './split';

const THUMBNAIL_SIDE = 48;
const PREVIEW_IMAGES = 3;
const PREVIEW_VARIANTS = 4;

/** Everything but the augmentation preview, which follows the settings and is cheap to redo. */
interface DescribedData {
  readonly description: Omit<DatasetDescription, 'augmentationPreview'>;
  /** A few images at the size training feeds them (the model's input, or as stored), for the preview. */
  readonly previewSet: ImageSet | null;
  readonly previewClasses: readonly string[];
}

async function pngDataUri(pixels: Uint8Array, shape: readonly [number, number, number], maxSide = THUMBNAIL_SIDE): Promise<string> {
  const [height, width, channels] = shape;
  let img = sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels: channels as 1 | 3 } });
  if (width > maxSide || height > maxSide) img = img.resize(maxSide, maxSide, { fit: 'inside' });
  if (channels === 1) img = img.toColourspace('b-w'); // else sharp writes a grayscale image as RGB
  const png = await img.png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

async function fileThumbnail(file: string): Promise<string | null> {
  try {
    const png = await sharp(file, { failOn: 'error' }).resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true }).png().toBuffer();
    return `data:image/png;base64,${png.toString('base64')}`;
  } catch {
    return null; // an unreadable file shows no thumbnail; training reports it by name
  }
}

/** The most common size and colour among `looks` (height, width, channels), and whether all agree. */
function mostCommon(looks: readonly (readonly [number, number, number])[]): DatasetDescription['found'] {
  const counts = new Map<string, number>();
  for (const l of looks) counts.set(l.join('x'), (counts.get(l.join('x')) ?? 0) + 1);
  const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const [height, width, channels] = (top?.[0] ?? '0x0x0').split('x').map(Number) as [number, number, number];
  return { height, width, channels, uniform: counts.size <= 1 };
}

function fits(found: DatasetDescription['found'], input: ImageShape | null): boolean {
  return input !== null && found.height === input[0] && found.width === input[1] && found.channels === input[2];
}

function splitSizes(counts: readonly number[], separateValidation: number | null, fraction: number): { numTrain: number; numValidation: number } {
  const total = counts.reduce((a, b) => a + b, 0);
  if (separateValidation !== null) return { numTrain: total - separateValidation, numValidation: separateValidation };
  const numValidation = counts.reduce((n, c) => n + validationCount(c, fraction), 0);
  return { numTrain: total - numValidation, numValidation };
}

function sizeWarnings(found: DatasetDescription['found'], input: ImageShape | null): string[] {
  const warnings: string[] = [];
  if (!found.uniform) warnings.push('The images are not all the same size or colour: training resizes each one to the model\'s input.');
  if (input && !fits(found, input)) {
    const colour = (c: number) => (c === 1 ? 'grayscale' : c === 3 ? 'RGB' : `${c} channels`);
    warnings.push(
      `The images are ${found.height}×${found.width} ${colour(found.channels)}, the model's input is ${input[0]}×${input[1]} ${colour(input[2])}: ` +
        `training converts every image. Set the Input to ${found.height}×${found.width}×${found.channels} to train on the data as it is.`,
    );
  }
  return warnings;
}

async function describeImageFolder(path: string, validationPath: string | undefined, p: DescribeDatasetParams, perClass: number): Promise<DescribedData> {
  const listing = listImageFolder(path, validationPath);
  const counts = listing.classes.map((c, k) => c.files.length + (listing.validation?.[k]?.files.length ?? 0));
  const picked = listing.classes.map((c) => c.files.slice(0, perClass));
  const looks: (readonly [number, number, number])[] = [];
  const classes: DatasetClassDescription[] = [];
  for (const [k, c] of listing.classes.entries()) {
    const samples: string[] = [];
    for (const file of picked[k]!) {
      const meta = await sharp(file).metadata().catch(() => null);
      if (meta?.width && meta.height) looks.push([meta.height, meta.width, meta.channels === 1 || meta.channels === 2 || meta.space === 'b-w' ? 1 : 3]);
      const thumb = await fileThumbnail(file);
      if (thumb) samples.push(thumb);
    }
    classes.push({ name: c.className, count: counts[k]!, samples });
  }
  const found = mostCommon(looks);
  const separate = listing.validation ? listing.validation.reduce((n, c) => n + c.files.length, 0) : null;
  const previewShape: ImageShape = p.inputShape && (p.inputShape[2] === 1 || p.inputShape[2] === 3) ? p.inputShape : [found.height, found.width, found.channels === 1 ? 1 : 3];
  const previewFiles = picked.filter((f) => f.length > 0).slice(0, PREVIEW_IMAGES).map((f) => f[0]!);
  const previewClasses = picked.map((f, k) => (f.length ? listing.classes[k]!.className : null)).filter((n): n is string => n !== null).slice(0, PREVIEW_IMAGES);
  const decoded = previewShape[0] > 0 ? await decodeImages(previewFiles, previewFiles.map((_, i) => i), { shape: previewShape }) : null;
  return {
    description: {
      kind: 'imageFolder',
      path,
      classes,
      found,
      inputShape: p.inputShape,
      fitsInput: fits(found, p.inputShape),
      ...splitSizes(counts, separate, p.validationSplit),
      validationSource: separate !== null ? 'separate' : 'split',
      warnings: [...sizeWarnings(found, p.inputShape), ...(listing.skipped.length ? [`${listing.skipped.length} folder(s) could not be read and are left out.`] : [])],
    },
    previewSet: decoded && decoded.set.count === previewFiles.length ? decoded.set : null,
    previewClasses,
  };
}

/** MNIST IDX, CIFAR-10 and CSV: read once (they are single files), counted by label. */
async function describeArrays(kind: 'mnistIdx' | 'cifar10' | 'csv', path: string, validationPath: string | undefined, p: DescribeDatasetParams, perClass: number): Promise<DescribedData> {
  let raw;
  if (kind === 'mnistIdx') raw = loadMnistIdx(path);
  else if (kind === 'cifar10') raw = loadCifar10(path, 3);
  else {
    if (!p.inputShape) throw new DatasetError('A CSV dataset is read with the model\'s input shape (pixels per row), but the model has no Input layer. Add an Input layer first.');
    raw = loadCsv(path, p.inputShape, validationPath);
  }
  const set = raw.train;
  const k = raw.classNames.length;
  const counts = new Array<number>(k).fill(0);
  for (const l of set.labels) counts[l]!++;
  if (raw.validation) for (const l of raw.validation.labels) counts[l]!++;
  const n = sampleBytes(set.shape);
  const firstOf: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < set.count && firstOf.some((f) => f.length < perClass); i++) {
    const f = firstOf[set.labels[i]!]!;
    if (f.length < perClass) f.push(i);
  }
  const classes: DatasetClassDescription[] = [];
  for (let c = 0; c < k; c++) {
    const samples = await Promise.all(firstOf[c]!.map((i) => pngDataUri(set.pixels.subarray(i * n, (i + 1) * n), set.shape)));
    classes.push({ name: raw.classNames[c]!, count: counts[c]!, samples });
  }
  const found = { height: set.shape[0], width: set.shape[1], channels: set.shape[2], uniform: true };
  const previewIdx = firstOf.filter((f) => f.length > 0).slice(0, PREVIEW_IMAGES).map((f) => f[0]!);
  const previewSet: ImageSet = {
    shape: set.shape,
    pixels: Uint8Array.from(previewIdx.flatMap((i) => [...set.pixels.subarray(i * n, (i + 1) * n)])),
    labels: Int32Array.from(previewIdx.map((i) => set.labels[i]!)),
    count: previewIdx.length,
    paths: null,
  };
  return {
    description: {
      kind,
      path,
      classes,
      found,
      inputShape: p.inputShape,
      fitsInput: fits(found, p.inputShape),
      ...splitSizes(counts, raw.validation ? raw.validation.count : null, p.validationSplit),
      validationSource: raw.validation ? 'separate' : 'split',
      warnings: sizeWarnings(found, p.inputShape),
    },
    previewSet,
    previewClasses: previewIdx.map((i) => raw.classNames[set.labels[i]!]!),
  };
}

/** The preview images under `PREVIEW_VARIANTS` random draws of the settings (seeded: the same settings show the same draws). */
async function augmentationPreview(data: DescribedData, augmentation: AugmentationSettings | undefined): Promise<AugmentationPreview[]> {
  const set = data.previewSet;
  if (!set || !augmentation || !augmentationActive(augmentation)) return [];
  const n = sampleBytes(set.shape);
  const rng = seededRng(7);
  const x = new Float32Array(n);
  const y = new Int32Array(1);
  const subset = { set, indices: allIndices(set.count) };
  const out: AugmentationPreview[] = [];
  for (let i = 0; i < set.count; i++) {
    const augmented: string[] = [];
    for (let v = 0; v < PREVIEW_VARIANTS; v++) {
      fillBatch(subset, [i], x, y, { scale: 1, augmentation, rng });
      augmented.push(await pngDataUri(Uint8Array.from(x, (f) => Math.round(f)), set.shape, 96));
    }
    out.push({ className: data.previewClasses[i] ?? '', original: await pngDataUri(set.pixels.subarray(i * n, (i + 1) * n), set.shape, 96), augmented });
  }
  return out;
}

/**
 * When the data last changed: the path's own time and, for a folder, its sub-folders' and theirs (adding
 * an image to `data/train/cat/` changes only that folder's time).
 */
function modificationTimes(path: string, depth = 2): number[] {
  const st = statSync(path);
  if (!st.isDirectory() || depth === 0) return [st.mtimeMs];
  const times = [st.mtimeMs];
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith('.')) times.push(...modificationTimes(join(path, e.name), depth - 1));
  }
  return times;
}

/** Describes datasets, keeping the last few answers (keyed by what they depend on, and the data's modification time). */
export class DatasetDescriber {
  private readonly cache = new Map<string, Promise<DescribedData>>();

  async describe(p: DescribeDatasetParams): Promise<DatasetDescription> {
    const modelDir = resolve(p.modelPath, '..');
    const at = (q: string) => (isAbsolute(q) ? q : resolve(modelDir, q));
    const path = at(p.dataset.path);
    const validationPath = p.dataset.validationPath ? at(p.dataset.validationPath) : undefined;
    let mtime: number[];
    try {
      mtime = modificationTimes(path);
    } catch {
      throw new DatasetError(`The dataset path '${path}' does not exist. Choose the dataset again, or fix "dataset.path" (relative to the model file).`);
    }
    const perClass = Math.max(1, Math.min(8, p.samplesPerClass ?? 4));
    const key = JSON.stringify([p.dataset.kind, path, validationPath, mtime, p.inputShape, p.validationSplit, perClass]);
    let pending = this.cache.get(key);
    if (!pending) {
      pending = p.dataset.kind === 'imageFolder' ? describeImageFolder(path, validationPath, p, perClass) : describeArrays(p.dataset.kind, path, validationPath, p, perClass);
      this.cache.set(key, pending);
      pending.catch(() => this.cache.delete(key));
      while (this.cache.size > 4) this.cache.delete(this.cache.keys().next().value!);
    }
    const data = await pending;
    return { ...data.description, augmentationPreview: await augmentationPreview(data, p.augmentation) };
  }
}
