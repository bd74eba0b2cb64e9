/** Optimizers by the model file's name, and changing their learning rate between epochs. */
import type { Optimizer } from '@tensorflow/tfjs';
import type { OptimizerName } from '../../core/format';
import type { Tf } from '../backend/tfNamespace';

export function makeOptimizer(tf: Tf, name: OptimizerName, learningRate: number): Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
    case 'adamax':
      return tf.train.adamax(learningRate);
    case 'adadelta':
      return tf.train.adadelta(learningRate);
  }
}

/**
 * tfjs optimizers have no common setter: SGD (and Momentum) cache the rate as a tensor behind
 * `setLearningRate`; the others read the plain `learningRate` field on every step.
 */
export function setLearningRate(optimizer: Optimizer, learningRate: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}
