/** Top-k predictions for image files with a run's checkpoint. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { ImagePrediction, PredictParams } from '../../protocol/engine';
import type { Tf } from '../backend/tfNamespace';
import { allIndices } from '../data/dataset';
import { DatasetError } from '../data/errors';
import { decodeImages, IMAGE_EXTENSIONS } from '../data/imageFolder';
import { listSkipped } from '../data/skippedFiles';
import { predictProbabilities } from './probabilities';
import { loadRunModel, openRun, pickCheckpoint } from './runModel';

export function topK(probs: Float32Array, row: number, classNames: readonly string[], k: number): { className: string; probability: number }[] {
  const n = classNames.length;
  return classNames
    .map((className, c) => ({ className, probability: probs[row * n + c]! }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, Math.max(1, Math.min(k, n)));
}

export async function predictImages(tf: Tf, params: PredictParams): Promise<ImagePrediction[]> {
  if (params.imagePaths.length === 0) throw new DatasetError('No images given. Pass one or more PNG/JPEG/WebP files.');
  const run = openRun(params.runDir);
  const checkpoint = pickCheckpoint(run, params.checkpoint);
  // A folder stands for the images directly inside it.
  const paths = params.imagePaths.flatMap((p) => {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new DatasetError(`'${abs}' does not exist. Pass image files (PNG/JPEG/WebP) or a folder of them.`);
    if (!statSync(abs).isDirectory()) return [abs];
    const inside = readdirSync(abs).filter((n) => IMAGE_EXTENSIONS.has(extname(n).toLowerCase())).sort().map((n) => join(abs, n));
    if (inside.length === 0) throw new DatasetError(`The folder '${abs}' has no PNG/JPEG/WebP images directly inside it.`);
    return inside;
  });
  const { set, skipped } = await decodeImages(paths, new Array<number>(paths.length).fill(0), { shape: run.config.inputShape });
  // One unreadable image among many is reported in its place; the others are still predicted.
  if (skipped.length === paths.length) {
    throw new DatasetError(`Cannot read ${listSkipped(skipped, skipped.length)}. Pass PNG, JPEG or WebP images.`);
  }
  const failed = new Map(skipped.map((s) => [s.path, s.reason]));
  const model = loadRunModel(tf, run, checkpoint);
  try {
    const names = run.config.classNames;
    const probs = await predictProbabilities(tf, model, { set, indices: allIndices(set.count) }, run.config.inputScale, names.length);
    // `set` holds the decoded images in the order of `paths`, without the failed ones.
    let row = 0;
    return paths.map((imagePath): ImagePrediction => {
      const error = failed.get(imagePath);
      return error !== undefined ? { imagePath, top: [], error } : { imagePath, top: topK(probs, row++, names, params.topK ?? 3) };
    });
  } finally {
    model.dispose();
  }
}
