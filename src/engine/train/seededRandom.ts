/**
 * Makes tfjs' randomness repeatable. tfjs draws a fresh seed from `Math.random()` for every random op
 * that has none (weight initialisers, dropout masks), so replacing Math.random with a seeded generator
 * while a run builds and trains makes the whole run repeat on the same backend, without touching the
 * model builder or each layer's config. The engine process (and the CLI) do one run at a time.
 */
import { seededRng } from '../data/random';

let depth = 0;
let original: () => number = Math.random;

export function useSeededMathRandom(seed: number): () => void {
  if (depth++ === 0) original = Math.random;
  const previous = Math.random;
  Math.random = seededRng(seed ^ 0x5eed);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    Math.random = previous;
    if (--depth === 0) Math.random = original;
  };
}
