/**
 * `cnn-studio export <model|runDir> --to keras|pytorch|tfjs|onnx|keras-json|notebook [--out PATH]`: code
 * and model files for other tools. Code formats work from a model file or a run (its snapshot); TF.js
 * and ONNX need a run, since they carry trained weights.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type CodeExportFormat, codegenOptionsFor, defaultExportPath, EXPORT_FORMATS, type ExportFormat, exportText, needsWeights, type WeightsExportFormat } from '../../engine/export/exportFormats';
import { exportRunToOnnx } from '../../engine/export/onnxExport';
import type { ModelFile } from '../../core/format';
import { getTf, initBackend } from '../../engine/backend/selectBackend';
import { type CheckpointChoice, exportRunToTfjs, isRunFolder, readRunSnapshot, tfjsOutputFolder } from '../../engine/export/tfjsExport';
import { RUN_FILES } from '../../engine/runs/runStore';
import { CliError, flagString, requirePositional, type CliCommand } from '../command';
import { countText, formatDiagnostic, readModelFile, writeOutputFile } from '../modelFileIo';

const USAGE = 'export <model.cnn.json|runDir> --to keras|pytorch|tfjs|onnx|keras-json|notebook [--out PATH] [--checkpoint best|last]';
/** The folder a model's relative dataset path is relative to: the model file's, or for a run the trained model file's. */
function datasetBase(source: string, isRun: boolean): string {
  if (!isRun) return dirname(resolve(source));
  try {
    const config = JSON.parse(readFileSync(join(source, RUN_FILES.config), 'utf8')) as { modelPath?: string };
    if (typeof config.modelPath === 'string') return dirname(config.modelPath);
  } catch {
    // no config.json: fall back to the run folder
  }
  return resolve(source);
}

const WEIGHTS_FORMAT_NAMES: Record<WeightsExportFormat, string> = { tfjs: 'A TF.js model', onnx: 'An ONNX model' };

function parseFormat(value: string | undefined): ExportFormat {
  if (value === undefined) throw new CliError(`Say which format with --to ${EXPORT_FORMATS.join('|')}. Usage: cnn-studio ${USAGE}`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(value)) throw new CliError(`--to must be one of ${EXPORT_FORMATS.join(', ')}; got '${value}'.`);
  return value as ExportFormat;
}

export const exportCommand: CliCommand = {
  name: 'export',
  usage: USAGE,
  description: 'Export as a Keras or PyTorch script, a notebook, Keras JSON, or (from a run) a TF.js or ONNX model.',
  async run(args, io) {
    const source = requirePositional(args, 0, 'model file or run folder', USAGE);
    const format = parseFormat(flagString(args, 'to'));
    const checkpoint = flagString(args, 'checkpoint');
    if (checkpoint !== undefined && checkpoint !== 'best' && checkpoint !== 'last') throw new CliError(`--checkpoint must be best or last; got '${checkpoint}'.`);
    const isRun = isRunFolder(source);
    if (!isRun && !existsSync(source)) throw new CliError(`'${source}' does not exist. Pass a .cnn.json model file or a run folder (.cnn-studio/runs/<model>/<run-id>/).`);

    if (needsWeights(format)) {
      if (!isRun) {
        throw new CliError(`${WEIGHTS_FORMAT_NAMES[format]} needs trained weights, and '${source}' is a model file: train it first (cnn-studio train ${source}), or pass a run folder (.cnn-studio/runs/<model>/<run-id>/).`);
      }
      const name = readRunSnapshot(source).name;
      await initBackend('cpu');
      if (format === 'onnx') {
        const result = exportRunToOnnx(getTf(), source, flagString(args, 'out') ?? defaultExportPath('onnx', name), checkpoint as CheckpointChoice | undefined);
        io.stdout(`Wrote ${result.path} (${(result.bytes / 1024).toFixed(1)} KB, ONNX opset 13, the run's ${result.checkpoint} weights).\n`);
        io.stdout(`${result.inputText[0]!.toUpperCase()}${result.inputText.slice(1)} Run it with ONNX Runtime, or import it into MATLAB (importNetworkFromONNX) or Sony NNC.\n`);
        return 0;
      }
      const out = tfjsOutputFolder(flagString(args, 'out') ?? defaultExportPath('tfjs', name));
      const result = await exportRunToTfjs(getTf(), source, out, checkpoint as CheckpointChoice | undefined);
      io.stdout(`Wrote ${result.modelJsonPath} and ${result.weightsPath} (${(result.weightBytes / 1024).toFixed(1)} KB, the run's ${result.checkpoint} weights).\n`);
      io.stdout(`Load it with: await tf.loadLayersModel('path/to/model.json')\n`);
      return 0;
    }

    let model: ModelFile;
    if (isRun) {
      model = readRunSnapshot(source);
    } else {
      const loaded = readModelFile(source);
      if (!loaded.model) {
        for (const d of loaded.diagnostics) io.stderr(formatDiagnostic(source, d) + '\n');
        io.stderr(`${source}: cannot export: ${countText(loaded.diagnostics)}. Fix the file first ('cnn-studio validate ${source}').\n`);
        return 1;
      }
      model = loaded.model;
    }
    const out = flagString(args, 'out') ?? defaultExportPath(format, model.name);
    const text = exportText(format, model, codegenOptionsFor(model, datasetBase(source, isRun), out));
    writeOutputFile(out, text);
    const how: Record<CodeExportFormat, string> = {
      keras: `Run it with: python3 ${out}`,
      pytorch: `Run it with: python3 ${out}   (or torchrun --nproc_per_node 2 ${out})`,
      notebook: 'Open it in VS Code or Jupyter.',
      'keras-json': 'Load it with: tf.keras.models.model_from_json(open(path).read())',
    };
    io.stdout(`Wrote ${out}. ${how[format]}\n`);
    return 0;
  },
};
