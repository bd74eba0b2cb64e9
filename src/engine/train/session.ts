/**
 * Starting a training run, shared by the engine process and the CLI: read and check the model, start
 * the backend, load the data, create (or reopen) the run folder, build the tfjs model and hand back a
 * `Trainer` whose `run()` does the epochs.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { parseModelText, serializeModel } from '../../core/loader';
import type { DatasetReference, ModelFile } from '../../core/format';
import { analyzeModel } from '../../core/shapeInference';
import { fitOutputToClasses } from '../../core/fitOutputToClasses';
import { imageFormatOfShape, inputPixelScale } from '../../core/modelFacts';
import type { Diagnostic } from '../../core/diagnostics';
import type { EngineBackendInfo, EngineEvent, EpochMetrics, ResolvedConfig, RunRecord, StartTrainingParams, TrainingStarted, WeightInitReport } from '../../protocol/engine';
import { getTf, initBackend } from '../backend/selectBackend';
import type { Tf } from '../backend/tfNamespace';
import { loadDataset } from '../data/loadDataset';
import type { LoadedDataset } from '../data/dataset';
import { EngineUserError, throwIfCancelled } from '../data/errors';
import { buildTfModel } from '../model/buildTfModel';
import { hasCheckpoint, loadCheckpoint } from '../runs/checkpoints';
import { formatWeightInitReport, initCheckpointOf, initFromRun } from '../runs/initFromRun';
import { claimNewRunDir, claimRunDirAt, type ClaimedRunDir } from '../runs/claimRunDir';
import { checkFreeSpace, runSpaceNeeded } from '../runs/runDiskSpace';
import { describeWriteFailure } from '../runs/writeFailure';
import { readEpochMetrics, readJson, readRunRecord, RUN_FILES, RunError, writeJsonAtomic, writeRunRecord, writeTextAtomic } from '../runs/runStore';
import { checkTrainingMemory } from './memoryCheck';
import { ConfigError, modelInputShape, resolveContinuedSettings, resolveSettings } from './config';
import { useSeededMathRandom } from './seededRandom';
import { Trainer } from './trainer';
import { CNN_STUDIO_VERSION } from '../version';


export interface PreparedRun {
  readonly trainer: Trainer;
  readonly started: TrainingStarted;
  /** The model as this run trains it (also in the run's model.cnn.json). */
  readonly model: ModelFile;
  /** Restores Math.random once the run is over (see seededRandom.ts). */
  readonly release: () => void;
  /** Set when the run started from another run's weights (`initFrom`). */
  readonly initializedFrom?: WeightInitReport;
}

/** The model file cannot be trained as it is; lists the problems. */
export class ModelError extends EngineUserError {
  constructor(message: string) {
    super('bad-model', message);
  }
}

function describeErrors(diagnostics: readonly Diagnostic[], where: string): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return `${where} has ${errors.length} problem${errors.length > 1 ? 's' : ''} to fix before training:\n` + errors.map((d) => `  - ${d.nodeId ? `${d.nodeId}: ` : ''}${d.message}`).join('\n');
}

function readModel(modelPath: string, text: string | undefined): ModelFile {
  let source = text;
  if (source === undefined) {
    if (!existsSync(modelPath)) throw new ModelError(`The model file '${modelPath}' does not exist. Create one with 'cnn-studio new mnist-small ${basename(modelPath)}'.`);
    source = readFileSync(modelPath, 'utf8');
  }
  const parsed = parseModelText(source);
  if (!parsed.model) throw new ModelError(describeErrors(parsed.diagnostics, `The model file '${modelPath}'`));
  return parsed.model;
}

/**
 * The model as this run trains it: the dataset reference points at the data actually used, and an
 * output layer whose size does not match the classes is resized (the analyser's own quick fix), with a
 * warning, so `--data` works with any template. Remaining errors stop the run.
 */
function adaptModel(model: ModelFile, dataset: LoadedDataset, dataRef: DatasetReference, warn: (m: string) => void, where: string): ModelFile {
  const numClasses = dataset.classNames.length;
  const copy: ModelFile = { ...model, dataset: dataRef, nodes: model.nodes.map((n) => ({ ...n, params: { ...n.params } })) };
  const fitted = fitOutputToClasses(copy, numClasses);
  for (const r of fitted.resized) {
    warn(`${r.message} This run uses ${String(r.units)} (the run's model.cnn.json has it); change the model file to make it permanent.`);
  }
  const adapted = fitted.model;
  const analysis = analyzeModel(adapted, { numClasses });
  if (analysis.diagnostics.some((d) => d.severity === 'error')) throw new ModelError(describeErrors(analysis.diagnostics, where));
  return adapted;
}

/** A run being continued must be writable before its data is loaded (a read-only copy fails at once). */
function ensureWritable(runDir: string): void {
  try {
    accessSync(runDir, constants.W_OK);
  } catch (err) {
    throw describeWriteFailure(err, runDir, 'continue the run in');
  }
}

function backendRecord(info: EngineBackendInfo): EngineBackendInfo {
  return { ...info };
}

export interface PrepareHooks {
  readonly emit: (event: EngineEvent) => void;
  /** Aborting it while the run is starting cancels it (nothing is written). */
  readonly signal?: AbortSignal;
}

export async function prepareTraining(params: StartTrainingParams, hooks: PrepareHooks): Promise<PreparedRun> {
  const { emit } = hooks;
  const log = (level: 'info' | 'warn', message: string) => emit({ type: 'log', runId: null, level, message });
  const overrides = params.overrides ?? {};
  const continuing = params.continueFrom ? resolve(params.continueFrom) : undefined;
  const initFrom = params.initFrom ? resolve(params.initFrom) : undefined;
  if (continuing && initFrom) {
    throw new ConfigError('A run is either continued (--continue) or started from another run\'s weights (--init-from), not both. Drop one of the two.');
  }
  // Before anything is claimed or loaded: a folder without weights is refused at once.
  if (initFrom) initCheckpointOf(initFrom);

  // What to train: the model file, or the run's own snapshot when continuing (its weights fit only that).
  let model: ModelFile;
  let priorConfig: ResolvedConfig | undefined;
  let priorRecord: RunRecord | undefined;
  let history: EpochMetrics[] = [];
  const modelPath = resolve(params.modelPath);
  if (continuing) {
    if (!existsSync(join(continuing, RUN_FILES.record))) throw new RunError(`'${continuing}' is not a run folder (no run.json). Pass a folder under .cnn-studio/runs/.`);
    priorRecord = readRunRecord(continuing);
    if (priorRecord.status === 'running' || priorRecord.status === 'paused') {
      throw new RunError(`The run '${continuing}' is still ${priorRecord.status} (process ${priorRecord.pid}). Stop it before continuing it.`);
    }
    if (!hasCheckpoint(join(continuing, RUN_FILES.last))) {
      throw new RunError(`The run '${continuing}' has no finished epoch to continue from (no last/ checkpoint). Start a new run instead.`);
    }
    priorConfig = readJson<ResolvedConfig>(join(continuing, RUN_FILES.config), 'The run configuration');
    model = readModel(join(continuing, RUN_FILES.model), undefined);
    history = readEpochMetrics(continuing).filter((m) => m.epoch <= priorRecord!.epochsCompleted);
  } else {
    model = readModel(modelPath, params.modelText);
  }

  let settings = resolveSettings(model, overrides);
  if (priorConfig) {
    // Continue to the requested total; a run that already got there trains that many epochs more.
    const wanted = overrides.epochs ?? priorConfig.epochs;
    settings = resolveContinuedSettings(priorConfig, overrides, wanted > history.length ? wanted : history.length + wanted);
  }

  interface Started {
    readonly tf: Tf;
    readonly backend: EngineBackendInfo;
    readonly dataset: LoadedDataset;
    readonly runModel: ModelFile;
    readonly config: ResolvedConfig;
    readonly tfModel: LayersModel;
    readonly initReport: WeightInitReport | undefined;
    readonly release: () => void;
  }
  // Everything between claiming the run folder and writing into it: a failure here gives the claim back.
  const startRun = async (): Promise<Started> => {
    emit({ type: 'progress', runId: null, phase: 'building', message: `Starting the ${settings.backend} backend`, fraction: null });
    const backend = backendRecord(
      await initBackend(settings.backend, {
        ...(overrides.threads !== undefined ? { threads: overrides.threads } : {}),
        ...(overrides.nativeThreads !== undefined ? { nativeThreads: overrides.nativeThreads } : {}),
      }),
    );
    if (backend.fallbackReason) log('info', `Backend ${backend.name} (${backend.fallbackReason}).`);
    if (backend.warning) log('warn', backend.warning);
    const tf: Tf = getTf();
    throwIfCancelled(hooks.signal);
    // Before the data and the model: a model that cannot fit is refused in seconds, not after minutes.
    checkTrainingMemory(model.name, totals, settings.batchSize, settings.optimizer, backend.name);

    const inputShape = modelInputShape(model);
    const modelDir = continuing ? dirname(priorConfig!.modelPath) : dirname(modelPath);
    const dataDir = params.dataDir ?? (priorConfig ? priorConfig.dataPath : undefined);
    const dataset = await loadDataset(model.dataset, modelDir, {
      dataDir,
      inputShape,
      validationSplit: settings.validationSplit,
      seed: settings.seed,
      onProgress: (message, fraction) => emit({ type: 'progress', runId: null, phase: 'loadingData', message, fraction }),
      signal: hooks.signal,
    });
    throwIfCancelled(hooks.signal);
    for (const w of dataset.summary.warnings) log('warn', w);
    if (dataset.summary.numTrain === 0) throw new ConfigError('There are no training samples after the validation split. Lower training.validationSplit or add data.');
    if (priorConfig && dataset.summary.path !== priorConfig.dataPath) {
      throw new ConfigError(
        `A continued run keeps its data: --data '${dataset.summary.path}' is not the run's data '${priorConfig.dataPath}' (its validation split would change). Drop --data to continue on the run's data, or train again without --continue to start a new run on this data.`,
      );
    }
    if (priorConfig && priorConfig.classNames.join('\n') !== dataset.classNames.join('\n')) {
      throw new RunError(`The data now has classes [${dataset.classNames.join(', ')}] but the run was trained on [${priorConfig.classNames.join(', ')}]. Continue it with the same data.`);
    }

    const dataRef: DatasetReference = {
      kind: dataset.summary.kind,
      path: dataset.summary.path,
      ...imageFormatOfShape(inputShape),
    };
    const runModel = continuing ? model : adaptModel(model, dataset, dataRef, (m) => log('warn', m), `The model '${model.name}'`);

    const config: ResolvedConfig = {
      modelName: runModel.name,
      modelPath: priorConfig?.modelPath ?? modelPath,
      dataPath: dataset.summary.path,
      ...settings,
      inputShape,
      classNames: dataset.classNames,
      inputScale: inputPixelScale(runModel),
    };

    const release = useSeededMathRandom(config.seed);
    let tfModel: LayersModel;
    let initReport: WeightInitReport | undefined;
    try {
      emit({ type: 'progress', runId, phase: 'building', message: 'Building the model', fraction: null });
      tfModel = buildTfModel(tf, runModel);
      if (continuing) loadCheckpoint(tf, tfModel, join(runDir, RUN_FILES.last));
      if (initFrom) {
        initReport = initFromRun(tf, tfModel, initFrom);
        log('info', formatWeightInitReport(initReport));
      }
      if (tfModel.trainableWeights.length === 0 && runModel.nodes.some((n) => n.trainable === false)) {
        throw new ConfigError(`Every layer of '${runModel.name}' that has weights is frozen ("trainable": false), so training would change nothing. Unfreeze at least the new head (the last Dense layer) and train again.`);
      }
      throwIfCancelled(hooks.signal);
    } catch (err) {
      release();
      throw err;
    }
    return { tf, backend, dataset, runModel, config, tfModel, initReport, release };
  };

  const { totals } = analyzeModel(model);
  // The run folder is claimed first, before the data is loaded: a folder that cannot be written fails
  // in a second, and two trainings started together can never share one.
  const claim: ClaimedRunDir = continuing
    ? { runId: priorRecord!.runId, runDir: continuing, release: () => undefined }
    : params.runDir
      ? claimRunDirAt(resolve(params.runDir), basename(resolve(params.runDir)))
      : claimNewRunDir(params.runsRoot, model.name);
  const { runId, runDir } = claim;
  let started: Started;
  try {
    if (continuing) ensureWritable(runDir);
    checkFreeSpace(runDir, totals.params);
    started = await startRun();
  } catch (err) {
    claim.release();
    throw err;
  }
  const { tf, backend, dataset, runModel, config, tfModel, initReport, release } = started;
  const now = new Date().toISOString();
  const record: RunRecord = {
    runId,
    modelName: runModel.name,
    status: 'running',
    pid: process.pid,
    backend,
    versions: { cnnStudio: CNN_STUDIO_VERSION, tfjs: tf.version_core, node: process.versions.node },
    createdAt: priorRecord?.createdAt ?? now,
    updatedAt: now,
    trainingSeconds: priorRecord?.trainingSeconds ?? 0,
    epochsCompleted: history.length,
    epochsPlanned: config.epochs,
    bestEpoch: priorRecord?.bestEpoch ?? null,
    bestValAccuracy: priorRecord?.bestValAccuracy ?? null,
    bestValLoss: priorRecord?.bestValLoss ?? null,
    ...(continuing ? { continuedFrom: continuing } : {}),
    ...((initReport ?? priorRecord?.initializedFrom) ? { initializedFrom: initReport ?? priorRecord!.initializedFrom } : {}),
    ...(priorRecord?.warnings ? { warnings: priorRecord.warnings } : {}),
  };
  try {
    if (!continuing) writeTextAtomic(join(runDir, RUN_FILES.model), serializeModel(runModel));
    // config.json stays as the run started; a continuation's new total is epochsPlanned in run.json.
    if (!continuing) writeJsonAtomic(join(runDir, RUN_FILES.config), config);
    writeJsonAtomic(join(runDir, RUN_FILES.skipped), dataset.summary.skipped);
    writeRunRecord(runDir, record);
  } catch (err) {
    release();
    claim.release();
    throw describeWriteFailure(err, runDir, 'write the run files to', runSpaceNeeded(tfModel.countParams()));
  }

  const trainer = new Trainer({
    tf,
    model: tfModel,
    config,
    dataset,
    runId,
    runDir,
    record,
    history,
    emit,
    batchEventIntervalMs: overrides.batchEventIntervalMs,
  });
  emit({
    type: 'runStarted',
    runId,
    runDir,
    modelName: runModel.name,
    backend,
    dataset: dataset.summary,
    epochs: config.epochs,
    batchSize: config.batchSize,
    startEpoch: history.length,
    history,
    ...(initReport ? { initializedFrom: initReport } : {}),
  });
  return { trainer, started: { runId, runDir, backend, dataset: dataset.summary }, model: runModel, release, ...(initReport ? { initializedFrom: initReport } : {}) };
}

/** Runs the prepared training to its end and always releases the seeded Math.random. */
export async function runPrepared(prepared: PreparedRun): Promise<import('./trainer').TrainingOutcome> {
  try {
    return await prepared.trainer.run();
  } finally {
    prepared.release();
  }
}
