/**
 * A runnable Keras script for a model file, in the style of TensorFlow's CNN tutorial: `keras.Sequential`
 * when the graph is a chain, the functional API when it branches; a loader for the model's dataset;
 * compile and fit with the file's optimizer, learning rate, loss, metrics, epochs, batch size, validation
 * split, early stopping and learning-rate schedule; a `tf.distribute` strategy so the same script runs
 * on several GPUs or workers.
 */
import type { LossName, ModelFile, OptimizerName } from '../format';
import { inputNodes, isChain, outputActivation, outputNodes, topologicalOrder } from './graph';
import { kerasLayerExpression } from './kerasLayers';
import { type CodeSection, type CodegenOptions, effectiveDataset, joinSections, paramCountText, safeModelName } from './options';
import { indent, pyComment, pyFloat, pyNumber, pyString, uniqueIdentifiers } from './python';
import { modelRescalesItself } from '../modelFacts';
import { datasetConstants, pythonDataCode } from './pythonData';

const KERAS_OPTIMIZERS: Record<OptimizerName, string> = {
  adam: 'Adam',
  sgd: 'SGD',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adamax: 'Adamax',
  adadelta: 'Adadelta',
};

const KERAS_LOSSES: Record<LossName, string> = {
  sparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy',
  categoricalCrossentropy: 'CategoricalCrossentropy',
  binaryCrossentropy: 'BinaryCrossentropy',
  meanSquaredError: 'MeanSquaredError',
};

/** How integer class labels are turned into what the loss expects (null: used as they are). */
function labelMap(loss: LossName): { code: string; why: string } | null {
  switch (loss) {
    case 'categoricalCrossentropy':
    case 'meanSquaredError':
      return { code: 'lambda x, y: (x, tf.one_hot(y, NUM_CLASSES))', why: `${loss === 'meanSquaredError' ? 'Mean squared error' : 'Categorical cross-entropy'} compares the output with one-hot labels.` };
    case 'binaryCrossentropy':
      return { code: 'lambda x, y: (x, tf.cast(tf.expand_dims(y, -1), tf.float32))', why: 'Binary cross-entropy wants a float label of shape [batch, 1] (class 0 or 1).' };
    default:
      return null;
  }
}

function headerSection(model: ModelFile, options: CodegenOptions, distributed: boolean): CodeSection {
  const script = options.scriptName ?? `${safeModelName(model.name)}_keras.py`;
  const lines = [
    '"""',
    `${model.name}: a CNN exported from CNN Studio as a Keras script (${paramCountText(model)}).`,
    ...(model.description ? ['', model.description] : []),
    '',
    `Run it with TensorFlow 2.x (2.16 or newer recommended):  python3 ${script}`,
  ];
  if (distributed) {
    lines.push(
      '- one GPU or the CPU: it runs as it is;',
      '- several GPUs in this machine: tf.distribute.MirroredStrategy splits every batch across them;',
      '- several machines: set TF_CONFIG on each worker and start this script on every one of them',
      '  (MultiWorkerMirroredStrategy; see https://www.tensorflow.org/tutorials/distribute/multi_worker_with_keras).',
    );
  }
  lines.push('"""');
  return { id: 'header', title: 'About', explanation: '', code: lines.join('\n') };
}

function importsSection(model: ModelFile, options: CodegenOptions, distributed: boolean): CodeSection {
  const { dataset } = effectiveDataset(model, options);
  const std = new Set<string>(['os']);
  if (distributed) std.add('json');
  if (dataset.kind !== 'imageFolder') for (const m of pythonDataCode(dataset.kind).imports) std.add(m);
  if (model.training.learningRateSchedule.kind === 'cosine') std.add('math');
  if (distributed) std.add('tempfile');
  const code = [
    ...[...std].sort().map((m) => `import ${m}`),
    '',
    'import numpy as np',
    'import tensorflow as tf',
    'from tensorflow import keras',
    'from tensorflow.keras import layers',
  ].join('\n');
  return { id: 'imports', title: 'Imports', explanation: 'TensorFlow with its Keras API, and NumPy for the data.', code };
}

function settingsSection(model: ModelFile, options: CodegenOptions): CodeSection {
  const t = model.training;
  const { dataset, placeholder } = effectiveDataset(model, options);
  const lines = [
    `EPOCHS = ${pyNumber(t.epochs)}`,
    `BATCH_SIZE = ${pyNumber(t.batchSize)}`,
    `LEARNING_RATE = ${pyFloat(model.compile.learningRate)}`,
    `VALIDATION_SPLIT = ${pyFloat(t.validationSplit)}  # used when there is no separate validation set`,
    `SEED = ${pyNumber(t.seed)}`,
    ...(placeholder ? [pyComment('The model file names no dataset: point DATA_PATH at a folder with one sub-folder of images per class.')] : []),
    datasetConstants(dataset, model),
    '',
    'tf.keras.utils.set_random_seed(SEED)  # the same initial weights and shuffling on every run',
  ];
  return {
    id: 'settings',
    title: 'Settings',
    explanation: 'The training settings of the CNN Studio model file. Change them here.',
    code: lines.join('\n'),
  };
}

function distributionSection(): CodeSection {
  const code = `# Pick how training is spread over devices. Created before anything else touches TensorFlow, as
# MultiWorkerMirroredStrategy requires.
if "TF_CONFIG" in os.environ:
    # A cluster described by TF_CONFIG: every worker runs this script and keeps a copy of the model.
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
elif len(tf.config.list_physical_devices("GPU")) > 1:
    # Several GPUs in this machine: one model copy per GPU, gradients averaged after each step.
    strategy = tf.distribute.MirroredStrategy()
else:
    strategy = tf.distribute.get_strategy()  # the default: one device
print("Devices training in sync:", strategy.num_replicas_in_sync)

# Each device gets BATCH_SIZE samples per step, as in CNN Studio, so the global batch grows with them.
GLOBAL_BATCH_SIZE = BATCH_SIZE * strategy.num_replicas_in_sync


def is_chief():
    """True on the worker that writes files (the only process when not multi-worker)."""
    task = json.loads(os.environ.get("TF_CONFIG", "{}")).get("task", {})
    return task.get("type", "chief") == "chief" or (task.get("type") == "worker" and task.get("index", 0) == 0)`;
  return {
    id: 'distribution',
    title: 'Distribution strategy',
    explanation:
      'Keras trains on one device by default. With several GPUs, `MirroredStrategy` keeps a copy of the model on each and averages their gradients; with several machines (a `TF_CONFIG` environment variable), `MultiWorkerMirroredStrategy` does the same across workers.',
    code,
  };
}

function dataSection(model: ModelFile, options: CodegenOptions, batchVar: string): CodeSection {
  const { dataset } = effectiveDataset(model, options);
  const aug = model.training.augmentation;
  const labels = labelMap(model.compile.loss);
  const lines: string[] = [];
  let explanation: string;
  if (dataset.kind === 'imageFolder') {
    explanation =
      "An image folder with one sub-folder per class (or `train/` and `val/` folders holding them), read by `tf.keras.utils.image_dataset_from_directory` at the model's image size and colour mode. Pixels are scaled as CNN Studio does when it trains.";
    const common = `    image_size=IMAGE_SIZE,\n    color_mode=COLOR_MODE,\n    label_mode="int",\n    batch_size=${batchVar},\n    seed=SEED,`;
    lines.push(
      '# DATA_PATH holds the class folders, or train/ and val/ (validation/, valid/, test/) folders that do.',
      'train_dir = os.path.join(DATA_PATH, "train") if os.path.isdir(os.path.join(DATA_PATH, "train")) else DATA_PATH',
      'val_dir = VALIDATION_PATH or next(',
      '    (os.path.join(DATA_PATH, d) for d in ("val", "validation", "valid", "test") if train_dir != DATA_PATH and os.path.isdir(os.path.join(DATA_PATH, d))),',
      '    None,',
      ')',
      'if val_dir:',
      `    train_ds = tf.keras.utils.image_dataset_from_directory(\n        train_dir,\n${indent(common)}\n    )`,
      `    val_ds = tf.keras.utils.image_dataset_from_directory(\n        val_dir,\n        class_names=train_ds.class_names,\n        shuffle=False,\n${indent(common)}\n    )`,
      'elif VALIDATION_SPLIT > 0:',
      `    train_ds, val_ds = tf.keras.utils.image_dataset_from_directory(\n        train_dir,\n        validation_split=VALIDATION_SPLIT,\n        subset="both",\n${indent(common)}\n    )`,
      'else:',
      `    train_ds = tf.keras.utils.image_dataset_from_directory(\n        train_dir,\n${indent(common)}\n    )`,
      '    val_ds = None',
      'class_names = train_ds.class_names',
      'NUM_CLASSES = len(class_names)',
      'print("Classes:", class_names)',
      '',
      '# image_dataset_from_directory yields pixels in 0-255; scale them as CNN Studio does (see PIXEL_SCALE).',
      'train_ds = train_ds.map(lambda x, y: (x * PIXEL_SCALE, y))',
      'if val_ds is not None:',
      '    val_ds = val_ds.map(lambda x, y: (x * PIXEL_SCALE, y))',
    );
  } else {
    const data = pythonDataCode(dataset.kind);
    const what = { mnistIdx: 'IDX files (the MNIST format; t10k-* files are the validation set)', cifar10: 'the CIFAR-10 binary batches (test_batch.bin is the validation set)', csv: 'a CSV file (a label column, then pixel values)' }[dataset.kind];
    explanation = `The dataset is ${what}, read with NumPy and scaled as CNN Studio does (see \`PIXEL_SCALE\`), then wrapped in a \`tf.data.Dataset\`.`;
    lines.push(
      data.definitions.trimEnd(),
      '',
      '',
      'x_train, y_train, x_val, y_val, class_names = load_data()',
      'NUM_CLASSES = len(class_names)',
      'print(f"{len(x_train)} training and {len(x_val)} validation samples, classes: {class_names}")',
      '',
      '# The arrays are in memory already; shuffle() draws a new order every epoch.',
      `train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(len(x_train), seed=SEED).batch(${batchVar})`,
      `val_ds = tf.data.Dataset.from_tensor_slices((x_val, y_val)).batch(${batchVar}) if len(x_val) else None`,
    );
  }
  if (labels) {
    lines.push('', `# ${labels.why}`, `to_targets = ${labels.code}`, 'train_ds = train_ds.map(to_targets)', 'if val_ds is not None:', '    val_ds = val_ds.map(to_targets)');
  }
  const augLayers: string[] = [];
  if (aug.horizontalFlip) augLayers.push('layers.RandomFlip("horizontal")');
  if (aug.translate > 0) augLayers.push(`layers.RandomTranslation(${pyFloat(aug.translate)}, ${pyFloat(aug.translate)}, fill_mode="constant")`);
  if (aug.brightness > 0) augLayers.push(`layers.RandomBrightness(${pyFloat(aug.brightness)}, value_range=(0.0, ${modelRescalesItself(model) ? '255.0' : '1.0'}))`);
  if (dataset.kind === 'imageFolder') {
    lines.push(
      '',
      '# As in the TensorFlow tutorial: keep the decoded images in memory after the first epoch, and reshuffle',
      '# the (already batched) data every epoch, since the cache would otherwise replay the first order.',
      'train_ds = train_ds.cache().shuffle(1000, seed=SEED)',
    );
  }
  if (augLayers.length > 0) {
    lines.push(
      '',
      '# Augmentation (from the model file): random changes to the training images only, applied after any',
      '# cache so every epoch sees new variations. It is kept out of the model so the saved model is the same.',
      `augment = keras.Sequential([${augLayers.join(', ')}], name="augmentation")`,
      'train_ds = train_ds.map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)',
    );
  }
  lines.push('train_ds = train_ds.prefetch(tf.data.AUTOTUNE)', 'if val_ds is not None:', '    val_ds = val_ds.prefetch(tf.data.AUTOTUNE)');
  return { id: 'data', title: 'Data', explanation, code: lines.join('\n') };
}

/** `def build_model(): …` — Sequential for a chain, functional otherwise. */
export function kerasModelFunction(model: ModelFile): string {
  const order = topologicalOrder(model);
  const name = pyString(safeModelName(model.name));
  if (isChain(model)) {
    const items = order.map((n) => `            ${kerasLayerExpression(n)},`);
    return `def build_model():\n    return keras.Sequential(\n        [\n${items.join('\n')}\n        ],\n        name=${name},\n    )`;
  }
  const vars = uniqueIdentifiers(order.map((n) => n.id));
  const body: string[] = [];
  for (const n of order) {
    const v = vars.get(n.id)!;
    if (n.type === 'Input') {
      body.push(`${v} = ${kerasLayerExpression(n)}`);
      continue;
    }
    const ins = n.inputs.map((i) => vars.get(i)!);
    const arg = n.inputs.length > 1 ? `[${ins.join(', ')}]` : ins[0];
    body.push(`${v} = ${kerasLayerExpression(n)}(${arg})`);
  }
  const ins = inputNodes(model).map((n) => vars.get(n.id)!);
  const outs = outputNodes(model).map((n) => vars.get(n.id)!);
  const list = (xs: string[]): string => (xs.length === 1 ? xs[0]! : `[${xs.join(', ')}]`);
  body.push(`return keras.Model(inputs=${list(ins)}, outputs=${list(outs)}, name=${name})`);
  return `def build_model():\n${indent(body.join('\n'))}`;
}

function modelSection(model: ModelFile): CodeSection {
  const chain = isChain(model);
  return {
    id: 'model',
    title: 'Model',
    explanation: chain
      ? 'The layers form a single chain, so the model is a `keras.Sequential`. Layer names are the node ids in CNN Studio.'
      : 'The graph branches (or merges), so it is written with the Keras functional API: each layer is called on the output of the layers feeding it. Layer names are the node ids in CNN Studio.',
    code: kerasModelFunction(model),
  };
}

function compileSection(model: ModelFile, distributed: boolean): CodeSection {
  const c = model.compile;
  const act = outputActivation(model);
  const lines: string[] = [];
  if ((c.loss === 'sparseCategoricalCrossentropy' || c.loss === 'categoricalCrossentropy') && act !== 'softmax') {
    lines.push(pyComment(`Note: the last layer's activation is '${act ?? 'none'}', not softmax, while the loss expects probabilities. This is how the model file is set up; add a softmax (or pass from_logits=True) if the outputs are logits.`));
  }
  const compile = [
    'model = build_model()',
    'model.compile(',
    `    optimizer=keras.optimizers.${KERAS_OPTIMIZERS[c.optimizer]}(learning_rate=LEARNING_RATE),`,
    `    loss=keras.losses.${KERAS_LOSSES[c.loss]}(),`,
    `    metrics=[${c.metrics.map((m) => pyString(m)).join(', ')}],`,
    ')',
  ].join('\n');
  if (distributed) {
    lines.push('# Variables must be created inside the strategy\'s scope so each device gets its copy.', 'with strategy.scope():', indent(compile));
  } else {
    lines.push(compile);
  }
  lines.push('model.summary()');
  return {
    id: 'compile',
    title: 'Compile',
    explanation: `Optimizer ${KERAS_OPTIMIZERS[c.optimizer]} with learning rate ${c.learningRate}, loss ${KERAS_LOSSES[c.loss]}${c.metrics.length ? `, metrics ${c.metrics.join(', ')}` : ''}, as in the model file.`,
    code: lines.join('\n'),
  };
}

function fitSection(model: ModelFile): CodeSection {
  const t = model.training;
  const lines = ['callbacks = []'];
  const notes: string[] = [];
  const es = t.earlyStopping;
  if (es.enabled) {
    const monitor = es.monitor === 'valAccuracy' ? 'val_accuracy' : 'val_loss';
    lines.push(
      `# Stop when ${monitor} has not improved for ${es.patience} epochs${es.restoreBestWeights ? ' and go back to the best weights' : ''}.`,
      'if val_ds is not None:',
      `    callbacks.append(keras.callbacks.EarlyStopping(monitor=${pyString(monitor)}, patience=${pyNumber(es.patience)}, restore_best_weights=${es.restoreBestWeights ? 'True' : 'False'}))`,
    );
    notes.push(`early stopping on ${monitor}`);
  }
  const s = t.learningRateSchedule;
  if (s.kind === 'step') {
    lines.push(
      '',
      `# Step decay: the learning rate is multiplied by ${s.factor} every ${s.stepEpochs} epochs.`,
      'def step_decay(epoch, lr):',
      `    return LEARNING_RATE * ${pyFloat(s.factor)} ** (epoch // ${pyNumber(s.stepEpochs)})`,
      '',
      'callbacks.append(keras.callbacks.LearningRateScheduler(step_decay))',
    );
    notes.push('a step learning-rate schedule');
  } else if (s.kind === 'cosine') {
    lines.push(
      '',
      `# Cosine decay from LEARNING_RATE (first epoch) down to ${s.minLearningRate} (last epoch), updated once per epoch.`,
      'def cosine_decay(epoch, lr):',
      `    min_lr = ${pyFloat(s.minLearningRate)}`,
      '    progress = epoch / (EPOCHS - 1) if EPOCHS > 1 else 0.0',
      '    return min_lr + (LEARNING_RATE - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))',
      '',
      'callbacks.append(keras.callbacks.LearningRateScheduler(cosine_decay))',
    );
    notes.push('a cosine learning-rate schedule');
  } else if (s.kind === 'reduceOnPlateau') {
    lines.push(
      '',
      `# Multiply the learning rate by ${s.factor} when the validation loss stalls for ${s.patience} epochs.`,
      'callbacks.append(',
      `    keras.callbacks.ReduceLROnPlateau(monitor="val_loss" if val_ds is not None else "loss", factor=${pyFloat(s.factor)}, patience=${pyNumber(s.patience)}, min_lr=${pyFloat(s.minLearningRate)})`,
      ')',
    );
    notes.push('reduce-on-plateau');
  }
  lines.push('', 'history = model.fit(train_ds, validation_data=val_ds, epochs=EPOCHS, callbacks=callbacks)');
  return {
    id: 'fit',
    title: 'Train',
    explanation: `Train for ${t.epochs} epochs with batches of ${t.batchSize}${notes.length ? `, with ${notes.join(', ')}` : ''}.`,
    code: lines.join('\n'),
  };
}

function evaluateSection(model: ModelFile, distributed: boolean): CodeSection {
  const file = `${safeModelName(model.name)}.keras`;
  const lines = [
    'if val_ds is not None:',
    '    results = model.evaluate(val_ds, return_dict=True)',
    '    print("Validation:", {k: round(float(v), 4) for k, v in results.items()})',
    '',
  ];
  if (distributed) {
    lines.push(
      '# Every worker must take part in saving; only the chief keeps its copy.',
      `save_path = ${pyString(file)} if is_chief() else os.path.join(tempfile.mkdtemp(), ${pyString(file)})`,
      'model.save(save_path)',
      'if is_chief():',
      '    print("Saved", save_path)',
    );
  } else {
    lines.push(`model.save(${pyString(file)})`, `print("Saved", ${pyString(file)})`);
  }
  return {
    id: 'evaluate',
    title: 'Evaluate and save',
    explanation: `Loss and metrics on the validation data, then the trained model is saved as \`${file}\` (reload it with \`keras.models.load_model\`).`,
    code: lines.join('\n'),
  };
}

/** The script as sections (the notebook makes one cell of each). */
export function kerasSections(model: ModelFile, options: CodegenOptions = {}): CodeSection[] {
  const distributed = options.distributed ?? true;
  const sections = [headerSection(model, options, distributed), importsSection(model, options, distributed), settingsSection(model, options)];
  if (distributed) sections.push(distributionSection());
  sections.push(
    dataSection(model, options, distributed ? 'GLOBAL_BATCH_SIZE' : 'BATCH_SIZE'),
    modelSection(model),
    compileSection(model, distributed),
    fitSection(model),
    evaluateSection(model, distributed),
  );
  return sections;
}

/** A runnable Keras script for the model file. */
export function generateKerasScript(model: ModelFile, options: CodegenOptions = {}): string {
  return joinSections(kerasSections(model, options));
}
