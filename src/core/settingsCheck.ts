/**
 * Checks a settings edit against the model schema's rules for its section when the edit is made: a
 * learning rate of 0, an unknown optimizer or an incomplete `earlyStopping` group is refused with the
 * loader's wording, instead of being written to the file and reported on the next parse. The rules are
 * not restated here: the merged settings go through the settings sections of the same schema
 * (`buildSettingsSchema`, compiled ahead of time).
 */
import { DEFAULT_COMPILE, DEFAULT_TRAINING, type ModelFile } from './format';
import type { SettingsEdit } from './modelEdit';
import { schemaMessage } from './schemaMessages';
import { validate as validateSettings } from './generated/settingsSchemaValidator';

export type ModelSettings = Pick<ModelFile, 'compile' | 'training' | 'dataset'>;

const DEFAULT_SETTINGS: ModelSettings = { compile: DEFAULT_COMPILE, training: DEFAULT_TRAINING };

/** The settings after `edit`: the given fields over `base`'s (the dataset replaced or removed whole). */
export function mergeSettings(base: ModelSettings, edit: SettingsEdit): ModelSettings {
  const { compile, training, dataset } = base;
  switch (edit.kind) {
    case 'setCompileSettings':
      return { compile: { ...compile, ...structuredClone(edit.settings) }, training, ...(dataset ? { dataset } : {}) };
    case 'setTrainingSettings':
      return { compile, training: { ...training, ...structuredClone(edit.settings) }, ...(dataset ? { dataset } : {}) };
    case 'setDataset':
      return { compile, training, ...(edit.dataset === null ? {} : { dataset: structuredClone(edit.dataset) }) };
  }
}

/**
 * Why `edit` cannot be applied over `base` (default settings when not given: the shape and value
 * rules do not depend on the model), or `null` when it can.
 */
export function settingsEditProblem(edit: SettingsEdit, base: ModelSettings = DEFAULT_SETTINGS): string | null {
  const merged = mergeSettings(base, edit);
  if (validateSettings(merged)) return null;
  // "must match then" only says a nested rule failed; the nested error says which.
  const first = (validateSettings.errors ?? []).find((e) => e.keyword !== 'if');
  return first ? schemaMessage(first, merged) : 'the settings do not follow the model format.';
}
