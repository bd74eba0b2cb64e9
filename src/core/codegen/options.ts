/**
 * What the code generators share: their options, the sections a script is made of (the notebook turns
 * each into a cell), and the dataset a script loads when the model file names none.
 */
import type { DatasetReference, ModelFile } from '../format';
import { inputImageFormat } from '../modelFacts';
import { analyzeModel } from '../shapeInference';

export interface CodegenOptions {
  /**
   * The dataset path as the script should write it (e.g. relative to where the script is saved). When
   * absent, the model file's `dataset.path` is written as is (it is relative to the model file's folder).
   */
  datasetPath?: string;
  validationPath?: string;
  /** File name (without folder) the script mentions in its "how to run" line. */
  scriptName?: string;
  /** Keras only: pick a `tf.distribute` strategy (several GPUs / TF_CONFIG). Default true; notebooks pass false. */
  distributed?: boolean;
}

export type SectionId = 'header' | 'imports' | 'settings' | 'helpers' | 'distribution' | 'data' | 'model' | 'compile' | 'fit' | 'evaluate';

/** A piece of a generated script: the notebook shows `explanation` as a markdown cell before `code`. */
export interface CodeSection {
  id: SectionId;
  title: string;
  /** Markdown: why the code is the way it is. */
  explanation: string;
  code: string;
}

export function joinSections(sections: readonly CodeSection[]): string {
  const parts: string[] = [];
  for (const s of sections) {
    if (s.id === 'header' || s.id === 'imports') parts.push(s.code.trimEnd());
    else parts.push(`# ---- ${s.title} ${'-'.repeat(Math.max(3, 92 - s.title.length))}\n${s.code.trimEnd()}`);
  }
  // Inside a function one blank line is enough (optional pieces can leave two in a row).
  return parts.join('\n\n\n').replace(/\n{3,}(?=[ \t]+\S)/g, '\n\n') + '\n';
}

/** The model's dataset, or a placeholder image folder sized from the Input layer when the file names none. */
export function effectiveDataset(model: ModelFile, options: CodegenOptions): { dataset: DatasetReference; placeholder: boolean } {
  const given = model.dataset;
  if (given) {
    return {
      dataset: {
        ...given,
        path: options.datasetPath ?? given.path,
        ...(options.validationPath ?? given.validationPath ? { validationPath: options.validationPath ?? given.validationPath } : {}),
      },
      placeholder: false,
    };
  }
  return {
    dataset: { kind: 'imageFolder', path: options.datasetPath ?? 'data', ...inputImageFormat(model) },
    placeholder: true,
  };
}

/** A Keras-safe model name: letters, digits and underscores. */
export function safeModelName(name: string): string {
  const s = name.trim().replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return s === '' ? 'cnn' : /^[0-9]/.test(s) ? `cnn_${s}` : s;
}

/** The model's parameter count in words, computed from the model as exported (a stored description may be stale). */
export function paramCountText(model: ModelFile): string {
  const n = analyzeModel(model).totals.params;
  return `${n.toLocaleString('en-US')} parameter${n === 1 ? '' : 's'}`;
}
