/**
 * The training loop: our own loop over `optimizer.minimize` (see trainStep.ts), so a stop request is honoured between two
 * batches, pause/resume need no tfjs support, batches are normalised and augmented from uint8 on the
 * fly, and every epoch is validated, logged to metrics.jsonl and checkpointed before the next starts.
 */
import { join } from 'node:path';
import type { LayersModel, Optimizer, Tensor } from '@tensorflow/tfjs';
import { withSystemErrorExplained } from '../../core/systemError';
import type { EngineEvent, EpochMetrics, ResolvedConfig, RunRecord, RunStatus } from '../../protocol/engine';
import type { Tf } from '../backend/tfNamespace';
import { gpuLossOr, throwIfGpuLost } from '../backend/webgpuBackend';
import { fillBatch } from '../data/batches';
import { sampleBytes, type LoadedDataset } from '../data/dataset';
import { EngineUserError } from '../data/errors';
import { seededRng, shuffleInPlace } from '../data/random';
import { lossAndAccuracy, predictProbabilities } from '../eval/probabilities';
import { loadCheckpoint, saveCheckpoint } from '../runs/checkpoints';
import { hasOptimizerState, restoreOptimizerState } from '../runs/optimizerState';
import { runSpaceNeeded } from '../runs/runDiskSpace';
import { appendEpochMetrics, RUN_FILES, writeRunRecord } from '../runs/runStore';
import { describeWriteFailure, DiskError } from '../runs/writeFailure';
import { learningWarnings } from './learningCheck';
import { makeOptimizer, setLearningRate } from './optimizer';
import { BestTracker, LearningRateScheduler } from './schedules';
import { makeTrainStep, type TargetKind, type TrainStep } from './trainStep';

export interface TrainerInit {
  readonly tf: Tf;
  readonly model: LayersModel;
  readonly config: ResolvedConfig;
  readonly dataset: LoadedDataset;
  readonly runId: string;
  readonly runDir: string;
  /** run.json as written when the run (or its continuation) started. */
  readonly record: RunRecord;
  /** Epochs already in metrics.jsonl (a continued run). */
  readonly history: readonly EpochMetrics[];
  readonly emit: (event: EngineEvent) => void;
  /** Minimum ms between two `batchMetrics` events (the last batch of an epoch is always sent). */
  readonly batchEventIntervalMs?: number;
}

export interface TrainingOutcome {
  readonly status: 'finished' | 'stopped' | 'failed';
  readonly message?: string;
  readonly epochsCompleted: number;
  readonly bestEpoch: number | null;
  readonly bestValAccuracy: number | null;
  readonly seconds: number;
  readonly history: readonly EpochMetrics[];
}

/** The loss stopped being a number; the message says what to try. */
export class NanLossError extends EngineUserError {
  /** `where` is e.g. "at epoch 3, batch 7" or "in validation after epoch 3". */
  constructor(where: string, learningRate: number) {
    super(
      'nan-loss',
      `The loss became NaN/Infinity ${where}; training stopped. Lower the learning rate ` +
        `(it is ${learningRate}; try ${Number((learningRate / 10).toPrecision(2))}), check the data for extreme values, or add BatchNormalization.`,
    );
  }
}

type Probe = () => Promise<void>;

export class Trainer {
  private readonly tf: Tf;
  private readonly model: LayersModel;
  private readonly config: ResolvedConfig;
  private readonly data: LoadedDataset;
  private readonly optimizer: Optimizer;
  private readonly step: TrainStep;
  private readonly binaryOutput: boolean;
  private readonly numClasses: number;
  private record: RunRecord;
  private readonly history: EpochMetrics[];
  private stopRequested = false;
  private stopMessage: string | undefined;
  private paused = false;
  private wakeUp: (() => void) | null = null;
  private readonly probes: Probe[] = [];
  private inLoop = false;

  constructor(private readonly init: TrainerInit) {
    this.tf = init.tf;
    this.model = init.model;
    this.config = init.config;
    this.data = init.dataset;
    this.record = init.record;
    this.history = [...init.history];
    this.numClasses = this.config.classNames.length;
    const outShape = this.model.outputs[0]!.shape;
    this.binaryOutput = outShape[outShape.length - 1] === 1;
    this.optimizer = makeOptimizer(this.tf, this.config.optimizer, this.config.learningRate);
    // Labels are fed one-hot (or as one 0/1 column for a single sigmoid unit): sparse categorical
    // cross-entropy on integer labels is the same number as categorical cross-entropy on one-hot ones.
    const kind: TargetKind = this.config.loss === 'meanSquaredError' ? 'meanSquaredError' : this.binaryOutput ? 'binary' : 'categorical';
    this.step = makeTrainStep(this.tf, this.model, this.optimizer, kind);
  }

  get runId(): string {
    return this.init.runId;
  }

  get runDir(): string {
    return this.init.runDir;
  }

  get status(): RunStatus {
    return this.record.status;
  }

  /** The data and settings of this run (live feature maps take their samples from it). */
  get context(): { readonly config: ResolvedConfig; readonly dataset: LoadedDataset } {
    return { config: this.config, dataset: this.data };
  }

  pause(): RunStatus {
    if (this.record.status === 'running') {
      this.paused = true;
      this.setStatus('paused');
    }
    return this.record.status;
  }

  resume(): RunStatus {
    if (this.record.status === 'paused') {
      this.paused = false;
      this.setStatus('running');
      this.wake();
    }
    return this.record.status;
  }

  /** Takes effect before the next batch; the run is kept (status 'stopped') with its finished epochs. */
  stop(message = 'Stopped by the user.'): void {
    this.stopRequested = true;
    this.stopMessage ??= message;
    this.paused = false;
    this.wake();
  }

  /**
   * Runs `fn` with the model between two batches (or at once while paused or not training), so a
   * live feature-map request never sees half-updated weights.
   */
  withModel<T>(fn: (model: LayersModel) => Promise<T>): Promise<T> {
    if (!this.inLoop || this.paused) return fn(this.model);
    return new Promise<T>((resolve, reject) => {
      this.probes.push(async () => {
        try {
          resolve(await fn(this.model));
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  async run(): Promise<TrainingOutcome> {
    const started = performance.now();
    const priorSeconds = this.record.trainingSeconds;
    const { config } = this;
    const startEpoch = this.history.length;
    const scheduler = new LearningRateScheduler(config.learningRateSchedule, config.learningRate, config.epochs);
    scheduler.replay(this.history);
    const best = new BestTracker(config.earlyStopping.monitor);
    for (const m of this.history) best.observe(m);
    let pausedMs = 0;
    let status: TrainingOutcome['status'] = 'finished';
    let message: string | undefined;
    this.inLoop = true;
    try {
      if (startEpoch > 0) await this.restoreOptimizer();
      for (let epoch = startEpoch + 1; epoch <= config.epochs; epoch++) {
        const lr = scheduler.rateFor(epoch);
        setLearningRate(this.optimizer, lr);
        const result = await this.trainEpoch(epoch, lr, (ms) => (pausedMs += ms));
        if (result === 'stopped') break;
        const m = await this.finishEpoch(epoch, lr, result, best);
        scheduler.observe(m);
        this.warnIfNotLearning(lr);
        this.record = {
          ...this.record,
          trainingSeconds: priorSeconds + (performance.now() - started - pausedMs) / 1000,
        };
        this.saveRecord();
        if (config.earlyStopping.enabled && best.epochsSinceBest() >= config.earlyStopping.patience && epoch < config.epochs) {
          const monitor = config.earlyStopping.monitor;
          message = `Early stopping: ${monitor} did not improve for ${config.earlyStopping.patience} epochs; the best epoch was ${best.best?.epoch}.`;
          if (config.earlyStopping.restoreBestWeights) loadCheckpoint(this.tf, this.model, join(this.runDir, RUN_FILES.best));
          this.log('info', message);
          break;
        }
        if (this.stopRequested) break;
      }
      // A stop that arrives while the last epoch is being saved leaves a complete run: call it finished.
      if (this.stopRequested && this.history.length < config.epochs) {
        status = 'stopped';
        message = this.stopMessage;
      }
    } catch (err) {
      status = 'failed';
      const explained = withSystemErrorExplained(err);
      const e = explained instanceof Error ? explained : new Error(String(explained));
      message = e.message;
      const userFacing = (e as { userFacing?: unknown }).userFacing === true;
      const rawCode = (e as { code?: unknown }).code;
      const code = typeof rawCode === 'string' ? rawCode : 'internal';
      this.init.emit({ type: 'error', runId: this.runId, code, message: e.message, userFacing });
    } finally {
      this.inLoop = false;
      await this.drainProbes();
    }
    const seconds = priorSeconds + (performance.now() - started - pausedMs) / 1000;
    const b = best.best;
    this.record = {
      ...this.record,
      status,
      message,
      trainingSeconds: seconds,
      finishedAt: new Date().toISOString(),
    };
    try {
      this.saveRecord();
    } catch (err) {
      // The disk is full even for run.json: the previous run.json stays whole; say why it is stale.
      const e = err instanceof Error ? err : new Error(String(err));
      this.init.emit({ type: 'error', runId: this.runId, code: 'disk', message: e.message, userFacing: true });
    }
    const outcome: TrainingOutcome = {
      status,
      message,
      epochsCompleted: this.history.length,
      bestEpoch: b?.epoch ?? null,
      bestValAccuracy: b?.valAccuracy ?? null,
      seconds,
      history: this.history,
    };
    this.init.emit({
      type: 'runFinished',
      runId: this.runId,
      runDir: this.runDir,
      status,
      epochsCompleted: outcome.epochsCompleted,
      bestEpoch: outcome.bestEpoch,
      bestValAccuracy: outcome.bestValAccuracy,
      seconds,
      ...(message !== undefined ? { message } : {}),
    });
    return outcome;
  }

  /** A continued run resumes with the optimizer state of its last checkpoint (Adam's moments and step). */
  private async restoreOptimizer(): Promise<void> {
    const dir = join(this.runDir, RUN_FILES.last);
    if (hasOptimizerState(dir)) await restoreOptimizerState(this.tf, this.optimizer, dir);
    else this.log('info', `The checkpoint in '${dir}' has no optimizer state (saved before CNN Studio kept it, or by ${this.config.optimizer}, whose state tfjs cannot save): the optimizer starts afresh.`);
  }

  /** Adds the not-learning warnings the history now calls for to run.json (saved with the record) and the events. */
  private warnIfNotLearning(learningRate: number): void {
    const given = this.record.warnings ?? [];
    const ctx = { numClasses: this.numClasses, loss: this.config.loss, outputUnits: this.binaryOutput ? 1 : this.numClasses, optimizer: this.config.optimizer, learningRate };
    const fresh = learningWarnings(this.history, ctx, new Set(given.map((w) => w.code)));
    if (fresh.length === 0) return;
    this.record = { ...this.record, warnings: [...given, ...fresh] };
    for (const warning of fresh) this.init.emit({ type: 'log', runId: this.runId, level: 'warn', message: warning.message, warning });
  }

  private async trainEpoch(epoch: number, lr: number, addPause: (ms: number) => void): Promise<'stopped' | { loss: number; accuracy: number; samples: number; trainMs: number; epochStart: number }> {
    const { tf, config, data } = this;
    const epochStart = performance.now();
    const n = data.train.indices.length;
    const order = Int32Array.from({ length: n }, (_, i) => i);
    // A fresh, seeded order each epoch: the same seed gives the same batches, continued runs included.
    const rng = seededRng(config.seed * 1000 + epoch);
    if (config.shuffle) shuffleInPlace(order, rng);
    const [h, w, c] = data.train.set.shape;
    const bs = Math.min(config.batchSize, n);
    const batches = Math.ceil(n / bs);
    const x = new Float32Array(bs * sampleBytes(data.train.set.shape));
    const y = new Int32Array(bs);
    let lossSum = 0;
    let accSum = 0;
    let seen = 0;
    let pausedMs = 0;
    let lastEvent = 0;
    const interval = this.init.batchEventIntervalMs ?? 250;
    for (let b = 0; b < batches; b++) {
      const waited = await this.betweenBatches();
      pausedMs += waited;
      if (this.stopRequested) {
        addPause(pausedMs);
        return 'stopped';
      }
      const count = Math.min(bs, n - b * bs);
      fillBatch(data.train, order.subarray(b * bs, b * bs + count), x, y, { scale: config.inputScale, augmentation: config.augmentation, rng });
      const xs = tf.tensor4d(x.subarray(0, count * h * w * c), [count, h, w, c]);
      const ys = this.targets(y.subarray(0, count));
      let loss: number;
      let acc: number;
      try {
        ({ loss, accuracy: acc } = await this.step(xs, ys));
      } catch (err) {
        throw await gpuLossOr(err);
      } finally {
        tf.dispose([xs, ys]);
      }
      throwIfGpuLost();
      if (!Number.isFinite(loss)) throw new NanLossError(`at epoch ${epoch}, batch ${b + 1}`, lr);
      lossSum += loss * count;
      accSum += acc * count;
      seen += count;
      const now = performance.now();
      if (now - lastEvent >= interval || b === batches - 1) {
        lastEvent = now;
        this.init.emit({
          type: 'batchMetrics',
          runId: this.runId,
          epoch,
          batch: b + 1,
          batchesPerEpoch: batches,
          loss: lossSum / seen,
          accuracy: accSum / seen,
          learningRate: lr,
          samplesPerSec: seen / Math.max(1e-3, (now - epochStart - pausedMs) / 1000),
        });
      }
    }
    addPause(pausedMs);
    return { loss: lossSum / seen, accuracy: accSum / seen, samples: seen, trainMs: performance.now() - epochStart - pausedMs, epochStart: epochStart + pausedMs };
  }

  private targets(labels: Int32Array): Tensor {
    const tf = this.tf;
    if (this.binaryOutput) return tf.tensor2d(Float32Array.from(labels), [labels.length, 1]);
    return tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), this.numClasses).toFloat());
  }

  private async finishEpoch(
    epoch: number,
    lr: number,
    trained: { loss: number; accuracy: number; samples: number; trainMs: number; epochStart: number },
    best: BestTracker,
  ): Promise<EpochMetrics> {
    const { config, data } = this;
    let valLoss: number | null = null;
    let valAccuracy: number | null = null;
    if (data.validation.indices.length > 0) {
      this.progress('validating', `Validating epoch ${epoch}`, null);
      const probs = await predictProbabilities(this.tf, this.model, data.validation, config.inputScale, this.numClasses);
      const r = lossAndAccuracy(probs, data.validation, this.numClasses, config.loss);
      // tfjs clips probabilities inside its training loss, so diverged (NaN) weights can still report a
      // finite training loss; the validation loss computed here from the raw outputs does not hide it.
      if (!Number.isFinite(r.loss)) throw new NanLossError(`in validation after epoch ${epoch}`, lr);
      valLoss = r.loss;
      valAccuracy = r.accuracy;
    }
    const seconds = (performance.now() - trained.epochStart) / 1000;
    const done = this.history.map((m) => m.seconds).concat(seconds);
    const meanEpoch = done.slice(-3).reduce((a, b) => a + b, 0) / Math.min(3, done.length);
    const m: EpochMetrics = {
      epoch,
      loss: trained.loss,
      accuracy: trained.accuracy,
      valLoss,
      valAccuracy,
      learningRate: lr,
      samplesPerSec: trained.samples / Math.max(1e-3, trained.trainMs / 1000),
      seconds,
      etaSeconds: meanEpoch * (config.epochs - epoch),
    };
    this.history.push(m);
    await this.writing(`write the metrics of epoch ${epoch} to`, join(this.runDir, RUN_FILES.metrics), async () => appendEpochMetrics(this.runDir, m));
    const isBest = best.observe(m);
    this.progress('saving', `Saving checkpoints of epoch ${epoch}`, null);
    for (const name of isBest ? [RUN_FILES.best, RUN_FILES.last] : [RUN_FILES.last]) {
      const dir = join(this.runDir, name);
      // last/ carries the optimizer's state too: that is the checkpoint `--continue` resumes from.
      const optimizer = name === RUN_FILES.last ? this.optimizer : undefined;
      await this.writing(`write the checkpoint of epoch ${epoch} to`, dir, () => saveCheckpoint(this.tf, this.model, dir, optimizer));
    }
    const b = best.best!;
    this.record = {
      ...this.record,
      epochsCompleted: epoch,
      bestEpoch: b.epoch,
      bestValAccuracy: b.valAccuracy,
      bestValLoss: b.valLoss,
    };
    this.init.emit({ type: 'epochMetrics', runId: this.runId, epochs: config.epochs, metrics: m, isBest });
    return m;
  }

  /** Waits while paused and runs queued probes; returns the ms spent paused. */
  private async betweenBatches(): Promise<number> {
    await this.drainProbes();
    if (!this.paused || this.stopRequested) {
      // Let queued messages (pause, stop, probes) be handled: trainOnBatch alone may not yield to the event loop.
      await new Promise<void>((r) => setImmediate(r));
      await this.drainProbes();
      if (!this.paused || this.stopRequested) return 0;
    }
    const t0 = performance.now();
    while (this.paused && !this.stopRequested) {
      await new Promise<void>((resolve) => (this.wakeUp = resolve));
      await this.drainProbes();
    }
    return performance.now() - t0;
  }

  private async drainProbes(): Promise<void> {
    while (this.probes.length) await this.probes.shift()!();
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private setStatus(status: RunStatus): void {
    this.record = { ...this.record, status };
    this.saveRecord();
    this.init.emit({ type: 'runState', runId: this.runId, status });
  }

  private saveRecord(): void {
    this.record = { ...this.record, updatedAt: new Date().toISOString() };
    const path = join(this.runDir, RUN_FILES.record);
    try {
      writeRunRecord(this.runDir, this.record);
    } catch (err) {
      throw describeWriteFailure(err, path, 'write the run record', runSpaceNeeded(this.model.countParams()));
    }
  }

  /** Runs a write into the run folder; a full or read-only disk becomes a DiskError naming the path and the space needed. */
  private async writing(action: string, path: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (err) {
      const e = describeWriteFailure(err, path, action, runSpaceNeeded(this.model.countParams()));
      const kept = this.record.epochsCompleted > 0 ? ` The checkpoints of epoch ${this.record.epochsCompleted} are kept.` : '';
      if (e instanceof DiskError) throw new DiskError(e.message + kept);
      throw e;
    }
  }

  private progress(phase: 'validating' | 'saving', message: string, fraction: number | null): void {
    this.init.emit({ type: 'progress', runId: this.runId, phase, message, fraction });
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.init.emit({ type: 'log', runId: this.runId, level, message });
  }
}
