/**
 * The export formats and how an export is produced from a model file: shared by the CLI's `export`
 * command and VS Code's "CNN Studio: Export…". Lives beside the engine's exporters (not in core) because it
 * works with file paths; it loads no tfjs, so the extension host may import it.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ModelFile } from '../../core/format';
import { generateKerasScript } from '../../core/codegen/keras';
import { generateKerasJsonText } from '../../core/codegen/kerasJson';
import { generateNotebookText } from '../../core/codegen/notebook';
import { type CodegenOptions, safeModelName } from '../../core/codegen/options';
import { generatePytorchScript } from '../../core/codegen/pytorch';

export const EXPORT_FORMATS = ['keras', 'pytorch', 'tfjs', 'onnx', 'keras-json', 'notebook'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Formats that carry trained weights, so they are written from a run (by the engine, with tfjs). */
export type WeightsExportFormat = Extract<ExportFormat, 'tfjs' | 'onnx'>;
export type CodeExportFormat = Exclude<ExportFormat, WeightsExportFormat>;

export function needsWeights(format: ExportFormat): format is WeightsExportFormat {
  return format === 'tfjs' || format === 'onnx';
}

/** Where an export goes when `--out` is not given (in the current folder). */
export function defaultExportPath(format: ExportFormat, modelName: string): string {
  const base = safeModelName(modelName);
  switch (format) {
    case 'keras':
      return `${base}_keras.py`;
    case 'pytorch':
      return `${base}_pytorch.py`;
    case 'notebook':
      return `${base}.ipynb`;
    case 'keras-json':
      return `${base}.keras.json`;
    case 'tfjs':
      return `${base}_tfjs`;
    case 'onnx':
      return `${base}.onnx`;
  }
}

/** Code generators write the dataset path relative to where the script is saved, so it runs from there. */
export function codegenOptionsFor(model: ModelFile, modelBase: string, outPath: string): CodegenOptions {
  const options: CodegenOptions = { scriptName: outPath.split(/[\\/]/).pop() };
  const rebase = (p: string): string => (isAbsolute(p) ? p : relative(dirname(resolve(outPath)), resolve(modelBase, p)) || '.');
  if (model.dataset) {
    options.datasetPath = rebase(model.dataset.path);
    if (model.dataset.validationPath) options.validationPath = rebase(model.dataset.validationPath);
  }
  return options;
}

/** The text of a code/model-file export. */
export function exportText(format: CodeExportFormat, model: ModelFile, options: CodegenOptions): string {
  switch (format) {
    case 'keras':
      return generateKerasScript(model, options);
    case 'pytorch':
      return generatePytorchScript(model, options);
    case 'notebook':
      return generateNotebookText(model, options);
    case 'keras-json':
      return generateKerasJsonText(model);
  }
}
