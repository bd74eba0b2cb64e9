/**
 * `cnn-studio import <file> [--out model.cnn.json]`: a Keras JSON (`model.to_json()`, Keras 1 to 3) or a
 * TF.js `model.json` becomes a CNN Studio model file. Layers CNN Studio cannot represent stop the import,
 * listed, unless `--bridge` replaces them by pass-throughs. The report is one grouped summary (problems
 * first, with our parameter count against the file's); `--details` adds every note, `--json` prints the
 * outcome as JSON for VS Code. A TF.js model.json's weights, when its weight files are next to it, come
 * along as a run; so do the weights inside a Keras `.h5` or `.keras` file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { importKerasText, type KerasImportResult, UnsupportedLayersError } from '../../core/import/kerasImport';
import { formatImportNotes, formatImportSummary, type ImportSummary, summarizeImport } from '../../core/import/importReport';
import { serializeModel } from '../../core/loader';
import { checkModel } from '../../core/checkModel';
import { isUserFacing } from '../../core/userFacingError';
import { getTf, initBackend } from '../../engine/backend/selectBackend';
import { importedWeightFiles, runFromImportedWeights } from '../../engine/export/importedRun';
import { defaultImportPath } from '../../engine/export/importPath';
import { runFromKerasWeights } from '../../engine/import/kerasWeightsRun';
import { isKerasContainerPath, readKerasContainer } from '../../engine/import/readKerasFile';
import { stockTfjsParamCount } from '../../engine/export/stockParamCount';
import type { ImportedWeights, ImportOutcome } from '../../protocol/importOutcome';
import { CliError, type CliIo, flagBool, flagString, requirePositional, type CliCommand } from '../command';
import { writeOutputFile } from '../modelFileIo';

const USAGE = 'import <model.keras|model.h5|keras.json|model.json> [--out model.cnn.json] [--name NAME] [--bridge] [--no-weights] [--details] [--json] [--force]';

/** Our count against the file's: its weights manifest, else what stock tfjs builds from it. */
async function summaryOf(result: KerasImportResult): Promise<ImportSummary> {
  // The checks `validate` runs, so a problem it would report is in the summary.
  const { analysis, diagnostics } = checkModel(result.model, []);
  const validationErrors = diagnostics.filter((d) => d.severity === 'error').map((d) => (d.nodeId ? `[${d.nodeId}] ${d.message}` : d.message));
  let fileParams = null;
  if (result.fileParams === null) {
    await initBackend('cpu');
    const count = await stockTfjsParamCount(getTf(), result.topology);
    fileParams = count === null ? null : { count, from: 'stock tfjs rebuild' as const };
  }
  return summarizeImport(result, { params: analysis?.totals.params ?? 0, validationErrors, fileParams });
}

function printOutcome(io: CliIo, outcome: ImportOutcome): void {
  io.stdout(`${JSON.stringify(outcome, null, 2)}\n`);
}

export const importCommand: CliCommand = {
  name: 'import',
  usage: USAGE,
  description: 'Import a Keras JSON or TF.js model.json as a .cnn.json model (and its weights as a run).',
  async run(args, io) {
    const file = requirePositional(args, 0, 'Keras JSON or TF.js model.json file', USAGE);
    const json = flagBool(args, 'json');
    try {
      if (!existsSync(file)) throw new CliError(`'${file}' does not exist. Pass the JSON written by Keras' model.to_json() or a TF.js model.json.`);
      const out = flagString(args, 'out') ?? defaultImportPath(file);
      if (existsSync(out) && !flagBool(args, 'force')) throw new CliError(`'${out}' already exists. Pass --force to replace it, or --out another path.`);
      const container = isKerasContainerPath(file) ? readKerasContainer(file) : null;
      // Keras ≤ 2.2 Sequentials have no name: the file's name stands in.
      const fallbackName = basename(defaultImportPath(file)).replace(/\.cnn\.json$/, '');
      const result = importKerasText(container ? container.documentText : readFileSync(file, 'utf8'), flagString(args, 'name'), { bridge: flagBool(args, 'bridge'), fallbackName });
      const withWeights = (result.weightsManifest !== null || container !== null) && !args.flags.has('no-weights');
      // A weight path outside the model.json's folder refuses the whole import before anything is written.
      if (withWeights) importedWeightFiles(resolve(file), result.weightsManifest ?? []);
      const summary = await summaryOf(result);
      writeOutputFile(out, serializeModel(result.model));
      if (!json) {
        io.stdout(`${formatImportSummary(summary)}\n`);
        if (flagBool(args, 'details')) io.stdout(`Details:\n${formatImportNotes(result)}\n`);
        io.stdout(`Wrote ${out}.\n`);
      }
      let weights: ImportedWeights | null = null;
      if (withWeights) {
        await initBackend('cpu');
        const outcome = container
          ? await runFromKerasWeights(getTf(), result.model, container.weights, resolve(file), dirname(resolve(out)), result.kerasPaths)
          : await runFromImportedWeights(getTf(), result.model, resolve(file), result.weightsManifest ?? [], dirname(resolve(out)), result.layerIds);
        weights = outcome.kind === 'run' ? { kind: 'run', runDir: outcome.runDir, tensors: outcome.weights } : outcome;
        if (!json) io.stdout(weights.kind === 'run' ? `Weights: ${weights.tensors} tensors saved as the run ${weights.runDir}\n` : `Weights: not imported: ${weights.reason}.\n`);
      }
      if (json) printOutcome(io, { ok: true, out, summary, weights });
      return 0;
    } catch (err) {
      // The CLI's own error line goes to stderr as for any command; --json also says it on stdout.
      if (json && isUserFacing(err)) printOutcome(io, { ok: false, message: err.message, unsupported: err instanceof UnsupportedLayersError ? { layers: [...err.layers], totalLayers: err.totalLayers } : null });
      throw err;
    }
  },
};
