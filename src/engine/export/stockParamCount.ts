/**
 * The parameter count of a Keras model file as stock tfjs-layers builds it, for the import report when the
 * file has no weights manifest to count: a second, independent reading of the same file.
 */
import type { Tf } from '../backend/tfNamespace';

/** `{class_name, config}` (or a TF.js modelTopology) → tfjs' countParams(), or null when tfjs cannot build it (Keras 3 JSON, layers tfjs lacks). */
export async function stockTfjsParamCount(tf: Tf, topology: Record<string, unknown>): Promise<number | null> {
  try {
    // A copy: tfjs' Sequential.fromConfig deletes fields of the config it is given.
    const model = await tf.models.modelFromJSON({ modelTopology: structuredClone(topology) as never });
    try {
      return model.countParams();
    } finally {
      model.dispose();
    }
  } catch {
    return null;
  }
}
