/**
 * A small seeded random generator (mulberry32): dataset splits, shuffling, augmentation and synthetic
 * datasets must repeat exactly for the same seed, which Math.random cannot do.
 */
export type Rng = () => number;

export function seededRng(seed: number): Rng {
  return mulberry32(Math.floor(seed) ^ 0x9e3779b9);
}

/** The generator itself, on the raw 32-bit state (tests use it to draw reproducible random graphs). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Fisher–Yates, in place. */
export function shuffleInPlace<T>(items: T[] | Int32Array | Uint32Array, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
}
