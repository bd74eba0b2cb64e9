/**
 * Image folders: one subfolder per class (`data/cat/*.png`, `data/dog/*.jpg`), optionally split into
 * `train/` and `val/` (or `validation/`, `test/`) subfolders with the same classes. A class folder's
 * nested subfolders count too, and symlinks are followed, as Keras' and torchvision's ImageFolder do.
 * PNG, JPEG and WebP are decoded and resized with sharp, in parallel; unreadable files and folders are
 * reported by path and skipped. Images far larger than the model's input are refused before decoding.
 */
import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import sharp from 'sharp';
import type { SkippedFile } from '../../protocol/engine';
import type { ImageSet, ImageShape, RawDataset } from './dataset';
import { sampleBytes } from './dataset';
import { DatasetError, throwIfCancelled } from './errors';
import { decodeSmallPng, pngSize } from './pngFast';
import { forEachConcurrent } from './pool';
import { listSkipped } from './skippedFiles';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);
const VALIDATION_FOLDER_NAMES = ['val', 'validation', 'valid', 'test'];

// Small images decode fastest one per thread; sharp's cache only helps when the same file is read twice.
sharp.concurrency(1);
sharp.cache(false);

export interface ClassFiles {
  className: string;
  files: string[];
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const isImageName = (name: string): boolean => IMAGE_EXTENSIONS.has(extname(name).toLowerCase());

/** Subfolders of `dir` (symlinks followed), hidden ones left out, in natural order. */
function listDirs(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && isDirectory(join(dir, name)))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Image files directly in `dir` (symlinks followed). */
function listImages(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => isImageName(name) && isFile(join(dir, name)))
    .map((name) => join(dir, name))
    .sort();
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Every image under `dir`, nested subfolders and symlinks included; a folder reached twice (a symlink
 * loop, or two links to one folder) is walked once. A folder that cannot be read goes to `skipped`.
 */
function walkImages(dir: string, skipped: SkippedFile[], visited = new Set<string>()): string[] {
  let entries: Dirent[];
  try {
    const real = realpathSync(dir);
    if (visited.has(real)) return [];
    visited.add(real);
    entries = readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    skipped.push({ path: dir, reason: `cannot read the folder (${code}): ${firstLine(err instanceof Error ? err.message : String(err))}; fix its permissions or move it out of the dataset`, folder: true });
    return [];
  }
  const files: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    // Only a symlink needs a stat to say what it points to (a dataset of 60,000 files stays one readdir per folder).
    const link = e.isSymbolicLink();
    if (link ? isDirectory(p) : e.isDirectory()) files.push(...walkImages(p, skipped, visited));
    else if (isImageName(e.name) && (link ? isFile(p) : e.isFile())) files.push(p);
  }
  return files;
}

/** True when `dir` looks like an image folder (has at least one class subfolder holding images, at any depth). */
export function looksLikeImageFolder(dir: string): boolean {
  if (!isDirectory(dir)) return false;
  const train = join(dir, 'train');
  const root = isDirectory(train) ? train : dir;
  return listDirs(root).some((d) => walkImages(join(root, d), []).length > 0);
}

interface ScannedClasses {
  classes: ClassFiles[];
  /** Folders inside the classes that could not be read. */
  skipped: SkippedFile[];
}

/** Reads `dir/<class>/**`; `expectedClasses` forces the same class order as the training folder. */
function scanClasses(dir: string, expectedClasses?: readonly string[]): ScannedClasses {
  if (!isDirectory(dir)) {
    throw new DatasetError(`The image folder '${dir}' does not exist. Create it with one subfolder per class, or pass another folder with --data.`);
  }
  const names = listDirs(dir);
  if (names.length === 0) {
    const loose = listImages(dir).length;
    throw new DatasetError(
      `'${dir}' has no class subfolders${loose ? ` (it holds ${loose} images directly)` : ''}. ` +
        `Put each class's images in its own subfolder, e.g. '${join(dir, 'cat')}/' and '${join(dir, 'dog')}/'.`,
    );
  }
  if (expectedClasses) {
    const missing = expectedClasses.filter((c) => !names.includes(c));
    const extra = names.filter((n) => !expectedClasses.includes(n));
    if (extra.length) {
      throw new DatasetError(
        `The folder '${dir}' has classes the training data lacks: ${extra.join(', ')}. Use the same class subfolders as the training data (${expectedClasses.join(', ')}).`,
      );
    }
    const skipped: SkippedFile[] = [];
    return { classes: expectedClasses.map((c) => ({ className: c, files: missing.includes(c) ? [] : walkImages(join(dir, c), skipped) })), skipped };
  }
  const skipped: SkippedFile[] = [];
  const classes = names.map((c) => ({ className: c, files: walkImages(join(dir, c), skipped) }));
  const empty = classes.filter((c) => c.files.length === 0);
  if (empty.length) {
    throw new DatasetError(
      `Class folder${empty.length > 1 ? 's' : ''} ${empty.map((c) => `'${join(dir, c.className)}'`).join(', ')} ` +
        `hold${empty.length > 1 ? '' : 's'} no PNG/JPEG/WebP images. Add images or remove the folder.`,
    );
  }
  if (classes.length < 2) {
    throw new DatasetError(`'${dir}' has only one class folder ('${classes[0]!.className}'). A classifier needs at least two classes.`);
  }
  return { classes, skipped };
}

/**
 * The most pixels an image may have to be decoded for a model input of `height`×`width`: generous
 * (2048 times the input, and never under 50 megapixels, above any camera photo a user would resize), but
 * far from what a few-kilobyte file claiming 100000×100000 would make sharp allocate.
 */
export function maxImagePixels(height: number, width: number): number {
  return Math.max(50_000_000, 2048 * height * width);
}

/** Thrown for an image refused before decoding; its message is the skipped file's reason. */
class ImageTooLarge extends Error {}

function tooLarge(width: number, height: number, limit: number, shape: ImageShape): ImageTooLarge {
  const mp = (n: number): string => (n / 1e6).toFixed(1);
  return new ImageTooLarge(
    `the image is ${width}×${height} (${mp(width * height)} megapixels), above the ${mp(limit)} megapixel limit for a ${shape[0]}×${shape[1]} model input; it was not decoded. ` +
      `Resize it (the model sees it at ${shape[0]}×${shape[1]}) or remove it from the data.`,
  );
}

export interface DecodeOptions {
  /** `[height, width, channels]`; channels 1 = grayscale, 3 = RGB. */
  readonly shape: ImageShape;
  /** Decodes in flight at once. */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops decoding early (the caller then throws); see `throwIfCancelled`. */
  readonly signal?: AbortSignal;
}

/** Decodes and resizes every file into one uint8 buffer; failures are returned, not thrown. */
export async function decodeImages(files: readonly string[], labels: readonly number[], opts: DecodeOptions): Promise<{ set: ImageSet; skipped: SkippedFile[] }> {
  const [h, w, c] = opts.shape;
  if (c !== 1 && c !== 3) {
    throw new DatasetError(`Images can be decoded as grayscale (1 channel) or RGB (3 channels), but the model's input has ${c} channels. Set the Input layer's shape to [${h}, ${w}, 1] or [${h}, ${w}, 3].`, 'shape-mismatch');
  }
  const bytes = sampleBytes(opts.shape);
  const pixels = new Uint8Array(files.length * bytes);
  const ok = new Uint8Array(files.length);
  const skipped: SkippedFile[] = [];
  let done = 0;
  const limit = maxImagePixels(h, w);
  await forEachConcurrent(files, opts.concurrency ?? 32, async (file, i) => {
    try {
      const buf = await readFile(file);
      const header = pngSize(buf);
      if (header && header.width * header.height > limit) throw tooLarge(header.width, header.height, limit, opts.shape);
      if (decodeSmallPng(buf, h, w, c, pixels.subarray(i * bytes, (i + 1) * bytes))) {
        ok[i] = 1;
        return;
      }
      let img = sharp(buf, { failOn: 'error', limitInputPixels: limit }).resize(w, h, { fit: 'fill' });
      img = c === 1 ? img.grayscale() : img.removeAlpha().toColourspace('srgb');
      const { data, info } = await img
        .raw()
        .toBuffer({ resolveWithObject: true })
        .catch(async (err: unknown) => {
          // sharp checks the limit from the header, before decoding; say the size and the fix.
          if (!/exceeds pixel limit/i.test(String(err))) throw err;
          const meta = await sharp(buf, { limitInputPixels: false }).metadata();
          throw tooLarge(meta.width ?? 0, meta.height ?? 0, limit, opts.shape);
        });
      if (info.channels !== c || data.length !== bytes) throw new Error(`decoded to ${info.width}×${info.height}×${info.channels}`);
      pixels.set(data, i * bytes);
      ok[i] = 1;
    } catch (err) {
      skipped.push({ path: file, reason: firstLine(err instanceof Error ? err.message : String(err)) });
    } finally {
      if (opts.onProgress && ++done % 256 === 0) opts.onProgress(done, files.length);
    }
  }, opts.signal);
  throwIfCancelled(opts.signal);
  // Compact: drop the failed slots so the set has no holes.
  const keep = files.length - skipped.length;
  const outPixels = keep === files.length ? pixels : new Uint8Array(keep * bytes);
  const outLabels = new Int32Array(keep);
  const outPaths: string[] = [];
  let j = 0;
  for (let i = 0; i < files.length; i++) {
    if (!ok[i]) continue;
    if (outPixels !== pixels) outPixels.set(pixels.subarray(i * bytes, (i + 1) * bytes), j * bytes);
    outLabels[j] = labels[i]!;
    outPaths.push(files[i]!);
    j++;
  }
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return { set: { shape: opts.shape, pixels: outPixels, labels: outLabels, count: keep, paths: outPaths }, skipped };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

async function loadClasses(classes: ClassFiles[], opts: DecodeOptions): Promise<{ set: ImageSet; skipped: SkippedFile[] }> {
  const files: string[] = [];
  const labels: number[] = [];
  classes.forEach((c, k) => {
    for (const f of c.files) {
      files.push(f);
      labels.push(k);
    }
  });
  return decodeImages(files, labels, opts);
}

/** The class names training reads from `dir` (its `train/` sub-folder when it has one), checked as training checks them. */
export function imageFolderClassNames(dir: string): string[] {
  return scanClasses(isDirectory(join(dir, 'train')) ? join(dir, 'train') : dir).classes.map((c) => c.className);
}

export interface ImageFolderOptions extends DecodeOptions {
  /** A separate validation folder with the same class subfolders. */
  readonly validationDir?: string;
}

/**
 * A held-out image folder read with a trained run's classes: `dir/test/<class>` when it has a `test/`
 * sub-folder, else `dir/<class>`. A class the run lacks is an error; a class the folder lacks is allowed.
 */
export async function loadImageFolderWithClasses(dir: string, classNames: readonly string[], opts: DecodeOptions): Promise<{ set: ImageSet; skipped: SkippedFile[]; folder: string }> {
  const folder = isDirectory(join(dir, 'test')) ? join(dir, 'test') : dir;
  const scanned = scanClasses(folder, classNames);
  if (scanned.classes.every((c) => c.files.length === 0)) {
    throw new DatasetError(`'${folder}' has no class sub-folders named like the run's classes (${classNames.join(', ')}). Put each class's test images in a sub-folder of that name.`);
  }
  const loaded = await loadClasses(scanned.classes, opts);
  return { set: loaded.set, skipped: [...scanned.skipped, ...loaded.skipped], folder };
}

/** An image folder's files by class, before decoding: what training will read. */
export interface ImageFolderListing {
  readonly trainDir: string;
  readonly classes: readonly ClassFiles[];
  /** The separate validation folder's files by class (same order), or null when the split is used. */
  readonly validation: readonly ClassFiles[] | null;
  readonly skipped: readonly SkippedFile[];
}

/** Lists `dir` as training does: `dir/<class>`, or `dir/train/<class>` with `dir/val/<class>` beside it. */
export function listImageFolder(dir: string, validationDirArg?: string): ImageFolderListing {
  let trainDir = dir;
  let validationDir = validationDirArg;
  // `data/train/<class>` + `data/val/<class>`: the common layout of downloaded datasets.
  if (isDirectory(join(dir, 'train')) && !validationDir) {
    trainDir = join(dir, 'train');
    validationDir = VALIDATION_FOLDER_NAMES.map((n) => join(dir, n)).find(isDirectory);
  }
  const scanned = scanClasses(trainDir);
  const scannedValidation = validationDir ? scanClasses(validationDir, scanned.classes.map((c) => c.className)) : null;
  return { trainDir, classes: scanned.classes, validation: scannedValidation?.classes ?? null, skipped: [...scanned.skipped, ...(scannedValidation?.skipped ?? [])] };
}

export async function loadImageFolder(dir: string, opts: ImageFolderOptions): Promise<RawDataset> {
  const listing = listImageFolder(dir, opts.validationDir);
  const classNames = listing.classes.map((c) => c.className);
  const train = await loadClasses([...listing.classes], opts);
  const skipped = [...listing.skipped, ...train.skipped];
  for (const c of classNames) {
    const k = classNames.indexOf(c);
    if (!train.set.labels.some((l) => l === k)) {
      const inClass = skipped.filter((s) => s.path.startsWith(join(listing.trainDir, c) + sep));
      throw new DatasetError(`Every image in class folder '${join(listing.trainDir, c)}' failed to decode: ${listSkipped(inClass)}. Replace them with readable PNG/JPEG/WebP files.`);
    }
  }
  let validation: ImageSet | null = null;
  if (listing.validation) {
    const v = await loadClasses([...listing.validation], opts);
    validation = v.set;
    skipped.push(...v.skipped);
  }
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return { kind: 'imageFolder', path: dir, classNames, train: train.set, validation, skipped };
}
