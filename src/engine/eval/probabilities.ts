/**
 * Class probabilities for a set of samples, in batches (one batch of floats in memory at a time), and
 * the loss/accuracy computed from them. Shared by validation during training and by evaluation.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { LossName } from '../../core/format';
import type { Tf } from '../backend/tfNamespace';
import { fillBatch } from '../data/batches';
import { sampleBytes, type Subset } from '../data/dataset';
import { EngineUserError } from '../data/errors';

/** Keras' epsilon: probabilities are clipped to [EPS, 1-EPS] before the log, as its cross-entropy does. */
const EPS = 1e-7;

/**
 * `numClasses` probabilities per sample (`out[i*numClasses + k]`). A single sigmoid output (binary
 * models) is expanded to `[1-p, p]`.
 */
export async function predictProbabilities(tf: Tf, model: LayersModel, subset: Subset, inputScale: number, numClasses: number, batchSize = 128): Promise<Float32Array> {
  const n = subset.indices.length;
  const [h, w, c] = subset.set.shape;
  const out = new Float32Array(n * numClasses);
  const x = new Float32Array(Math.min(batchSize, n) * sampleBytes(subset.set.shape));
  const y = new Int32Array(Math.min(batchSize, n));
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const positions = Array.from({ length: count }, (_, i) => start + i);
    fillBatch(subset, positions, x, y, { scale: inputScale });
    const probs = tf.tidy(() => {
      const input = tf.tensor4d(x.subarray(0, count * h * w * c), [count, h, w, c]);
      return model.predict(input) as import('@tensorflow/tfjs').Tensor;
    });
    const data = (await probs.data()) as Float32Array;
    const units = probs.shape[probs.shape.length - 1]!;
    probs.dispose();
    writeProbabilities(data, units, count, numClasses, out, start);
  }
  return out;
}

/** Copies a batch of model outputs into `out`, expanding a single sigmoid unit to two classes. */
export function writeProbabilities(data: Float32Array, units: number, count: number, numClasses: number, out: Float32Array, start: number): void {
  if (units === 1 && numClasses === 2) {
    for (let i = 0; i < count; i++) {
      out[(start + i) * 2] = 1 - data[i]!;
      out[(start + i) * 2 + 1] = data[i]!;
    }
    return;
  }
  if (units !== numClasses) {
    throw new EngineUserError('shape-mismatch', `The model outputs ${units} values per sample but the dataset has ${numClasses} classes. Set the last Dense layer's units to ${numClasses}.`);
  }
  out.set(data.subarray(0, count * units), start * numClasses);
}

export function argmax(probs: Float32Array, row: number, numClasses: number): number {
  let best = 0;
  for (let k = 1; k < numClasses; k++) if (probs[row * numClasses + k]! > probs[row * numClasses + best]!) best = k;
  return best;
}

/** Mean loss (as the model's loss defines it) and accuracy of `probs` against the subset's labels. */
export function lossAndAccuracy(probs: Float32Array, subset: Subset, numClasses: number, loss: LossName): { loss: number; accuracy: number } {
  const n = subset.indices.length;
  if (n === 0) return { loss: NaN, accuracy: NaN };
  let total = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const label = subset.set.labels[subset.indices[i]!]!;
    if (argmax(probs, i, numClasses) === label) correct++;
    if (loss === 'meanSquaredError') {
      let s = 0;
      for (let k = 0; k < numClasses; k++) s += (probs[i * numClasses + k]! - (k === label ? 1 : 0)) ** 2;
      total += s / numClasses;
    } else {
      const p = Math.min(1 - EPS, Math.max(EPS, probs[i * numClasses + label]!));
      total += -Math.log(p);
    }
  }
  return { loss: total / n, accuracy: correct / n };
}
