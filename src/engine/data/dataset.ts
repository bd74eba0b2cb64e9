/**
 * In-memory datasets. Pixels stay uint8 in one big buffer (CIFAR-10's 50,000 images are 150 MB this
 * way, 600 MB as float32); batches are normalised to float only when they are fed to the model.
 */
import type { DatasetSummary, SkippedFile } from '../../protocol/engine';

import type { ImageShape } from '../../protocol/engine';
export type { ImageShape };

/** Samples of one source (a folder, a set of files), all of the same shape. */
export interface ImageSet {
  readonly shape: ImageShape;
  /** `count * h * w * c` bytes, HWC per sample. */
  readonly pixels: Uint8Array;
  /** Class index per sample. */
  readonly labels: Int32Array;
  readonly count: number;
  /** Source file per sample, when each sample is its own file. */
  readonly paths: readonly string[] | null;
}

/** A view of some samples of an ImageSet (a split) by index. */
export interface Subset {
  readonly set: ImageSet;
  readonly indices: Int32Array;
}

export interface LoadedDataset {
  readonly classNames: readonly string[];
  readonly train: Subset;
  readonly validation: Subset;
  readonly summary: DatasetSummary;
}

/** What a format reader returns before splitting. */
export interface RawDataset {
  readonly kind: DatasetSummary['kind'];
  readonly path: string;
  readonly classNames: readonly string[];
  readonly train: ImageSet;
  /** A separate validation set (CIFAR's test batch, a `val/` folder, MNIST's t10k files). */
  readonly validation: ImageSet | null;
  readonly skipped: readonly SkippedFile[];
}

export function allIndices(count: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = i;
  return out;
}

export function sampleBytes(shape: ImageShape): number {
  return shape[0] * shape[1] * shape[2];
}

export function countPerClass(subset: Subset, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const i of subset.indices) counts[subset.set.labels[i]!]!++;
  return counts;
}

/** Copies one sample's pixels out (for activations, previews). */
export function samplePixels(subset: Subset, position: number): Uint8Array {
  const n = sampleBytes(subset.set.shape);
  const i = subset.indices[position]!;
  return subset.set.pixels.slice(i * n, (i + 1) * n);
}
