/**
 * The nets `npm run bench` trains: two templates, and the convnet of the TensorFlow layers tutorial as
 * used by the Fashion-MNIST benchmark (3.27 M parameters, most in one 3136×1024 Dense layer), the
 * real-world yardstick against PyTorch (bench/pytorch_reference.py builds the same three nets).
 */
import { CURRENT_FORMAT_VERSION, DEFAULT_COMPILE, DEFAULT_TRAINING, MODEL_FORMAT_TAG, type ModelFile } from '../../core/format';
import { createModelFromTemplate } from '../../core/templates';

export const BENCH_MODELS = ['fm-convnet', 'tutorial-cifar', 'mnist-small'] as const;
export type BenchModel = (typeof BENCH_MODELS)[number];

function fashionMnistConvnet(): ModelFile {
  const node = (id: string, type: string, params: Record<string, unknown>, input?: string) => ({ id, type, params, inputs: input ? [input] : [] });
  return {
    format: MODEL_FORMAT_TAG,
    formatVersion: CURRENT_FORMAT_VERSION,
    name: 'fm-convnet',
    description: 'TensorFlow layers-tutorial convnet (Fashion-MNIST benchmark)',
    compile: structuredClone(DEFAULT_COMPILE),
    training: structuredClone(DEFAULT_TRAINING),
    nodes: [
      node('input', 'Input', { shape: [28, 28, 1] }),
      node('conv1', 'Conv2D', { filters: 32, kernelSize: [5, 5], padding: 'same', activation: 'relu' }, 'input'),
      node('pool1', 'MaxPooling2D', { poolSize: [2, 2] }, 'conv1'),
      node('conv2', 'Conv2D', { filters: 64, kernelSize: [5, 5], padding: 'same', activation: 'relu' }, 'pool1'),
      node('pool2', 'MaxPooling2D', { poolSize: [2, 2] }, 'conv2'),
      node('flatten', 'Flatten', {}, 'pool2'),
      node('dense1', 'Dense', { units: 1024, activation: 'relu' }, 'flatten'),
      node('dropout', 'Dropout', { rate: 0.4 }, 'dense1'),
      node('output', 'Dense', { units: 10, activation: 'softmax' }, 'dropout'),
    ],
  } as ModelFile;
}

export function benchModel(id: BenchModel): ModelFile {
  return id === 'fm-convnet' ? fashionMnistConvnet() : createModelFromTemplate(id);
}
