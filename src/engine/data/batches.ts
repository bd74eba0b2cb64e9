/**
 * Turning uint8 samples into float batches: normalisation happens here, per batch (the dataset stays
 * uint8), together with the random augmentation of training batches.
 */
import type { AugmentationSettings } from '../../core/format';
import type { Subset } from './dataset';
import { sampleBytes } from './dataset';
import type { Rng } from './random';

export interface BatchOptions {
  /** Multiplier applied to each byte: 1/255 for models that expect 0..1, 1 for models that rescale themselves. */
  readonly scale: number;
  /** Only for training batches. */
  readonly augmentation?: AugmentationSettings;
  readonly rng?: Rng;
}

export function augmentationActive(a: AugmentationSettings | undefined): boolean {
  return Boolean(a && (a.horizontalFlip || a.translate > 0 || a.brightness > 0));
}

/**
 * Writes the samples at `positions` (indices into `subset.indices`) into `x` (HWC floats) and their
 * labels into `y`. `x` must hold `positions.length * h * w * c` values.
 */
export function fillBatch(subset: Subset, positions: ArrayLike<number>, x: Float32Array, y: Int32Array, opts: BatchOptions): void {
  const { set } = subset;
  const [h, w, c] = set.shape;
  const n = sampleBytes(set.shape);
  const aug = augmentationActive(opts.augmentation) ? opts.augmentation : undefined;
  for (let b = 0; b < positions.length; b++) {
    const idx = subset.indices[positions[b]!]!;
    y[b] = set.labels[idx]!;
    const src = idx * n;
    const dst = b * n;
    if (!aug || !opts.rng) {
      for (let p = 0; p < n; p++) x[dst + p] = set.pixels[src + p]! * opts.scale;
      continue;
    }
    const rng = opts.rng;
    const flip = aug.horizontalFlip && rng() < 0.5;
    const maxDy = Math.round(aug.translate * h);
    const maxDx = Math.round(aug.translate * w);
    const dy = maxDy ? Math.round((rng() * 2 - 1) * maxDy) : 0;
    const dx = maxDx ? Math.round((rng() * 2 - 1) * maxDx) : 0;
    const shift = aug.brightness ? (rng() * 2 - 1) * aug.brightness * 255 : 0;
    for (let r = 0; r < h; r++) {
      const sr = r - dy;
      for (let col = 0; col < w; col++) {
        const o = dst + (r * w + col) * c;
        let sc = col - dx;
        if (flip) sc = w - 1 - sc;
        if (sr < 0 || sr >= h || sc < 0 || sc >= w) {
          // Shifted in from outside the image: zero, like Keras' RandomTranslation with fill 'constant'.
          for (let k = 0; k < c; k++) x[o + k] = 0;
          continue;
        }
        const s = src + (sr * w + sc) * c;
        for (let k = 0; k < c; k++) {
          const v = set.pixels[s + k]! + shift;
          x[o + k] = (v < 0 ? 0 : v > 255 ? 255 : v) * opts.scale;
        }
      }
    }
  }
}
