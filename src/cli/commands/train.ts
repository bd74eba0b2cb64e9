/**
 * `cnn-studio train`: trains in this process through the same session and trainer as the engine
 * process. `--json` prints one line per epoch and a summary line; Ctrl+C stops after the current
 * batch and keeps the run (status 'stopped').
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BACKEND_PREFERENCES, type BackendPreference, type EngineEvent, isBackendPreference, type ResolvedConfig, type TrainingOverrides } from '../../protocol/engine';
import { listRuns, readJson, RUN_FILES } from '../../engine/runs/runStore';
import { prepareTraining, runPrepared } from '../../engine/train/session';
import type { BackendOptions } from '../../engine/backend/selectBackend';
import { CliError, flagBool, flagInt, flagString, requirePositional, stopReason, type CliCommand, type CliIo, type ParsedArgs } from '../command';

const USAGE = `train <model.cnn.json> [--data DIR] [--epochs N] [--batch-size B] [--learning-rate LR] [--seed K] [--backend ${BACKEND_PREFERENCES.join('|')}] [--threads N] [--out RUN_DIR] [--continue | --init-from RUN_DIR] [--json]`;

/** `--threads N`: wasm compute threads; absent = defaultWasmThreads() (half the CPUs, 1 to 4). */
export function threadsOption(args: ParsedArgs): BackendOptions {
  const threads = flagInt(args, 'threads');
  return threads === undefined ? {} : { threads };
}

export function backendFlag(value: string | undefined): BackendPreference | undefined {
  if (value === undefined) return undefined;
  if (!isBackendPreference(value)) throw new CliError(`--backend must be one of ${BACKEND_PREFERENCES.join(', ')}; got '${value}'.`);
  return value;
}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new CliError(`--${flag} must be a number above 0, got '${value}'.`);
  return n;
}

function isRunDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory() && existsSync(join(path, RUN_FILES.record));
}

/** `--continue`: the given run folder, or the newest run of the given model under the runs root. */
function runToContinue(target: string, runsRoot: string): string {
  if (isRunDir(target)) return target;
  const runs = listRuns(runsRoot).filter((r) => r.record.status !== 'running' && r.record.status !== 'paused');
  const match = runs.find((r) => {
    try {
      return readJson<ResolvedConfig>(join(r.runDir, RUN_FILES.config), 'The run configuration').modelPath === target;
    } catch {
      return false;
    }
  });
  if (!match) throw new CliError(`There is no earlier run of '${target}' under '${runsRoot}' to continue. Train it without --continue first, or pass the run folder.`);
  return match.runDir;
}

/** A one-line progress display for terminals, redrawn with `\r`. */
class ProgressLine {
  private shown = false;

  constructor(private readonly io: CliIo) {}

  bar(fraction: number, width = 24): string {
    const full = Math.round(Math.max(0, Math.min(1, fraction)) * width);
    return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
  }

  update(text: string): void {
    this.io.stdout(`\r\x1b[2K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.io.stdout('\r\x1b[2K');
    this.shown = false;
  }
}

function printEvent(e: EngineEvent, io: CliIo, json: boolean, bar: ProgressLine | null): void {
  switch (e.type) {
    case 'log':
      bar?.clear();
      // A training warning is also a JSON line of its own with --json, beside the epochs it is about.
      if (json && e.warning) io.stdout(JSON.stringify({ warning: e.warning.code, epoch: e.warning.epoch, message: e.warning.message }) + '\n');
      io.stderr(`${e.level === 'warn' ? 'warning: ' : ''}${e.message}\n`);
      break;
    case 'runStarted': {
      const d = e.dataset;
      if (!json) {
        io.stdout(
          `Training '${e.modelName}' on ${e.backend.name} (tfjs ${e.backend.tfjsVersion}${e.backend.simd ? ', SIMD' : ''}${e.backend.kernels ? `, ${e.backend.kernels}` : ''}, ${e.backend.threads} thread${e.backend.threads > 1 ? 's' : ''})\n` +
            `Data: ${d.numTrain} training + ${d.numValidation} validation samples of ${d.imageShape.join('×')}, classes ${d.classNames.join(', ')} (loaded in ${d.loadSeconds.toFixed(1)} s)\n` +
            `Run: ${e.runDir}\n`,
        );
      }
      break;
    }
    case 'batchMetrics':
      bar?.update(`epoch ${e.epoch} ${bar.bar(e.batch / e.batchesPerEpoch)} ${e.batch}/${e.batchesPerEpoch} loss ${e.loss.toFixed(4)} acc ${e.accuracy.toFixed(3)} ${Math.round(e.samplesPerSec)}/s`);
      break;
    case 'epochMetrics': {
      const m = e.metrics;
      if (json) {
        io.stdout(JSON.stringify({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, valLoss: m.valLoss, valAccuracy: m.valAccuracy, learningRate: m.learningRate, samplesPerSec: m.samplesPerSec, seconds: m.seconds }) + '\n');
      } else {
        bar?.clear();
        const val = m.valLoss === null ? '' : `  val_loss ${m.valLoss.toFixed(4)}  val_acc ${m.valAccuracy!.toFixed(3)}`;
        io.stdout(`epoch ${m.epoch}/${e.epochs}  loss ${m.loss.toFixed(4)}  acc ${m.accuracy.toFixed(3)}${val}  ${Math.round(m.samplesPerSec)} samples/s  ${m.seconds.toFixed(1)} s${e.isBest ? '  *best' : ''}\n`);
      }
      break;
    }
    case 'error':
      bar?.clear();
      io.stderr(`error: ${e.message}\n`);
      break;
    default:
      break;
  }
}

export const trainCommand: CliCommand = {
  name: 'train',
  usage: USAGE,
  description: 'Train a model on its dataset (or --data DIR); the run goes to .cnn-studio/runs/ beside the model file.',
  async run(args, io) {
    const target = resolve(requirePositional(args, 0, 'the model file', USAGE));
    const json = flagBool(args, 'json');
    const overrides: TrainingOverrides = {
      epochs: flagInt(args, 'epochs'),
      batchSize: flagInt(args, 'batch-size'),
      learningRate: positiveNumber(flagString(args, 'learning-rate'), 'learning-rate'),
      seed: flagInt(args, 'seed', 0),
      backend: backendFlag(flagString(args, 'backend')),
      threads: flagInt(args, 'threads'),
      batchEventIntervalMs: 200,
    };
    const continuing = flagBool(args, 'continue');
    const runsRoot = isRunDir(target) ? resolve(target, '..', '..', '..', '..') : dirname(target);
    const continueFrom = continuing ? runToContinue(target, runsRoot) : undefined;
    if (!continuing && isRunDir(target)) throw new CliError(`'${target}' is a run folder. Pass --continue to continue it, or pass a model file.`);
    const out = flagString(args, 'out');
    const initFrom = flagString(args, 'init-from');
    if (initFrom !== undefined && continuing) throw new CliError('Pass either --continue (more epochs of the same run) or --init-from RUN_DIR (a new run starting from that run\'s weights), not both.');
    const bar = !json && io.isTty ? new ProgressLine(io) : null;
    const prepared = await prepareTraining(
      {
        modelPath: continueFrom ? join(continueFrom, RUN_FILES.model) : target,
        dataDir: flagString(args, 'data'),
        overrides,
        runsRoot,
        ...(out ? { runDir: resolve(out) } : {}),
        ...(continueFrom ? { continueFrom } : {}),
        ...(initFrom !== undefined ? { initFrom: resolve(initFrom) } : {}),
      },
      { emit: (e) => printEvent(e, io, json, bar), signal: io.signal },
    );
    const onAbort = () => prepared.trainer.stop(stopReason(io.signal).message);
    io.signal.addEventListener('abort', onAbort);
    let outcome;
    try {
      if (io.signal.aborted) onAbort();
      outcome = await runPrepared(prepared);
    } finally {
      io.signal.removeEventListener('abort', onAbort);
      bar?.clear();
    }
    const summary = {
      runDir: prepared.started.runDir,
      backend: prepared.started.backend.name,
      status: outcome.status,
      bestValAccuracy: outcome.bestValAccuracy,
      bestEpoch: outcome.bestEpoch,
      epochs: outcome.epochsCompleted,
      seconds: outcome.seconds,
      ...(outcome.message ? { message: outcome.message } : {}),
      // Every unreadable data file by path and reason (the warning at the start names the first few).
      skipped: prepared.started.dataset.skipped,
      ...(prepared.initializedFrom ? { initializedFrom: prepared.initializedFrom } : {}),
    };
    if (json) io.stdout(JSON.stringify(summary) + '\n');
    else {
      const best = outcome.bestValAccuracy === null ? '' : `; best validation accuracy ${(outcome.bestValAccuracy * 100).toFixed(1)}% (epoch ${outcome.bestEpoch})`;
      io.stdout(`${outcome.status === 'finished' ? 'Finished' : outcome.status === 'stopped' ? 'Stopped' : 'Failed'} after ${outcome.epochsCompleted} epoch(s) in ${outcome.seconds.toFixed(1)} s${best}.\n`);
      if (outcome.message && outcome.status !== 'failed') io.stdout(`${outcome.message}\n`);
      io.stdout(`Run folder: ${prepared.started.runDir}\n`);
    }
    return outcome.status === 'finished' ? 0 : outcome.status === 'stopped' ? stopReason(io.signal).exitCode : 1;
  },
};
