/**
 * Resolves a run's training configuration (`config.json`, typed `ResolvedConfig` in the protocol beside
 * `RunRecord`): the model file's compile and training settings with the run's overrides applied.
 */
import type { CompileSettings, ModelFile } from '../../core/format';
import { inputShapeOf } from '../../core/modelFacts';
import type { ResolvedConfig, TrainingOverrides } from '../../protocol/engine';
import type { ImageShape } from '../data/dataset';
import { EngineUserError } from '../data/errors';

/** A setting that cannot work; the message names the fix. */
export class ConfigError extends EngineUserError {
  constructor(message: string) {
    super('bad-model', message);
  }
}

function positiveInt(value: number, what: string, fix: string): number {
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${what} must be a whole number ≥ 1, got ${value}. ${fix}`);
  return value;
}

export function resolveSettings(model: ModelFile, overrides: TrainingOverrides): Pick<ResolvedConfig, 'epochs' | 'batchSize' | 'validationSplit' | 'shuffle' | 'seed' | 'optimizer' | 'learningRate' | 'loss' | 'earlyStopping' | 'learningRateSchedule' | 'augmentation' | 'backend'> {
  const t = model.training;
  const c: CompileSettings = model.compile;
  const validationSplit = overrides.validationSplit ?? t.validationSplit;
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new ConfigError(`validationSplit must be at least 0 and below 1, got ${validationSplit}. Use e.g. 0.2 to hold out 20% for validation.`);
  }
  const learningRate = overrides.learningRate ?? c.learningRate;
  if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new ConfigError(`The learning rate must be above 0, got ${learningRate}. Try 0.001.`);
  return {
    epochs: positiveInt(overrides.epochs ?? t.epochs, 'epochs', 'Set training.epochs or pass --epochs N.'),
    batchSize: positiveInt(overrides.batchSize ?? t.batchSize, 'The batch size', 'Set training.batchSize or pass --batch-size B.'),
    validationSplit,
    shuffle: t.shuffle,
    seed: overrides.seed ?? t.seed,
    optimizer: c.optimizer,
    learningRate,
    loss: c.loss,
    earlyStopping: t.earlyStopping,
    learningRateSchedule: t.learningRateSchedule,
    augmentation: t.augmentation,
    backend: overrides.backend ?? 'auto',
  };
}

type TrainingSettings = ReturnType<typeof resolveSettings>;

/** The settings a continued run cannot change, with the CLI flag and the words that name each. */
const KEPT_ON_CONTINUE = [
  { key: 'batchSize', flag: '--batch-size', what: 'batch size' },
  { key: 'learningRate', flag: '--learning-rate', what: 'learning rate' },
  { key: 'seed', flag: '--seed', what: 'seed (which also fixes its validation split)' },
  { key: 'validationSplit', flag: '--validation-split', what: 'validation split' },
] as const;

/**
 * The settings of a run being continued: exactly those it started with (so its epochs stay comparable
 * and no training image moves into validation), trained up to `epochs`. An override that would change
 * one is refused, naming the flag and the two ways on; the backend may change (it is not a setting of
 * the result). Refusing was chosen over recording a "new segment": a run whose halves differ in
 * learning rate or split cannot be compared with others or evaluated honestly.
 */
export function resolveContinuedSettings(prior: ResolvedConfig, overrides: TrainingOverrides, epochs: number): TrainingSettings {
  const changed = KEPT_ON_CONTINUE.filter(({ key }) => overrides[key] !== undefined && overrides[key] !== prior[key]);
  if (changed.length > 0) {
    const lines = changed.map(({ key, flag, what }) => `  - ${flag} ${overrides[key]} would change its ${what} from ${prior[key]}.`);
    const flags = changed.map((c) => c.flag).join(', ');
    throw new ConfigError(
      `A continued run keeps the settings it started with:\n${lines.join('\n')}\n` +
        `Drop ${flags} to continue the run as it was, or train the model again without --continue to start a new run with the new settings.`,
    );
  }
  return {
    epochs,
    batchSize: prior.batchSize,
    validationSplit: prior.validationSplit,
    shuffle: prior.shuffle,
    seed: prior.seed,
    optimizer: prior.optimizer,
    learningRate: prior.learningRate,
    loss: prior.loss,
    earlyStopping: prior.earlyStopping,
    learningRateSchedule: prior.learningRateSchedule,
    augmentation: prior.augmentation,
    backend: overrides.backend ?? prior.backend,
  };
}

/** The Input node's `[h, w, c]` (the catalogue's default when the param is left out). */
export function modelInputShape(model: ModelFile): ImageShape {
  const inputs = model.nodes.filter((n) => n.type === 'Input');
  if (inputs.length !== 1) {
    throw new ConfigError(`The model has ${inputs.length} Input layers; training needs exactly one image input. ${inputs.length === 0 ? 'Add an Input layer.' : 'Remove the extra Input layers.'}`);
  }
  const shape = inputShapeOf(inputs[0]!);
  if (shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ConfigError(`The Input layer's shape is [${shape.join(', ')}]; image training needs [height, width, channels], e.g. [28, 28, 1].`);
  }
  return [shape[0]!, shape[1]!, shape[2]!];
}

