/**
 * The compile settings of an imported model. Taken from the file when it has them: Keras 2's and TF.js'
 * `training_config` (`loss`, `optimizer_config`, `metrics`), Keras 3's `compile_config` (`loss`,
 * `optimizer` as a serialized object, `metrics`). The loss must fit the model's output, or `validate`
 * fails straight after a correct import: when the file has none (or one that does not fit, such as a
 * cross-entropy `from_logits`), it is chosen from the output: softmax → sparse categorical cross-entropy,
 * sigmoid → binary cross-entropy, anything else (linear logits, LeakyReLU, an image a decoder writes) →
 * mean squared error.
 */
import { type CompileSettings, DEFAULT_COMPILE, type LossName, type ModelFile, OPTIMIZERS as SCHEMA_OPTIMIZERS } from '../format';
import { analyzeModel } from '../shapeInference';
import type { ImportSeverity } from './importNotes';
import { isObj, type Json, type Obj } from './kerasDocument';

type Note = (severity: ImportSeverity, message: string, kind?: string) => void;

const OPTIMIZERS: ReadonlyMap<string, CompileSettings['optimizer']> = new Map(SCHEMA_OPTIMIZERS.map((o) => [o, o]));
const LOSSES: ReadonlyMap<string, LossName> = new Map([
  ['sparsecategoricalcrossentropy', 'sparseCategoricalCrossentropy'],
  ['categoricalcrossentropy', 'categoricalCrossentropy'],
  ['binarycrossentropy', 'binaryCrossentropy'],
  ['meansquarederror', 'meanSquaredError'],
  ['mse', 'meanSquaredError'],
]);

/** The losses tried for an output, in order; mean squared error fits any output. */
const OUTPUT_LOSSES: readonly LossName[] = ['sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError'];

function classNameOf(v: Obj): string {
  const c = v['class_name'] ?? v['className'];
  return typeof c === 'string' ? c : '';
}

/** `training_config` / `trainingConfig` / `compile_config`, at the top or in a TF.js `modelTopology`. */
function trainingConfigOf(json: Json): Obj | null {
  if (!isObj(json)) return null;
  const topo = isObj(json['modelTopology']) ? json['modelTopology'] : {};
  for (const holder of [json, topo]) {
    for (const key of ['training_config', 'trainingConfig', 'compile_config']) {
      const v = holder[key];
      if (isObj(v)) return v;
    }
  }
  return null;
}

/** Every error `validate` would give about the output with this loss. */
function lossMisfits(model: ModelFile, loss: LossName): string[] {
  const probe: ModelFile = { ...model, compile: { ...model.compile, loss } };
  return analyzeModel(probe)
    .diagnostics.filter((d) => d.severity === 'error' && (d.code === 'softmax-loss-mismatch' || d.code === 'rank-mismatch'))
    .map((d) => d.message);
}

function lossFromOutput(model: ModelFile): LossName {
  return OUTPUT_LOSSES.find((l) => lossMisfits(model, l).length === 0) ?? 'meanSquaredError';
}

/** The loss the file names, its `from_logits`, or null when it names none. */
function fileLoss(tc: Obj): { name: string; fromLogits: boolean } | null {
  let v = tc['loss'];
  // A per-output dict ({"probs": "categorical_crossentropy"}) or list: CNN Studio trains one output.
  if (Array.isArray(v)) v = v[0];
  else if (isObj(v) && !classNameOf(v)) v = Object.values(v)[0];
  if (typeof v === 'string') return { name: v, fromLogits: false };
  if (isObj(v)) {
    const cfg = isObj(v['config']) ? v['config'] : {};
    return { name: classNameOf(v), fromLogits: cfg['from_logits'] === true };
  }
  return null;
}

function optimizerOf(note: Note, tc: Obj, compile: CompileSettings): void {
  // Keras 2 and TF.js: optimizer_config {class_name, config}; Keras 3: optimizer, a serialized object or a name.
  const opt = tc['optimizer_config'] ?? tc['optimizerConfig'] ?? tc['optimizer'];
  const name = typeof opt === 'string' ? opt : isObj(opt) ? classNameOf(opt) : '';
  if (!name) return;
  const optimizer = OPTIMIZERS.get(name.toLowerCase());
  if (optimizer) compile.optimizer = optimizer;
  else note('warning', `Optimizer '${name}' is not supported; adam is used.`);
  const cfg = isObj(opt) && isObj(opt['config']) ? opt['config'] : {};
  const lr = cfg['learning_rate'] ?? cfg['learningRate'] ?? cfg['lr'];
  if (typeof lr === 'number' && lr > 0) compile.learningRate = lr;
}

/** Compile settings for `model` (its layers already imported) from the file `json`, with notes. */
export function compileFor(note: Note, json: Json, model: ModelFile): CompileSettings {
  const compile: CompileSettings = structuredClone(DEFAULT_COMPILE);
  const withLoss = (loss: LossName): ModelFile => ({ ...model, compile: { ...compile, loss } });
  const tc = trainingConfigOf(json);
  const named = tc ? fileLoss(tc) : null;
  if (tc) {
    optimizerOf(note, tc, compile);
    const metrics = tc['metrics'];
    const list = Array.isArray(metrics) ? metrics.flat() : isObj(metrics) ? Object.values(metrics).flat() : [];
    compile.metrics = list.some((m) => typeof m === 'string' && /^(acc|accuracy|sparse_categorical_accuracy|categorical_accuracy)$/i.test(m)) ? ['accuracy'] : [];
  }
  const known = named ? LOSSES.get(named.name.replace(/_/g, '').toLowerCase()) : undefined;
  const chosen = lossFromOutput(withLoss(compile.loss));
  if (named && !known) {
    compile.loss = chosen;
    note('warning', `Loss '${named.name}' is not supported; ${chosen}, which fits the model's output, is used.`, 'loss');
  } else if (named && known && named.fromLogits) {
    compile.loss = chosen;
    note('warning', `The file's loss ${named.name} works on logits (from_logits=True); CNN Studio's cross-entropy expects probabilities, so ${chosen}, which fits the output as it is, is used. To train it as a classifier, set the output activation to softmax and the loss to sparseCategoricalCrossentropy.`, 'loss');
  } else if (named && known) {
    const misfits = lossMisfits(withLoss(known), known);
    if (misfits.length === 0) compile.loss = known;
    else {
      compile.loss = chosen;
      note('warning', `The file's loss ${named.name} does not fit the model's output (${misfits[0]}); ${chosen} is used.`, 'loss');
    }
  } else {
    compile.loss = chosen;
    note('info', `The file has no ${tc ? 'loss' : 'training configuration'}: the loss is ${chosen}, chosen from the model's output; the optimizer is ${compile.optimizer} (learning rate ${compile.learningRate}).`, 'loss');
  }
  return compile;
}
