/**
 * A Keras model file with its weights: a Keras 2 `.h5` (HDF5) or a Keras 3 `.keras` (zip). Both are read
 * into the same shape: the JSON document the Keras importer reads, and the weights of each layer.
 */
import { UserFacingError } from '../../core/userFacingError';

/** The file cannot be read as a Keras model; the message names the problem and what to do. */
export class KerasFileError extends UserFacingError {
  constructor(message: string) {
    super(message, 'KerasFileError');
  }
}

/** One weight tensor as the file stores it (row-major, channels last as Keras keeps them). */
export interface KerasTensor {
  /** The variable's name where the file says it (`kernel`, `moving_mean`), else its index (`0`, `1`). */
  name: string;
  shape: number[];
  values: Float32Array;
}

/**
 * The weights of one Keras layer, in the order Keras keeps them (trainable, then non-trainable: for
 * BatchNormalization gamma, beta, moving_mean, moving_variance). `path` is where the layer sits: the
 * names of the models enclosing it (outermost first), then its own name.
 */
export interface KerasLayerWeights {
  path: string[];
  tensors: KerasTensor[];
}

export interface KerasContainer {
  format: 'keras-h5' | 'keras-archive';
  /**
   * The JSON text the Keras importer reads (checked to parse): `{"model_config": …, "training_config": …}`
   * from the h5 attributes, or the archive's config.json as it is.
   */
  documentText: string;
  weights: KerasLayerWeights[];
  /** The Keras version that wrote the file, when it says. */
  kerasVersion: string | null;
}
