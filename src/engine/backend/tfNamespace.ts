/**
 * The type of the tfjs namespace the engine works with. Type-only on purpose: the VALUE comes from
 * `getTf()` in selectBackend.ts, because with tfjs-node it is a different copy of tfjs than the bundled one.
 */
export type Tf = typeof import('@tensorflow/tfjs');
