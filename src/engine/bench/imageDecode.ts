/**
 * Images per second of loading an image-folder dataset: the real loader (`loadImageFolder`, which reads,
 * decodes and resizes every file into the training buffer) on PNGs generated with sharp in a temp
 * folder. Two cases: files already at the model's input size (the loader's fast PNG path) and larger
 * files that sharp must decode and resize.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadImageFolder } from '../data/imageFolder';

export interface ImageDecodeCase {
  /** Size of the PNG files on disk, [height, width]. */
  source: [number, number];
  /** The model input they are decoded to. */
  target: [number, number, number];
  images: number;
}

export interface ImageDecodeResult extends ImageDecodeCase {
  imagesPerSec: number;
  seconds: number;
}

export const DEFAULT_IMAGE_CASES: readonly ImageDecodeCase[] = [
  { source: [32, 32], target: [32, 32, 3], images: 2000 },
  { source: [128, 128], target: [32, 32, 3], images: 1000 },
];

export async function measureImageDecode(c: ImageDecodeCase): Promise<ImageDecodeResult> {
  const dir = await mkdtemp(join(tmpdir(), 'cnn-studio-bench-'));
  try {
    await writePngs(dir, c);
    const t0 = performance.now();
    const raw = await loadImageFolder(dir, { shape: c.target });
    const seconds = (performance.now() - t0) / 1000;
    if (raw.train.count !== c.images) throw new Error(`image bench: decoded ${raw.train.count} of ${c.images} images (${raw.skipped.length} skipped)`);
    return { ...c, imagesPerSec: c.images / seconds, seconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Two class folders of smooth random-colour PNGs (noise would compress unlike photos do). */
async function writePngs(dir: string, c: ImageDecodeCase): Promise<void> {
  const [h, w] = c.source;
  const classes = ['a', 'b'];
  for (const k of classes) await mkdir(join(dir, k));
  const pixels = Buffer.alloc(h * w * 3);
  for (let i = 0; i < c.images; i++) {
    const r = (i * 37) % 256;
    const g = (i * 91) % 256;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * 3;
        pixels[o] = (r + x * 3) & 255;
        pixels[o + 1] = (g + y * 5) & 255;
        pixels[o + 2] = (x * y + i) & 255;
      }
    }
    const png = await sharp(pixels, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
    await writeFile(join(dir, classes[i % 2]!, `img${i}.png`), png);
  }
}
