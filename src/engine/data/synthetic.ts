/**
 * Seeded synthetic image-folder datasets written as PNGs, so training can be shown and tested offline:
 *  - `shapes`:  circle / square / triangle, random position, size, colours and noise;
 *  - `stripes`: horizontal / vertical / diagonal stripes, random period, phase, colours and noise.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { forEachConcurrent } from './pool';
import { seededRng, type Rng } from './random';

export const SYNTHETIC_KINDS = ['shapes', 'stripes'] as const;
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

export const SYNTHETIC_CLASSES: Record<SyntheticKind, readonly string[]> = {
  shapes: ['circle', 'square', 'triangle'],
  stripes: ['horizontal', 'vertical', 'diagonal'],
};

export interface SyntheticOptions {
  readonly perClass: number;
  readonly size: number;
  readonly seed: number;
}

type Rgb = [number, number, number];

function randomColour(rng: Rng): Rgb {
  return [Math.floor(rng() * 256), Math.floor(rng() * 256), Math.floor(rng() * 256)];
}

const luminance = (c: Rgb) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];

/** A dark background (any hue), so a brighter foreground stays visible in grayscale too. */
function backgroundColour(rng: Rng): Rgb {
  for (;;) {
    const c = randomColour(rng);
    if (luminance(c) < 110) return c;
  }
}

/** A foreground clearly brighter than the background: the figure is always light on dark, as in MNIST. */
function foregroundColour(rng: Rng, bg: Rgb): Rgb {
  for (let tries = 0; tries < 100; tries++) {
    const c = randomColour(rng);
    if (luminance(c) > luminance(bg) + 90) return c;
  }
  return [255, 255, 255];
}

/** Is pixel (x, y) inside the shape? Coordinates are pixel centres. */
type Inside = (x: number, y: number) => boolean;

function shapeMask(cls: string, rng: Rng, size: number): Inside {
  const r = size * (0.22 + rng() * 0.18); // half-size
  const cx = r + rng() * (size - 2 * r);
  const cy = r + rng() * (size - 2 * r);
  if (cls === 'circle') return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  if (cls === 'square') return (x, y) => Math.abs(x - cx) <= r && Math.abs(y - cy) <= r;
  // Upward triangle: apex at the top, base at the bottom.
  return (x, y) => {
    const t = (y - (cy - r)) / (2 * r);
    return t >= 0 && t <= 1 && Math.abs(x - cx) <= t * r;
  };
}

function stripeMask(cls: string, rng: Rng, size: number): Inside {
  const period = Math.max(3, size * (0.12 + rng() * 0.18));
  const phase = rng() * period;
  const duty = 0.35 + rng() * 0.3;
  const sign = rng() < 0.5 ? 1 : -1;
  const coord =
    cls === 'horizontal' ? (_x: number, y: number) => y : cls === 'vertical' ? (x: number) => x : (x: number, y: number) => (x + sign * y) / Math.SQRT2;
  return (x, y) => (((coord(x, y) + phase) % period) + period) % period < duty * period;
}

function renderImage(kind: SyntheticKind, cls: string, rng: Rng, size: number): Buffer {
  const bg = backgroundColour(rng);
  const fg = foregroundColour(rng, bg);
  const inside = kind === 'shapes' ? shapeMask(cls, rng, size) : stripeMask(cls, rng, size);
  const noise = 5 + rng() * 10;
  const px = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = inside(x + 0.5, y + 0.5) ? fg : bg;
      const o = (y * size + x) * 3;
      for (let k = 0; k < 3; k++) px[o + k] = Math.max(0, Math.min(255, Math.round(c[k]! + (rng() * 2 - 1) * noise)));
    }
  }
  return px;
}

/** Writes `<dir>/<class>/<class>_NNNN.png`; returns the class names and the number of files written. */
export async function writeSyntheticDataset(kind: SyntheticKind, dir: string, opts: SyntheticOptions): Promise<{ classNames: readonly string[]; files: number }> {
  const classNames = SYNTHETIC_CLASSES[kind];
  const rng = seededRng(opts.seed);
  const jobs: { path: string; pixels: Buffer }[] = [];
  // Pixels are drawn in a fixed order from one generator, so the same seed gives the same files.
  for (const cls of classNames) {
    mkdirSync(join(dir, cls), { recursive: true });
    for (let i = 0; i < opts.perClass; i++) {
      jobs.push({ path: join(dir, cls, `${cls}_${String(i).padStart(4, '0')}.png`), pixels: renderImage(kind, cls, rng, opts.size) });
    }
  }
  await forEachConcurrent(jobs, 16, async (j) => {
    await sharp(j.pixels, { raw: { width: opts.size, height: opts.size, channels: 3 } }).png().toFile(j.path);
  });
  return { classNames, files: jobs.length };
}
