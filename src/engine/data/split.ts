/** Seeded stratified split: every class keeps its share in both parts, and the same seed gives the same split. */
import type { ImageSet } from './dataset';
import { seededRng, shuffleInPlace } from './random';

/** How many of a class's `size` samples the split puts into validation. */
export function validationCount(size: number, validationFraction: number): number {
  // At least one validation sample per class when the class can spare one, so every class is measured.
  const n = Math.round(size * validationFraction);
  return validationFraction > 0 && n === 0 && size >= 2 ? 1 : n;
}

export function stratifiedSplit(set: ImageSet, numClasses: number, validationFraction: number, seed: number): { train: Int32Array; validation: Int32Array } {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < set.count; i++) byClass[set.labels[i]!]!.push(i);
  const rng = seededRng(seed);
  const train: number[] = [];
  const validation: number[] = [];
  for (const members of byClass) {
    shuffleInPlace(members, rng);
    const nVal = validationCount(members.length, validationFraction);
    validation.push(...members.slice(0, nVal));
    train.push(...members.slice(nVal));
  }
  // Keep file order inside each part (stable, readable in reports); training shuffles per epoch anyway.
  return { train: Int32Array.from(train.sort((a, b) => a - b)), validation: Int32Array.from(validation.sort((a, b) => a - b)) };
}
