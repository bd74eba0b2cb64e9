/**
 * A run's settings flattened to display strings, so two runs can be compared key by key ("batch size":
 * "32" vs "64"). Built from the run's `config.json` (the resolved training configuration) and its model
 * snapshot for the architecture. Read leniently: a field a run lacks is left out, not an error. Pure.
 */
import type { ModelFile } from '../../core/format';
import type { ResolvedConfig } from '../../protocol/engine';
import type { RunSettings } from '../../protocol/dashboard';

function describeSchedule(s: ResolvedConfig['learningRateSchedule']): string {
  switch (s.kind) {
    case 'constant':
      return 'constant';
    case 'step':
      return `step ×${s.factor} every ${s.stepEpochs} epochs`;
    case 'cosine':
      return `cosine to ${s.minLearningRate}`;
    case 'reduceOnPlateau':
      return `reduce ×${s.factor} on plateau (patience ${s.patience})`;
  }
}

/** `Conv2D(8,5) → MaxPooling2D → Flatten → Dense(3)`: the architecture in one comparable line. */
export function describeLayers(m: ModelFile): string {
  return m.nodes
    .filter((n) => n.type !== 'Input')
    .map((n) => {
      const p = n.params;
      const main = p['filters'] ?? p['units'] ?? p['rate'];
      const k = p['kernelSize'];
      const args = [main, Array.isArray(k) ? k[0] : k].filter((v) => typeof v === 'number' || typeof v === 'string');
      return args.length ? `${n.type}(${args.join(',')})` : n.type;
    })
    .join(' → ');
}

export function runSettingsFrom(config: Partial<ResolvedConfig>, model: ModelFile | null, backend?: string): RunSettings {
  const out: Record<string, string> = {};
  const put = (key: string, v: unknown): void => {
    if (v !== undefined && v !== null) out[key] = String(v);
  };
  put('optimizer', config.optimizer);
  put('learning rate', config.learningRate);
  put('loss', config.loss);
  put('epochs', config.epochs);
  put('batch size', config.batchSize);
  put('validation split', config.validationSplit);
  put('seed', config.seed);
  if (config.learningRateSchedule) put('lr schedule', describeSchedule(config.learningRateSchedule));
  if (config.earlyStopping) put('early stopping', config.earlyStopping.enabled ? `${config.earlyStopping.monitor}, patience ${config.earlyStopping.patience}` : 'off');
  if (config.augmentation) {
    const a = config.augmentation;
    const parts = [a.horizontalFlip ? 'flip' : '', a.translate ? `shift ${a.translate}` : '', a.brightness ? `brightness ${a.brightness}` : ''].filter(Boolean);
    put('augmentation', parts.length ? parts.join(', ') : 'off');
  }
  put('data', config.dataPath);
  if (config.inputShape) put('input', config.inputShape.join('×'));
  if (model) put('layers', describeLayers(model));
  put('backend', backend ?? config.backend);
  return out;
}
