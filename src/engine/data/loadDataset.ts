/**
 * The one entry point for datasets: resolves the model's dataset reference (or a `--data` override),
 * detects the format, loads it as uint8, checks it against the model's input, splits it and summarises it.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { DatasetReference } from '../../core/format';
import type { DatasetSummary } from '../../protocol/engine';
import { loadCifar10, looksLikeCifar10 } from './cifar10';
import { loadCsv } from './csv';
import { allIndices, countPerClass, type ImageShape, type LoadedDataset, type RawDataset } from './dataset';
import { DatasetError } from './errors';
import { loadImageFolder } from './imageFolder';
import { loadMnistIdx, looksLikeMnist } from './mnistIdx';
import { countSkipped, listSkipped } from './skippedFiles';
import { stratifiedSplit } from './split';
import { RUN_FILES } from '../runs/runStore';

import type { DatasetKind } from '../../core/format';
export type { DatasetKind };

export interface LoadDatasetOptions {
  /** Replaces the reference's path (the CLI's `--data`, the run's data folder); its format is detected. */
  readonly dataDir?: string;
  /** The model's input `[h, w, c]`: images are decoded to it, fixed-size formats are checked against it. */
  readonly inputShape: ImageShape;
  /** Used when the dataset has no separate validation set. */
  readonly validationSplit: number;
  readonly seed: number;
  readonly onProgress?: (message: string, fraction: number | null) => void;
  readonly signal?: AbortSignal;
}

/** Which format a path holds, by looking at it. */
export function detectDatasetKind(path: string): DatasetKind {
  if (existsSync(path) && statSync(path).isFile()) {
    if (path.toLowerCase().endsWith('.csv')) return 'csv';
    throw new DatasetError(`'${path}' is a file but not a .csv. Pass a CSV file, or a folder (image classes, MNIST IDX files or CIFAR-10 batches).`);
  }
  if (looksLikeMnist(path)) return 'mnistIdx';
  if (looksLikeCifar10(path)) return 'cifar10';
  return 'imageFolder';
}

function resolvePath(p: string, base: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

function checkFixedShape(raw: RawDataset, want: ImageShape): void {
  const have = raw.train.shape;
  if (have[0] !== want[0] || have[1] !== want[1] || have[2] !== want[2]) {
    throw new DatasetError(
      `The ${raw.kind === 'mnistIdx' ? 'MNIST' : 'CIFAR-10'} images are ${have[0]}×${have[1]}×${have[2]}, but the model's input is ` +
        `[${want.join(', ')}]. Set the Input layer's shape to [${have.join(', ')}].`,
      'shape-mismatch',
    );
  }
}

export async function loadRawDataset(ref: DatasetReference | undefined, modelDir: string, opts: Omit<LoadDatasetOptions, 'validationSplit' | 'seed'>): Promise<RawDataset> {
  const path = opts.dataDir ? resolve(opts.dataDir) : ref ? resolvePath(ref.path, modelDir) : undefined;
  if (!path) {
    throw new DatasetError('The model has no dataset. Add a "dataset" section to the model file, or pass a folder with --data (one subfolder per class).');
  }
  if (!existsSync(path)) {
    throw new DatasetError(`The dataset path '${path}' does not exist. Fix the model's "dataset.path" (relative to the model file) or pass --data DIR.`);
  }
  const kind = opts.dataDir || !ref ? detectDatasetKind(path) : ref.kind;
  // A separate validation path only belongs to the model's own dataset, not to an override.
  const validationPath = !opts.dataDir && ref?.validationPath ? resolvePath(ref.validationPath, modelDir) : undefined;
  const shape = opts.inputShape;
  opts.onProgress?.(`Loading ${kind} dataset from ${path}`, 0);
  switch (kind) {
    case 'imageFolder':
      return loadImageFolder(path, {
        shape,
        validationDir: validationPath,
        signal: opts.signal,
        onProgress: (done, total) => opts.onProgress?.(`Decoded ${done}/${total} images`, done / total),
      });
    case 'mnistIdx': {
      const raw = loadMnistIdx(path);
      checkFixedShape(raw, shape);
      return raw;
    }
    case 'cifar10': {
      if (shape[2] !== 1 && shape[2] !== 3) checkFixedShape(loadCifar10(path, 3), shape);
      const raw = loadCifar10(path, shape[2] === 1 ? 1 : 3);
      checkFixedShape(raw, shape);
      return raw;
    }
    case 'csv':
      return loadCsv(path, shape, validationPath);
  }
}

export async function loadDataset(ref: DatasetReference | undefined, modelDir: string, opts: LoadDatasetOptions): Promise<LoadedDataset> {
  const started = performance.now();
  const raw = await loadRawDataset(ref, modelDir, opts);
  return splitDataset(raw, opts.validationSplit, opts.seed, (performance.now() - started) / 1000);
}

/** Splits (unless the source has its own validation set) and summarises. */
export function splitDataset(raw: RawDataset, validationSplit: number, seed: number, loadSeconds: number): LoadedDataset {
  const numClasses = raw.classNames.length;
  let train, validation;
  if (raw.validation) {
    train = { set: raw.train, indices: allIndices(raw.train.count) };
    validation = { set: raw.validation, indices: allIndices(raw.validation.count) };
  } else {
    const parts = stratifiedSplit(raw.train, numClasses, validationSplit, seed);
    train = { set: raw.train, indices: parts.train };
    validation = { set: raw.train, indices: parts.validation };
  }
  const trainCounts = countPerClass(train, numClasses);
  const validationCounts = countPerClass(validation, numClasses);
  const warnings: string[] = [];
  const present = trainCounts.filter((c) => c > 0);
  const missing = raw.classNames.filter((_, k) => trainCounts[k] === 0);
  if (missing.length) warnings.push(`No training samples for class${missing.length > 1 ? 'es' : ''} ${missing.join(', ')}: the model cannot learn ${missing.length > 1 ? 'them' : 'it'}.`);
  const max = Math.max(...present);
  const min = Math.min(...present);
  if (present.length >= 2 && max >= 3 * min) {
    const big = raw.classNames[trainCounts.indexOf(max)]!;
    const small = raw.classNames[trainCounts.indexOf(min)]!;
    warnings.push(
      `The classes are imbalanced: '${big}' has ${max} training samples, '${small}' only ${min}. Accuracy can look good while '${small}' is mostly wrong; ` +
        `add samples to the small classes or check per-class recall in the evaluation.`,
    );
  }
  if (validation.indices.length === 0) warnings.push('There is no validation data: set training.validationSplit above 0 (e.g. 0.2) or add a validation folder.');
  if (raw.skipped.length) {
    warnings.push(
      `${countSkipped(raw.skipped)} could not be read and ${raw.skipped.length > 1 ? 'were' : 'was'} skipped: ${listSkipped(raw.skipped)}; every one is listed in ${RUN_FILES.skipped} in the run folder.`,
    );
  }
  const summary: DatasetSummary = {
    kind: raw.kind,
    path: raw.path,
    classNames: raw.classNames,
    trainCounts,
    validationCounts,
    numTrain: train.indices.length,
    numValidation: validation.indices.length,
    imageShape: [raw.train.shape[0], raw.train.shape[1], raw.train.shape[2]],
    warnings,
    skipped: raw.skipped,
    loadSeconds,
  };
  return { classNames: raw.classNames, train, validation, summary };
}
