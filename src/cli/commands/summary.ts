/** `cnn-studio summary <file> [--json]`: the Keras-style layer table (or JSON) of a model file. */
import { flagBool, requirePositional, type CliCommand } from '../command';
import { analyzeModel } from '../../core/shapeInference';
import { formatSummary, summaryJson } from '../../core/summary';
import { describeTrainingMemory, estimateModelTrainingMemory } from '../../core/trainingMemory';
import { countText, formatDiagnostic, readModelFile } from '../modelFileIo';

const USAGE = 'summary <file> [--json]';

export const summaryCommand: CliCommand = {
  name: 'summary',
  usage: USAGE,
  description: 'Print the layer table: output shapes, params, connections (like Keras model.summary()).',
  async run(args, io) {
    const file = requirePositional(args, 0, 'model file', USAGE);
    const loaded = readModelFile(file);
    if (!loaded.model) {
      for (const d of loaded.diagnostics) io.stderr(formatDiagnostic(file, d) + '\n');
      io.stderr(`${file}: cannot summarise: ${countText(loaded.diagnostics)}. Fix the file first ('cnn-studio validate ${file}').\n`);
      return 1;
    }
    const analysis = analyzeModel(loaded.model);
    const diagnostics = [...loaded.diagnostics, ...analysis.diagnostics];
    if (flagBool(args, 'json')) {
      const json = summaryJson(loaded.model, analysis);
      json.diagnostics = diagnostics.map(({ nodeId, code, severity, message }) => ({ nodeId, code, severity, message }));
      io.stdout(JSON.stringify(json, null, 2) + '\n');
      return 0;
    }
    io.stdout(formatSummary(loaded.model, analysis));
    const memory = estimateModelTrainingMemory(loaded.model, analysis);
    if (memory) io.stdout(`Training memory: ${describeTrainingMemory(memory)}\n`);
    const problems = diagnostics.filter((d) => d.severity !== 'info');
    for (const d of problems) io.stderr(formatDiagnostic(file, d) + '\n');
    if (problems.length > 0) io.stderr(`${file}: ${countText(problems)}; shapes after a problem are shown as '?'.\n`);
    return 0;
  },
};
