/**
 * The JSON Schema of `*.cnn.json`, generated from the format types' defaults and the layer catalogue.
 *
 * VS Code's JSON editor uses it (the manifest's `jsonValidation` points at the generated copy in
 * `media/schema/cnn-model.schema.json`) to complete and check files, including each layer type's params
 * with their help text; the loader validates with the same object through ajv. Regenerate the committed
 * file with `npm run -s gen:schema` (a unit test fails when it is stale).
 */
import { LAYER_CATALOGUE, LAYER_TYPES, type ParamSpec } from './catalogue';
import { NODE_ID_PATTERN, NODE_ID_RULE } from './nodeIds';
import { CURRENT_FORMAT_VERSION, DATASET_KINDS, LOSSES, OPTIMIZERS, DEFAULT_COMPILE, DEFAULT_TRAINING, MODEL_FORMAT_TAG } from './format';

/** A JSON Schema (draft-07) object; kept loose because it is data handed to ajv and VS Code. */
export type JsonSchema = { [key: string]: unknown };



/** The schema of one param value, from its catalogue entry. */
export function paramSchema(spec: ParamSpec): JsonSchema {
  const description = spec.help;
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const s: JsonSchema = { type: spec.kind === 'int' ? 'integer' : 'number', description, default: spec.default };
      if (spec.min !== undefined) {
        if (spec.kind === 'float' && spec.exclusiveMin) s['exclusiveMinimum'] = spec.min;
        else s['minimum'] = spec.min;
      }
      if (spec.max !== undefined) {
        if (spec.kind === 'float' && spec.exclusiveMax) s['exclusiveMaximum'] = spec.max;
        else s['maximum'] = spec.max;
      }
      if (spec.kind === 'float' && spec.nullable) return { oneOf: [s, { type: 'null' }], description, default: spec.default };
      return s;
    }
    case 'bool':
      return { type: 'boolean', description, default: spec.default };
    case 'enum':
      return { type: 'string', enum: [...spec.values], description, default: spec.default };
    case 'pair': {
      const pair: JsonSchema = {
        type: 'array',
        items: { type: 'integer', minimum: spec.min },
        minItems: 2,
        maxItems: 2,
      };
      if (spec.nullable) return { oneOf: [pair, { type: 'null' }], description, default: spec.default };
      return { ...pair, description, default: spec.default };
    }
    case 'pair2': {
      const pair = { type: 'array', items: { type: 'integer', minimum: spec.min }, minItems: 2, maxItems: 2 };
      return { type: 'array', items: pair, minItems: 2, maxItems: 2, description, default: spec.default };
    }
    case 'shape': {
      const item: JsonSchema = spec.allowInfer
        ? { type: 'integer', anyOf: [{ minimum: 1 }, { const: -1 }] }
        : { type: 'integer', minimum: 1 };
      return { type: 'array', items: item, minItems: spec.minLength, maxItems: spec.maxLength, description, default: spec.default };
    }
  }
}

function layerParamsSchema(type: string): JsonSchema {
  const spec = LAYER_CATALOGUE.get(type)!;
  const properties: JsonSchema = {};
  for (const [name, p] of Object.entries(spec.params)) properties[name] = paramSchema(p);
  return {
    type: 'object',
    description: `Params of ${type} (only those that differ from the defaults are needed).`,
    properties,
    additionalProperties: false,
  };
}

const pairOfPositiveInts = { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 2, maxItems: 2 };

/** The rules of the model-level settings, one schema per section (the model schema and the settings edit check share them). */
function buildSettingsSchemas(): { compile: JsonSchema; training: JsonSchema; dataset: JsonSchema } {
  const compileSchema: JsonSchema = {
    type: 'object',
    description: 'How the model is trained: optimizer, loss and metrics.',
    required: ['optimizer', 'learningRate', 'loss', 'metrics'],
    properties: {
      optimizer: { type: 'string', enum: [...OPTIMIZERS], default: DEFAULT_COMPILE.optimizer },
      learningRate: { type: 'number', exclusiveMinimum: 0, maximum: 10, default: DEFAULT_COMPILE.learningRate },
      loss: {
        type: 'string',
        enum: [...LOSSES],
        enumDescriptions: [
          'Integer class labels with a softmax output (the usual choice).',
          'One-hot labels with a softmax output.',
          'Two classes with one sigmoid output unit.',
          'Regression.',
        ],
        default: DEFAULT_COMPILE.loss,
      },
      metrics: { type: 'array', items: { type: 'string', enum: ['accuracy'] }, uniqueItems: true, default: DEFAULT_COMPILE.metrics },
    },
    additionalProperties: false,
  };

  const t = DEFAULT_TRAINING;
  const trainingSchema: JsonSchema = {
    type: 'object',
    description: 'Training settings.',
    required: ['epochs', 'batchSize', 'validationSplit', 'shuffle', 'seed', 'earlyStopping', 'learningRateSchedule', 'augmentation'],
    properties: {
      epochs: { type: 'integer', minimum: 1, maximum: 100000, default: t.epochs },
      batchSize: { type: 'integer', minimum: 1, maximum: 65536, default: t.batchSize },
      validationSplit: { type: 'number', minimum: 0, exclusiveMaximum: 1, default: t.validationSplit },
      shuffle: { type: 'boolean', default: t.shuffle },
      seed: { type: 'integer', default: t.seed },
      earlyStopping: {
        type: 'object',
        required: ['enabled', 'monitor', 'patience', 'restoreBestWeights'],
        properties: {
          enabled: { type: 'boolean', default: t.earlyStopping.enabled },
          monitor: { type: 'string', enum: ['valLoss', 'valAccuracy'], default: t.earlyStopping.monitor },
          patience: { type: 'integer', minimum: 0, default: t.earlyStopping.patience },
          restoreBestWeights: { type: 'boolean', default: t.earlyStopping.restoreBestWeights },
        },
        additionalProperties: false,
      },
      learningRateSchedule: {
        type: 'object',
        required: ['kind'],
        properties: { kind: { type: 'string', enum: ['constant', 'step', 'cosine', 'reduceOnPlateau'] } },
        allOf: [
          {
            if: { properties: { kind: { const: 'constant' } } },
            then: { properties: { kind: true }, additionalProperties: false },
          },
          {
            if: { properties: { kind: { const: 'step' } } },
            then: {
              required: ['stepEpochs', 'factor'],
              properties: {
                kind: true,
                stepEpochs: { type: 'integer', minimum: 1 },
                factor: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
              },
              additionalProperties: false,
            },
          },
          {
            if: { properties: { kind: { const: 'cosine' } } },
            then: {
              required: ['minLearningRate'],
              properties: { kind: true, minLearningRate: { type: 'number', minimum: 0 } },
              additionalProperties: false,
            },
          },
          {
            if: { properties: { kind: { const: 'reduceOnPlateau' } } },
            then: {
              required: ['factor', 'patience', 'minLearningRate'],
              properties: {
                kind: true,
                factor: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
                patience: { type: 'integer', minimum: 0 },
                minLearningRate: { type: 'number', minimum: 0 },
              },
              additionalProperties: false,
            },
          },
        ],
        default: t.learningRateSchedule,
      },
      augmentation: {
        type: 'object',
        required: ['horizontalFlip', 'translate', 'brightness'],
        properties: {
          horizontalFlip: { type: 'boolean', default: t.augmentation.horizontalFlip },
          translate: { type: 'number', minimum: 0, maximum: 0.5, default: t.augmentation.translate },
          brightness: { type: 'number', minimum: 0, maximum: 1, default: t.augmentation.brightness },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  };

  const datasetSchema: JsonSchema = {
    type: 'object',
    description: 'The data the model trains on.',
    required: ['kind', 'path', 'imageSize', 'colorMode'],
    properties: {
      kind: {
        type: 'string',
        enum: [...DATASET_KINDS],
        enumDescriptions: [
          'A folder with one sub-folder of images per class.',
          'MNIST-style IDX files.',
          'The CIFAR-10 binary batches.',
          'A CSV file of pixel values with a label column.',
        ],
      },
      path: { type: 'string', minLength: 1, description: "Relative to the model file's folder." },
      validationPath: { type: 'string', minLength: 1, description: 'A separate validation set (optional).' },
      imageSize: { ...pairOfPositiveInts, description: '[height, width] images are resized to.' },
      colorMode: { type: 'string', enum: ['grayscale', 'rgb'] },
    },
    additionalProperties: false,
  };

  return { compile: compileSchema, training: trainingSchema, dataset: datasetSchema };
}

/**
 * The settings of a model alone (`compile`, `training`, optional `dataset`): compiled into a small
 * validator of its own, so a settings edit is checked where it is made (the webview too) without the
 * whole model schema's per-layer rules.
 */
export function buildSettingsSchema(): JsonSchema {
  const { compile, training, dataset } = buildSettingsSchemas();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'CNN Studio model settings',
    type: 'object',
    required: ['compile', 'training'],
    properties: { compile, training, dataset },
    additionalProperties: false,
  };
}

export function buildModelSchema(): JsonSchema {
  const nodeSchema: JsonSchema = {
    type: 'object',
    description: 'One layer of the network.',
    required: ['id', 'type', 'inputs'],
    properties: {
      id: { type: 'string', pattern: NODE_ID_PATTERN, description: `Unique id, also the layer name: ${NODE_ID_RULE}.` },
      type: {
        type: 'string',
        enum: [...LAYER_TYPES],
        enumDescriptions: LAYER_TYPES.map((t) => LAYER_CATALOGUE.get(t)!.description),
        description: 'The layer type.',
      },
      params: { type: 'object', description: 'Layer params; missing ones take the catalogue default.', default: {} },
      trainable: {
        type: 'boolean',
        default: true,
        description:
          'false freezes the layer (transfer learning): training leaves its weights unchanged, and a frozen BatchNormalization uses its moving statistics. Absent or true: trainable.',
      },
      inputs: { type: 'array', items: { type: 'string' }, description: 'Ids of the nodes feeding this one, in order.' },
      position: {
        type: 'object',
        description: 'Where the node sits in the designer.',
        required: ['x', 'y'],
        properties: { x: { type: 'number' }, y: { type: 'number' } },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
    // VS Code offers these when completing inside "nodes": one per layer type with its key params.
    defaultSnippets: LAYER_TYPES.map((t) => {
      const spec = LAYER_CATALOGUE.get(t)!;
      const params = Object.fromEntries(spec.keyParams.map((k) => [k, spec.params[k]!.default]));
      return {
        label: t,
        description: spec.description,
        body: { id: `$1`, type: t, params, inputs: spec.maxInputs === 0 ? [] : ['$2'] },
      };
    }),
    allOf: LAYER_TYPES.map((t) => ({
      if: { properties: { type: { const: t } }, required: ['type'] },
      then: { properties: { params: layerParamsSchema(t) } },
    })),
  };

  const { compile: compileSchema, training: trainingSchema, dataset: datasetSchema } = buildSettingsSchemas();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'CNN Studio model',
    description: 'A convolutional neural network designed with CNN Studio.',
    type: 'object',
    required: ['format', 'formatVersion', 'name', 'nodes', 'compile', 'training'],
    properties: {
      format: { const: MODEL_FORMAT_TAG, description: 'Marks the file as a CNN Studio model.' },
      formatVersion: { type: 'integer', minimum: 0, maximum: CURRENT_FORMAT_VERSION, default: CURRENT_FORMAT_VERSION },
      name: { type: 'string', description: 'The model name (shown in summaries and generated code).' },
      description: { type: 'string' },
      nodes: { type: 'array', items: nodeSchema, description: 'The layers, each with the ids of its inputs.' },
      compile: compileSchema,
      training: trainingSchema,
      dataset: datasetSchema,
    },
    additionalProperties: false,
  };
}

/** Keywords VS Code's JSON service understands and ajv must ignore. */
export const EDITOR_ONLY_KEYWORDS = ['enumDescriptions', 'markdownDescription', 'defaultSnippets'] as const;
