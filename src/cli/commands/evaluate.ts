/** `cnn-studio evaluate`: accuracy, per-class precision/recall/F1, confusion matrix and worst mistakes of a run. */
import type { CheckpointName } from '../../protocol/engine';
import { getTf, initBackend } from '../../engine/backend/selectBackend';
import { evaluateRun } from '../../engine/eval/evaluate';
import { CliError, flagBool, flagString, requirePositional, type CliCommand } from '../command';
import { backendFlag, threadsOption } from './train';

const USAGE = 'evaluate <runDir> [--test PATH | --data DIR] [--checkpoint best|last] [--backend B] [--threads N] [--json]';

export function checkpointFlag(value: string | undefined): CheckpointName | undefined {
  if (value === undefined) return undefined;
  if (value !== 'best' && value !== 'last') throw new CliError(`--checkpoint must be 'best' or 'last', got '${value}'.`);
  return value;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  usage: USAGE,
  description:
    "Evaluate a run's best checkpoint on its validation split, or on a held-out test set (--test: an image folder, t10k IDX files, test_batch.bin or a CSV); writes evaluation.json into the run.",
  async run(args, io) {
    const runDir = requirePositional(args, 0, 'the run folder', USAGE);
    const json = flagBool(args, 'json');
    await initBackend(backendFlag(flagString(args, 'backend')) ?? 'auto', threadsOption(args));
    const dataDir = flagString(args, 'data');
    const testPath = flagString(args, 'test');
    if (dataDir && testPath) throw new CliError('Pass either --test PATH (a held-out test set) or --data DIR, not both.');
    const report = await evaluateRun(getTf(), { runDir, ...(dataDir ? { dataDir } : {}), ...(testPath ? { testPath } : {}), checkpoint: checkpointFlag(flagString(args, 'checkpoint')) }, json ? undefined : (m) => io.stderr(m + '\n'));
    if (json) {
      io.stdout(JSON.stringify(report) + '\n');
      return 0;
    }
    const names = report.classNames;
    const w = Math.max(9, ...names.map((n) => n.length)) + 2;
    const lines = [
      `Accuracy ${pct(report.accuracy)} on ${report.numSamples} ${report.split === 'validation' ? 'validation ' : report.split === 'test' ? 'test ' : ''}samples (loss ${report.loss.toFixed(4)}, '${report.checkpoint}' checkpoint)`,
      `Data: ${report.dataLabel ?? report.dataPath}`,
      '',
      `${'class'.padEnd(w)}${'precision'.padStart(10)}${'recall'.padStart(10)}${'f1'.padStart(10)}${'support'.padStart(10)}`,
      ...report.perClass.map((c) => `${c.className.padEnd(w)}${pct(c.precision).padStart(10)}${pct(c.recall).padStart(10)}${c.f1.toFixed(3).padStart(10)}${String(c.support).padStart(10)}`),
      '',
      'Confusion matrix (rows: true class, columns: predicted)',
      `${''.padEnd(w)}${names.map((n) => n.slice(0, 9).padStart(10)).join('')}`,
      ...report.confusionMatrix.map((row, i) => `${names[i]!.padEnd(w)}${row.map((v) => String(v).padStart(10)).join('')}`),
    ];
    if (report.misclassified.length) {
      lines.push('', `Most confident mistakes (${report.misclassified.length} shown of the misclassified):`);
      for (const m of report.misclassified.slice(0, 10)) lines.push(`  ${m.path ?? `#${m.index}`}: ${m.trueClass} -> ${m.predictedClass} (${pct(m.confidence)})`);
    }
    lines.push('', `Saved ${runDir.replace(/\/$/, '')}/evaluation.json`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
