/** Classification metrics from predicted probabilities: confusion matrix, per-class P/R/F1, misclassified samples. */
import type { ClassReport, MisclassifiedSample } from '../../protocol/engine';
import type { Subset } from '../data/dataset';
import { argmax } from './probabilities';

export interface ClassificationMetrics {
  readonly accuracy: number;
  readonly confusionMatrix: number[][];
  readonly perClass: ClassReport[];
  readonly misclassified: MisclassifiedSample[];
}

export function classificationMetrics(probs: Float32Array, subset: Subset, classNames: readonly string[], maxMisclassified = 100): ClassificationMetrics {
  const k = classNames.length;
  const n = subset.indices.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const wrong: MisclassifiedSample[] = [];
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const idx = subset.indices[i]!;
    const truth = subset.set.labels[idx]!;
    const pred = argmax(probs, i, k);
    confusion[truth]![pred]!++;
    if (pred === truth) correct++;
    else {
      wrong.push({
        index: i,
        path: subset.set.paths ? subset.set.paths[idx]! : null,
        trueClass: classNames[truth]!,
        predictedClass: classNames[pred]!,
        confidence: probs[i * k + pred]!,
      });
    }
  }
  const perClass: ClassReport[] = classNames.map((className, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { className, precision, recall, f1, support };
  });
  // The most confident mistakes first: those say most about what the model got wrong.
  wrong.sort((a, b) => b.confidence - a.confidence);
  return { accuracy: n ? correct / n : 0, confusionMatrix: confusion, perClass, misclassified: wrong.slice(0, maxMisclassified) };
}
