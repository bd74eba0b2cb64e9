/**
 * Image folders: one subfolder per class (`data/cat/*.png`, `data/dog/*.jpg`), optionally split into
 * `train/` and `val/` (or `validation/`, `test/`) subfolders with the same classes. PNG, JPEG and WebP
 * are decoded and resized with sharp, in parallel; unreadable files are reported by path and skipped.
 */
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import sharp from 'sharp';
import type { SkippedFile } from '../../protocol/engine';
import type { ImageSet, ImageShape, RawDataset } from './dataset';
import { sampleBytes } from './dataset';
import { DatasetError, throwIfCancelled } from './errors';
import { decodeSmallPng } from './pngFast';
import { forEachConcurrent } from './pool';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);
const VALIDATION_FOLDER_NAMES = ['val', 'validation', 'valid', 'test'];

// Small images decode fastest one per thread; sharp's cache only helps when the same file is read twice.
sharp.concurrency(1);
sharp.cache(false);

interface ClassFiles {
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

function listDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function listImages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .map((e) => join(dir, e.name))
    .sort();
}

/** True when `dir` looks like an image folder (has at least one subfolder holding images). */
export function looksLikeImageFolder(dir: string): boolean {
  if (!isDirectory(dir)) return false;
  const train = join(dir, 'train');
  const root = isDirectory(train) ? train : dir;
  return listDirs(root).some((d) => listImages(join(root, d)).length > 0);
}

/** Reads `dir/<class>/*`; `expectedClasses` forces the same class order as the training folder. */
function scanClasses(dir: string, expectedClasses?: readonly string[]): ClassFiles[] {
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
        `The validation folder '${dir}' has classes the training folder lacks: ${extra.join(', ')}. Use the same class subfolders in both.`,
      );
    }
    return expectedClasses.map((c) => ({ className: c, files: missing.includes(c) ? [] : listImages(join(dir, c)) }));
  }
  const classes = names.map((c) => ({ className: c, files: listImages(join(dir, c)) }));
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
  return classes;
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
  await forEachConcurrent(files, opts.concurrency ?? 32, async (file, i) => {
    try {
      const buf = await readFile(file);
      if (decodeSmallPng(buf, h, w, c, pixels.subarray(i * bytes, (i + 1) * bytes))) {
        ok[i] = 1;
        return;
      }
      let img = sharp(buf, { failOn: 'error' }).resize(w, h, { fit: 'fill' });
      img = c === 1 ? img.grayscale() : img.removeAlpha().toColourspace('srgb');
      const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
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
  return scanClasses(isDirectory(join(dir, 'train')) ? join(dir, 'train') : dir).map((c) => c.className);
}

export interface ImageFolderOptions extends DecodeOptions {
  /** A separate validation folder with the same class subfolders. */
  readonly validationDir?: string;
}

export async function loadImageFolder(dir: string, opts: ImageFolderOptions): Promise<RawDataset> {
  let trainDir = dir;
  let validationDir = opts.validationDir;
  // `data/train/<class>` + `data/val/<class>`: the common layout of downloaded datasets.
  if (isDirectory(join(dir, 'train')) && !validationDir) {
    trainDir = join(dir, 'train');
    validationDir = VALIDATION_FOLDER_NAMES.map((n) => join(dir, n)).find(isDirectory);
  }
  const classes = scanClasses(trainDir);
  const classNames = classes.map((c) => c.className);
  const train = await loadClasses(classes, opts);
  const skipped = [...train.skipped];
  for (const c of classNames) {
    const k = classNames.indexOf(c);
    if (!train.set.labels.some((l) => l === k)) {
      throw new DatasetError(`Every image in class folder '${join(trainDir, c)}' failed to decode (see the skipped files). Replace them with readable PNG/JPEG/WebP files.`);
    }
  }
  let validation: ImageSet | null = null;
  if (validationDir) {
    const v = await loadClasses(scanClasses(validationDir, classNames), opts);
    validation = v.set;
    skipped.push(...v.skipped);
  }
  return { kind: 'imageFolder', path: dir, classNames, train: train.set, validation, skipped };
}

