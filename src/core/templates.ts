/**
 * Starting points for new models. Each template is a complete, valid model with readable node ids, a
 * dataset reference and training settings; `createModelFromTemplate` returns a fresh copy.
 */
import {
  CURRENT_FORMAT_VERSION,
  DEFAULT_COMPILE,
  DEFAULT_TRAINING,
  MODEL_FORMAT_TAG,
  type DatasetReference,
  type LayerParams,
  type ModelFile,
  type ModelNode,
} from './format';
import { analyzeModel } from './shapeInference';
import { UserFacingError } from './userFacingError';

export interface TemplateInfo {
  id: string;
  title: string;
  description: string;
}

/** A user-facing error: an unknown template id, with the valid ones. */
export class UnknownTemplateError extends UserFacingError {
  constructor(readonly templateId: string) {
    super(`Unknown template '${templateId}'. Use one of: ${TEMPLATES.map((t) => t.id).join(', ')}.`, 'UnknownTemplateError');
  }
}

/** Appends nodes; each reads from the previous one unless inputs are given. */
class GraphBuilder {
  readonly nodes: ModelNode[] = [];
  add(id: string, type: string, params: LayerParams = {}, inputs?: string[]): string {
    const prev = this.nodes[this.nodes.length - 1];
    this.nodes.push({ id, type, params, inputs: inputs ?? (prev ? [prev.id] : []) });
    return id;
  }
}

function tutorialCifar(): ModelNode[] {
  const g = new GraphBuilder();
  g.add('input', 'Input', { shape: [32, 32, 3] });
  g.add('conv1', 'Conv2D', { filters: 32, kernelSize: [3, 3], activation: 'relu' });
  g.add('pool1', 'MaxPooling2D', { poolSize: [2, 2] });
  g.add('conv2', 'Conv2D', { filters: 64, kernelSize: [3, 3], activation: 'relu' });
  g.add('pool2', 'MaxPooling2D', { poolSize: [2, 2] });
  g.add('conv3', 'Conv2D', { filters: 64, kernelSize: [3, 3], activation: 'relu' });
  g.add('pool3', 'MaxPooling2D', { poolSize: [2, 2] });
  g.add('flatten', 'Flatten');
  g.add('dense1', 'Dense', { units: 128, activation: 'relu' });
  g.add('dense2', 'Dense', { units: 256, activation: 'relu' });
  g.add('output', 'Dense', { units: 10, activation: 'softmax' });
  return g.nodes;
}

function lenet5(): ModelNode[] {
  // LeCun et al. 1998 on 28×28 MNIST: the first convolution pads to keep 28×28 (the paper padded the
  // digits to 32×32 instead), tanh activations and average pooling as in the original.
  const g = new GraphBuilder();
  g.add('input', 'Input', { shape: [28, 28, 1] });
  g.add('conv1', 'Conv2D', { filters: 6, kernelSize: [5, 5], padding: 'same', activation: 'tanh' });
  g.add('pool1', 'AveragePooling2D', { poolSize: [2, 2] });
  g.add('conv2', 'Conv2D', { filters: 16, kernelSize: [5, 5], activation: 'tanh' });
  g.add('pool2', 'AveragePooling2D', { poolSize: [2, 2] });
  g.add('flatten', 'Flatten');
  g.add('dense1', 'Dense', { units: 120, activation: 'tanh' });
  g.add('dense2', 'Dense', { units: 84, activation: 'tanh' });
  g.add('output', 'Dense', { units: 10, activation: 'softmax' });
  return g.nodes;
}

function mnistSmall(): ModelNode[] {
  const g = new GraphBuilder();
  g.add('input', 'Input', { shape: [28, 28, 1] });
  g.add('conv1', 'Conv2D', { filters: 8, kernelSize: [5, 5], activation: 'relu' });
  g.add('pool1', 'MaxPooling2D', { poolSize: [2, 2] });
  g.add('conv2', 'Conv2D', { filters: 16, kernelSize: [5, 5], activation: 'relu' });
  g.add('pool2', 'MaxPooling2D', { poolSize: [2, 2] });
  g.add('flatten', 'Flatten');
  g.add('output', 'Dense', { units: 10, activation: 'softmax' });
  return g.nodes;
}

function vggMini(): ModelNode[] {
  const g = new GraphBuilder();
  g.add('input', 'Input', { shape: [32, 32, 3] });
  [32, 64, 128].forEach((filters, b) => {
    const n = b + 1;
    g.add(`conv${n}a`, 'Conv2D', { filters, kernelSize: [3, 3], padding: 'same', activation: 'relu' });
    g.add(`conv${n}b`, 'Conv2D', { filters, kernelSize: [3, 3], padding: 'same', activation: 'relu' });
    g.add(`pool${n}`, 'MaxPooling2D', { poolSize: [2, 2] });
  });
  g.add('flatten', 'Flatten');
  g.add('dropout1', 'Dropout', { rate: 0.5 });
  g.add('dense1', 'Dense', { units: 128, activation: 'relu' });
  g.add('output', 'Dense', { units: 10, activation: 'softmax' });
  return g.nodes;
}

function resnetMini(): ModelNode[] {
  const g = new GraphBuilder();
  g.add('input', 'Input', { shape: [32, 32, 3] });
  g.add('conv1', 'Conv2D', { filters: 16, kernelSize: [3, 3], padding: 'same', activation: 'linear', useBias: false });
  g.add('bn1', 'BatchNormalization');
  let x = g.add('relu1', 'Activation', { activation: 'relu' });
  // Three residual blocks; the 2nd and 3rd halve the size and double the channels, so their shortcut
  // is a strided 1×1 convolution (a projection) instead of the identity.
  [16, 32, 64].forEach((filters, b) => {
    const n = b + 1;
    const downsample = b > 0;
    const strides = downsample ? [2, 2] : [1, 1];
    g.add(`block${n}_conv1`, 'Conv2D', { filters, kernelSize: [3, 3], strides, padding: 'same', activation: 'linear', useBias: false }, [x]);
    g.add(`block${n}_bn1`, 'BatchNormalization');
    g.add(`block${n}_relu1`, 'Activation', { activation: 'relu' });
    g.add(`block${n}_conv2`, 'Conv2D', { filters, kernelSize: [3, 3], padding: 'same', activation: 'linear', useBias: false });
    const main = g.add(`block${n}_bn2`, 'BatchNormalization');
    let shortcut = x;
    if (downsample) {
      g.add(`block${n}_proj`, 'Conv2D', { filters, kernelSize: [1, 1], strides, padding: 'same', activation: 'linear', useBias: false }, [x]);
      shortcut = g.add(`block${n}_proj_bn`, 'BatchNormalization');
    }
    g.add(`block${n}_add`, 'Add', {}, [main, shortcut]);
    x = g.add(`block${n}_relu2`, 'Activation', { activation: 'relu' });
  });
  g.add('gap', 'GlobalAveragePooling2D');
  g.add('output', 'Dense', { units: 10, activation: 'softmax' });
  return g.nodes;
}

function mobilenetMini(): ModelNode[] {
  const g = new GraphBuilder();
  g.add('input', 'Input', { shape: [64, 64, 3] });
  g.add('conv1', 'Conv2D', { filters: 16, kernelSize: [3, 3], strides: [2, 2], padding: 'same', activation: 'linear', useBias: false });
  g.add('bn1', 'BatchNormalization');
  g.add('relu1', 'Activation', { activation: 'relu6' });
  // Depthwise separable blocks as in MobileNet v1: a 3×3 depthwise convolution, then a 1×1 pointwise
  // one, each followed by BatchNormalization and relu6.
  const blocks: [number, number][] = [
    [32, 1],
    [64, 2],
    [64, 1],
    [128, 2],
    [128, 1],
  ];
  blocks.forEach(([filters, stride], b) => {
    const n = b + 1;
    g.add(`dw${n}`, 'DepthwiseConv2D', { kernelSize: [3, 3], strides: [stride, stride], padding: 'same', activation: 'linear', useBias: false });
    g.add(`dw${n}_bn`, 'BatchNormalization');
    g.add(`dw${n}_relu`, 'Activation', { activation: 'relu6' });
    g.add(`pw${n}`, 'Conv2D', { filters, kernelSize: [1, 1], padding: 'same', activation: 'linear', useBias: false });
    g.add(`pw${n}_bn`, 'BatchNormalization');
    g.add(`pw${n}_relu`, 'Activation', { activation: 'relu6' });
  });
  g.add('gap', 'GlobalAveragePooling2D');
  g.add('dropout1', 'Dropout', { rate: 0.2 });
  g.add('output', 'Dense', { units: 10, activation: 'softmax' });
  return g.nodes;
}

interface TemplateDef extends TemplateInfo {
  nodes: () => ModelNode[];
  dataset: DatasetReference;
  epochs: number;
  batchSize: number;
}

const DEFS: readonly TemplateDef[] = [
  {
    id: 'tutorial-cifar',
    title: 'TensorFlow CNN tutorial (CIFAR-10)',
    description: 'Three 3×3 convolutions with max pooling, then Dense 128, 256 and 10: the TensorFlow CNN tutorial network.',
    nodes: tutorialCifar,
    dataset: { kind: 'cifar10', path: 'data/cifar-10-batches-bin', imageSize: [32, 32], colorMode: 'rgb' },
    epochs: 10,
    batchSize: 64,
  },
  {
    id: 'lenet5',
    title: 'LeNet-5 (MNIST)',
    description: "LeCun's classic digit recogniser: two 5×5 convolutions with average pooling and tanh, then Dense 120, 84 and 10.",
    nodes: lenet5,
    dataset: { kind: 'mnistIdx', path: 'data/mnist', imageSize: [28, 28], colorMode: 'grayscale' },
    epochs: 10,
    batchSize: 64,
  },
  {
    id: 'mnist-small',
    title: 'Small MNIST net',
    description: 'Two 5×5 convolutions (8 and 16 filters) with max pooling and one Dense layer: trains in seconds on a CPU.',
    nodes: mnistSmall,
    dataset: { kind: 'mnistIdx', path: 'data/mnist', imageSize: [28, 28], colorMode: 'grayscale' },
    epochs: 5,
    batchSize: 64,
  },
  {
    id: 'vgg-mini',
    title: 'Mini VGG',
    description: 'Three VGG-style blocks of two 3×3 convolutions and a max pooling (32, 64, 128 filters), dropout and two Dense layers.',
    nodes: vggMini,
    dataset: { kind: 'imageFolder', path: 'data', imageSize: [32, 32], colorMode: 'rgb' },
    epochs: 20,
    batchSize: 64,
  },
  {
    id: 'resnet-mini',
    title: 'Mini ResNet',
    description: 'Three residual blocks (16, 32, 64 filters) with BatchNormalization and Add shortcuts, global average pooling.',
    nodes: resnetMini,
    dataset: { kind: 'imageFolder', path: 'data', imageSize: [32, 32], colorMode: 'rgb' },
    epochs: 20,
    batchSize: 64,
  },
  {
    id: 'mobilenet-mini',
    title: 'Mini MobileNet',
    description: 'MobileNet-style depthwise separable blocks (3×3 depthwise + 1×1 pointwise, relu6) on 64×64 images: few params, few multiply-adds.',
    nodes: mobilenetMini,
    dataset: { kind: 'imageFolder', path: 'data', imageSize: [64, 64], colorMode: 'rgb' },
    epochs: 20,
    batchSize: 32,
  },
];

export const TEMPLATES: readonly TemplateInfo[] = DEFS.map(({ id, title, description }) => ({ id, title, description }));

const paramCounts = new Map<string, number>();
/**
 * A template's parameter count, computed from its layers (never stored in its description, which is
 * copied into the model file and would go stale after the first edit).
 */
export function templateParamCount(id: string): number {
  let n = paramCounts.get(id);
  if (n === undefined) {
    n = analyzeModel(createModelFromTemplate(id)).totals.params;
    paramCounts.set(id, n);
  }
  return n;
}

/** The description a template picker shows: what it is, and its computed size. */
export function templateDetail(t: TemplateInfo): string {
  return `${t.description} ${templateParamCount(t.id).toLocaleString('en-US')} params.`;
}

export function createModelFromTemplate(id: string, name?: string): ModelFile {
  const def = DEFS.find((d) => d.id === id);
  if (!def) throw new UnknownTemplateError(id);
  return {
    format: MODEL_FORMAT_TAG,
    formatVersion: CURRENT_FORMAT_VERSION,
    name: name ?? def.id,
    description: def.description,
    dataset: structuredClone(def.dataset),
    compile: structuredClone(DEFAULT_COMPILE),
    training: { ...structuredClone(DEFAULT_TRAINING), epochs: def.epochs, batchSize: def.batchSize },
    nodes: def.nodes(),
  };
}
