/**
 * Custom tfjs layer classes are defined once per tfjs namespace (the engine receives the namespace, it does
 * not import it), so each registers with that namespace's serialization exactly once.
 */
import type * as tfjs from '@tensorflow/tfjs';

type Tf = typeof tfjs;

/** `define(tf)` run on the first call for each namespace; later calls return the same classes. */
export function perNamespace<T>(define: (tf: Tf) => T): (tf: Tf) => T {
  const defined = new WeakMap<Tf, T>();
  return (tf) => {
    let layers = defined.get(tf);
    if (!layers) {
      layers = define(tf);
      defined.set(tf, layers);
    }
    return layers;
  };
}
