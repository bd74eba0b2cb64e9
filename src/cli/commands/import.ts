/**
 * `cnn-studio import <file> [--out model.cnn.json]`: a Keras JSON (`model.to_json()`, Keras 2 or 3) or a
 * TF.js `model.json` becomes a CNN Studio model file; the report says what was changed or dropped.
 * A TF.js model.json's weights, when its weight files are next to it, come along as a run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultImportPath } from '../../engine/export/importPath';
import { formatImportReport, importKerasText } from '../../core/import/kerasImport';
import { serializeModel } from '../../core/loader';
import { analyzeModel } from '../../core/shapeInference';
import { getTf, initBackend } from '../../engine/backend/selectBackend';
import { importedWeightFiles, runFromImportedWeights } from '../../engine/export/importedRun';
import { CliError, flagBool, flagString, requirePositional, type CliCommand } from '../command';
import { formatDiagnostic, writeOutputFile } from '../modelFileIo';

const USAGE = 'import <keras.json|model.json> [--out model.cnn.json] [--name NAME] [--no-weights] [--force]';

export const importCommand: CliCommand = {
  name: 'import',
  usage: USAGE,
  description: 'Import a Keras JSON or TF.js model.json as a .cnn.json model (and its weights as a run).',
  async run(args, io) {
    const file = requirePositional(args, 0, 'Keras JSON or TF.js model.json file', USAGE);
    if (!existsSync(file)) throw new CliError(`'${file}' does not exist. Pass the JSON written by Keras' model.to_json() or a TF.js model.json.`);
    const out = flagString(args, 'out') ?? defaultImportPath(file);
    if (existsSync(out) && !flagBool(args, 'force')) throw new CliError(`'${out}' already exists. Pass --force to replace it, or --out another path.`);
    const result = importKerasText(readFileSync(file, 'utf8'), flagString(args, 'name'));
    const withWeights = result.weightsManifest !== null && !args.flags.has('no-weights');
    // A weight path outside the model.json's folder refuses the whole import before anything is written.
    if (withWeights) importedWeightFiles(resolve(file), result.weightsManifest ?? []);
    writeOutputFile(out, serializeModel(result.model));
    io.stdout(`${formatImportReport(result)}\n`);
    const analysis = analyzeModel(result.model);
    const problems = analysis.diagnostics.filter((d) => d.severity === 'error');
    for (const d of problems) io.stderr(formatDiagnostic(out, d) + '\n');
    io.stdout(`Wrote ${out}: ${result.model.nodes.length} layers, ${analysis.totals.params.toLocaleString('en-US')} parameters${problems.length ? `, ${problems.length} problem(s) to fix in the designer` : ''}.\n`);

    if (withWeights && result.weightsManifest) {
      await initBackend('cpu');
      const outcome = await runFromImportedWeights(getTf(), result.model, resolve(file), result.weightsManifest, dirname(resolve(out)), result.layerIds);
      if (outcome.kind === 'run') io.stdout(`Weights: ${outcome.weights} tensors saved as the run ${outcome.runDir}\n`);
      else io.stdout(`Weights: not imported: ${outcome.reason}.\n`);
    }
    return 0;
  },
};
