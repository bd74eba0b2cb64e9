/**
 * `cnn-studio validate <file> [--json] [--classes N]`: checks a model file like a compiler: one line per
 * problem, exit code 1 when there is an error (so CI can gate on it).
 */
import { flagBool, flagInt, requirePositional, type CliCommand } from '../command';
import { hasErrors } from '../../core/diagnostics';
import { checkModel } from '../../core/checkModel';
import { estimateModelTrainingMemory, trainingMemoryDiagnostic } from '../../core/trainingMemory';
import { freeMemoryBytes } from '../../engine/train/memoryCheck';
import { countText, formatDiagnostic, readModelFile } from '../modelFileIo';

const USAGE = 'validate <file> [--json] [--classes N]';

export const validateCommand: CliCommand = {
  name: 'validate',
  usage: USAGE,
  description: 'Check a model file (syntax, schema, graph, shapes, loss); exit 1 on errors.',
  async run(args, io) {
    const file = requirePositional(args, 0, 'model file', USAGE);
    const numClasses = flagInt(args, 'classes', 1);
    const loaded = readModelFile(file);
    const checked = checkModel(loaded.model, loaded.diagnostics, numClasses !== undefined ? { numClasses } : {});
    const diagnostics = [...checked.diagnostics];
    // Only this machine knows its free memory, so this check lives here and not in core's analysis.
    const estimate = loaded.model ? estimateModelTrainingMemory(loaded.model, checked.analysis) : null;
    const tooBig = estimate ? trainingMemoryDiagnostic(estimate, freeMemoryBytes()) : null;
    if (tooBig) diagnostics.push(tooBig);
    const valid = loaded.model !== null && !hasErrors(diagnostics);
    if (flagBool(args, 'json')) {
      io.stdout(JSON.stringify({ file, valid, diagnostics: diagnostics.map(({ nodeId, code, severity, message, fixes }) => ({ nodeId, code, severity, message, ...(fixes ? { fixes } : {}) })) }, null, 2) + '\n');
      return valid ? 0 : 1;
    }
    for (const d of diagnostics) io.stdout(formatDiagnostic(file, d) + '\n');
    io.stdout(diagnostics.length === 0 ? `${file}: OK, no problems found.\n` : `${file}: ${countText(diagnostics)}.\n`);
    return valid ? 0 : 1;
  },
};
