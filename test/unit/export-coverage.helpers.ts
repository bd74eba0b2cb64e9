/**
 * Models that exercise the layers and options the templates do not (uneven 'same' padding, transposed
 * convolutions, pooling variants, reshaping, merges, every activation family), shared by the export tests.
 */
import { DEFAULT_COMPILE, DEFAULT_TRAINING, type LayerParams, type ModelFile, type ModelNode } from '../../src/core/format';

/**
 * A chain model. Image-shaped chains end in Flatten + Dense so the model trains (a classifier) and the
 * Dense parameter count still depends on the exact height and width before it.
 */
export function chain(name: string, shape: number[], layers: [string, LayerParams][], head = true): ModelFile {
  if (head) layers = [...layers, ['Flatten', {}], ['Dense', { units: 3, activation: 'softmax' }]];
  const nodes: ModelNode[] = [{ id: 'input', type: 'Input', params: { shape }, inputs: [] }];
  layers.forEach(([type, params], k) => nodes.push({ id: `l${k}_${type.toLowerCase()}`, type, params, inputs: [nodes[nodes.length - 1]!.id] }));
  return { format: 'cnn-studio-model', formatVersion: 1, name, nodes, compile: DEFAULT_COMPILE, training: DEFAULT_TRAINING };
}

export function coverageModels(): ModelFile[] {
  const branching: ModelFile = {
    ...chain('branching', [8, 8, 3], [], false),
    nodes: [
      { id: 'input', type: 'Input', params: { shape: [8, 8, 3] }, inputs: [] },
      { id: 'a', type: 'Conv2D', params: { filters: 4, padding: 'same', activation: 'elu' }, inputs: ['input'] },
      { id: 'b', type: 'Conv2D', params: { filters: 6, kernelSize: [1, 1], activation: 'swish' }, inputs: ['input'] },
      { id: 'cat', type: 'Concatenate', params: {}, inputs: ['a', 'b'] },
      { id: 'sd', type: 'SpatialDropout2D', params: { rate: 0.2 }, inputs: ['cat'] },
      { id: 'scale', type: 'Rescaling', params: { scale: 0.5, offset: 1 }, inputs: ['sd'] },
      { id: 'gmp', type: 'GlobalMaxPooling2D', params: {}, inputs: ['scale'] },
      { id: 'out', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['gmp'] },
    ],
  };
  // Keras image models' activation, normalization and merge layers: a capped ReLU, a ReLU with slope and
  // threshold and an ELU with alpha 0.5 (the engine's own tfjs classes), PReLU both ways, a squeeze-excite
  // gate. (A plain ReLU, relu6 or last-axis Softmax layer imports as the equal Activation layer.)
  const activations = chain('activations', [6, 6, 4], [
    ['ReLU', { maxValue: 4 }],
    ['ReLU', { maxValue: 4, negativeSlope: 0.1, threshold: 0.5 }],
    ['PReLU', { sharedAxes: 'spatial' }],
    ['PReLU', {}],
    ['ELU', { alpha: 0.5 }],
    ['ELU', {}],
    ['LayerNormalization', { epsilon: 0.01 }],
    ['Softmax', { axis: 2 }],
  ]);
  const merges: ModelFile = {
    ...chain('merges', [8, 8, 3], [], false),
    nodes: [
      { id: 'input', type: 'Input', params: { shape: [8, 8, 3] }, inputs: [] },
      { id: 'a', type: 'Conv2D', params: { filters: 4, padding: 'same', activation: 'linear' }, inputs: ['input'] },
      { id: 'squeeze', type: 'GlobalAveragePooling2D', params: {}, inputs: ['a'] },
      { id: 'excite', type: 'Dense', params: { units: 4, activation: 'sigmoid' }, inputs: ['squeeze'] },
      { id: 'gate', type: 'Reshape', params: { targetShape: [1, 1, 4] }, inputs: ['excite'] },
      { id: 'se', type: 'Multiply', params: {}, inputs: ['a', 'gate'] },
      { id: 'avg', type: 'Average', params: {}, inputs: ['a', 'se'] },
      { id: 'max', type: 'Maximum', params: {}, inputs: ['avg', 'a', 'se'] },
      { id: 'diff', type: 'Subtract', params: {}, inputs: ['max', 'a'] },
      { id: 'gap', type: 'GlobalAveragePooling2D', params: {}, inputs: ['diff'] },
      { id: 'probs', type: 'Dense', params: { units: 3, activation: 'softmax' }, inputs: ['gap'] },
    ],
  };
  // Training-only noise and augmentation (every fill mode of the random transforms), axis order and resizing (stretched, and centre-cropped to the aspect ratio first).
  const noiseAndResizing = chain('noise-resizing', [6, 8, 3], [
    ['GaussianNoise', { stddev: 0.2 }],
    ['GaussianDropout', { rate: 0.2 }],
    ['Permute', { dims: [2, 1, 3] }],
    ['Resizing', { height: 5, width: 4 }],
    ['Resizing', { height: 4, width: 2, interpolation: 'nearest', cropToAspectRatio: true }],
    ['RandomFlip', { mode: 'horizontal_and_vertical' }],
    ['RandomContrast', { factor: 0.3 }],
    ['RandomRotation', { factor: 0.2 }],
    ['RandomZoom', { heightFactor: 0.3, fillMode: 'constant', fillValue: 0.5, interpolation: 'nearest' }],
    ['RandomTranslation', { heightFactor: 0.2, widthFactor: 0.1, fillMode: 'wrap' }],
    ['RandomZoom', { heightFactor: 0.2, widthFactor: 0.3, fillMode: 'nearest' }],
  ]);
  return [
    activations,
    merges,
    noiseAndResizing,
    chain('convs', [7, 7, 3], [
      ['Conv2D', { filters: 4, strides: [2, 2], padding: 'same', activation: 'relu6' }],
      ['Conv2D', { filters: 5, kernelSize: [4, 2], padding: 'same', dilationRate: [2, 1], activation: 'gelu', useBias: false }],
      ['DepthwiseConv2D', { kernelSize: [3, 3], strides: [2, 2], padding: 'same', depthMultiplier: 2 }],
      ['SeparableConv2D', { filters: 5, padding: 'same', depthMultiplier: 2, activation: 'mish' }],
    ]),
    chain('pools', [9, 9, 2], [
      ['MaxPooling2D', { poolSize: [3, 3], strides: [2, 2], padding: 'same' }],
      ['AveragePooling2D', { poolSize: [2, 2], padding: 'same' }],
      ['AveragePooling2D', { poolSize: [3, 3], strides: [1, 1], padding: 'same' }],
      ['MaxPooling2D', { poolSize: [2, 2], strides: [1, 1] }],
    ]),
    chain('transposed', [5, 5, 3], [
      ['Conv2DTranspose', { filters: 4, strides: [2, 2], padding: 'same' }],
      ['Conv2DTranspose', { filters: 3, kernelSize: [2, 2], strides: [3, 3], activation: 'tanh' }],
      ['Conv2DTranspose', { filters: 2, kernelSize: [4, 4], strides: [2, 2], padding: 'same' }],
      ['Conv2DTranspose', { filters: 2, kernelSize: [5, 5], strides: [2, 2], padding: 'same', activation: 'sigmoid' }],
    ]),
    chain('reshaping', [6, 6, 2], [
      ['ZeroPadding2D', { padding: [[1, 2], [0, 1]] }],
      ['Cropping2D', { cropping: [[1, 0], [0, 1]] }],
      ['UpSampling2D', { size: [2, 3], interpolation: 'bilinear' }],
      ['Reshape', { targetShape: [18, -1, 2] }],
      ['BatchNormalization', { center: false }],
      ['LeakyReLU', { alpha: 0.1 }],
      ['Activation', { activation: 'hardSigmoid' }],
      ['Flatten', {}],
      ['Dense', { units: 7, activation: 'linear' }],
      ['BatchNormalization', { momentum: 0.9 }],
      ['Dropout', { rate: 0.3 }],
      ['Dense', { units: 2, activation: 'softmax' }],
    ], false),
    branching,
  ];
}

