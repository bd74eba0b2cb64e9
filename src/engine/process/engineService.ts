/**
 * The engine's request handlers, independent of the transport: one training at a time (running in the
 * background after `startTraining` answers), evaluation, prediction and feature maps on demand.
 */
import { resolve } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import type { ModelFile } from '../../core/format';
import type { ActivationsParams, ActivationsResult, EngineApi, EngineBackendInfo, EngineEvent, EngineStatus, ResolvedConfig, RunControlResult, RunSummary } from '../../protocol/engine';
import type { RpcHandlers } from '../../protocol/rpc';
import { getBackendInfo, getTf, initBackend } from '../backend/selectBackend';
import type { Tf } from '../backend/tfNamespace';
import { samplePixels, type LoadedDataset } from '../data/dataset';
import { DatasetError, EngineUserError } from '../data/errors';
import { DatasetDescriber } from '../data/describeDataset';
import { decodeImages } from '../data/imageFolder';
import { loadDataset } from '../data/loadDataset';
import { computeActivations } from '../eval/activations';
import { evaluateRun } from '../eval/evaluate';
import { predictImages } from '../eval/predict';
import { loadRunModel, openRun, pickCheckpoint } from '../eval/runModel';
import { listRuns } from '../runs/runStore';
import { prepareTraining, runPrepared, type PreparedRun } from '../train/session';
import type { TrainingOutcome } from '../train/trainer';

interface CurrentRun {
  readonly prepared: PreparedRun;
  readonly done: Promise<TrainingOutcome>;
}

/** A run's model and validation data kept for repeated feature-map requests (the dashboard steps through samples). */
interface ProbeCache {
  readonly key: string;
  readonly model: LayersModel;
  readonly modelFile: ModelFile;
  readonly config: ResolvedConfig;
  dataset: LoadedDataset | null;
}

export class EngineService {
  private current: CurrentRun | null = null;
  /** Set while a run is starting (backend, data, model); aborting it cancels the start. */
  private starting: AbortController | null = null;
  private probeCache: ProbeCache | null = null;
  private readonly describer = new DatasetDescriber();

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  handlers(): RpcHandlers<EngineApi> {
    return {
      startTraining: async (params) => {
        if (this.current || this.starting) {
          throw new EngineUserError('busy', `A training run is already going (${this.current?.prepared.started.runDir ?? 'starting'}). Stop it first, or wait for it to finish.`);
        }
        const starting = new AbortController();
        this.starting = starting;
        try {
          this.dropProbeCache();
          const prepared = await prepareTraining(params, { emit: this.emit, signal: starting.signal });
          const done = runPrepared(prepared).finally(() => {
            if (this.current?.prepared === prepared) this.current = null;
          });
          this.current = { prepared, done };
          return prepared.started;
        } finally {
          this.starting = null;
        }
      },
      pause: (p) => this.control(p.runId, (t) => t.pause()),
      resume: (p) => this.control(p.runId, (t) => t.resume()),
      stop: (p) => {
        if (!this.current && this.starting && p.runId === undefined) {
          // Still loading data or building: cancel the start; startTraining then rejects with 'cancelled'.
          this.starting.abort();
          return { runId: null, status: 'stopped' };
        }
        return this.control(p.runId, (t) => {
          t.stop();
          return t.status;
        });
      },
      evaluate: async (p) => evaluateRun(await this.tf(), p, (message) => this.emit({ type: 'progress', runId: null, phase: 'evaluating', message, fraction: null })),
      predict: async (p) => predictImages(await this.tf(), p),
      describeDataset: (p) => this.describer.describe(p),
      activations: (p) => this.activations(p),
      listRuns: (p): RunSummary[] => listRuns(p.runsRoot),
      status: (): EngineStatus => ({
        pid: process.pid,
        backend: (getBackendInfo() as EngineBackendInfo | undefined) ?? null,
        currentRun: this.current
          ? { runId: this.current.prepared.started.runId, runDir: this.current.prepared.started.runDir, status: this.current.prepared.trainer.status }
          : null,
      }),
      shutdown: async () => {
        await this.stopAndWait('The engine was shut down.');
        return { ok: true };
      },
    };
  }

  /** Stops the current run (kept as 'stopped') and waits until its files are written. */
  async stopAndWait(message: string): Promise<void> {
    const run = this.current;
    if (!run) return;
    run.prepared.trainer.stop(message);
    await run.done;
  }

  private control(runId: string | undefined, act: (t: PreparedRun['trainer']) => RunControlResult['status']): RunControlResult {
    const run = this.current;
    if (!run || (runId !== undefined && runId !== run.prepared.started.runId)) {
      throw new EngineUserError('no-run', runId ? `Run '${runId}' is not training in this engine.` : 'No run is training.');
    }
    const status = act(run.prepared.trainer);
    return { runId: run.prepared.started.runId, status };
  }

  /** The backend of the current run, else whatever is active, else 'auto'. */
  private async tf(): Promise<Tf> {
    if (!getBackendInfo()) await initBackend('auto');
    return getTf();
  }

  private dropProbeCache(): void {
    this.probeCache?.model.dispose();
    this.probeCache = null;
  }

  private async activations(p: ActivationsParams): Promise<ActivationsResult> {
    const tf = await this.tf();
    const maxChannels = p.maxChannels ?? 64;
    if (p.target.kind === 'live') {
      const run = this.current;
      if (!run) throw new EngineUserError('no-run', 'No run is training; ask for a finished run\'s feature maps with its folder instead.');
      const { config, dataset } = run.prepared.trainer.context;
      const sample = await this.sample(p, config, dataset);
      return run.prepared.trainer.withModel(async (model) => computeActivations(tf, model, run.prepared.model, { ...sample, scale: config.inputScale, classNames: config.classNames, maxChannels, gradCamLayer: p.gradCamLayer }));
    }
    const opened = openRun(p.target.runDir);
    const checkpoint = pickCheckpoint(opened, p.target.checkpoint);
    const key = `${opened.runDir}#${checkpoint}#${opened.record.epochsCompleted}`;
    if (this.probeCache?.key !== key) {
      this.dropProbeCache();
      this.probeCache = { key, model: loadRunModel(tf, opened, checkpoint), modelFile: opened.model, config: opened.config, dataset: null };
    }
    const cache = this.probeCache!;
    if ('datasetIndex' in p.sample && !cache.dataset) {
      cache.dataset = await loadDataset(undefined, opened.runDir, {
        dataDir: cache.config.dataPath,
        inputShape: cache.config.inputShape,
        validationSplit: cache.config.validationSplit,
        seed: cache.config.seed,
      });
    }
    const sample = await this.sample(p, cache.config, cache.dataset);
    return computeActivations(tf, cache.model, cache.modelFile, { ...sample, scale: cache.config.inputScale, classNames: cache.config.classNames, maxChannels, gradCamLayer: p.gradCamLayer });
  }

  private async sample(p: ActivationsParams, config: ResolvedConfig, dataset: LoadedDataset | null): Promise<{ pixels: Uint8Array; shape: ResolvedConfig['inputShape']; samplePath: string | null; trueClass: string | null }> {
    if ('imagePath' in p.sample) {
      const path = resolve(p.sample.imagePath);
      const { set, skipped } = await decodeImages([path], [0], { shape: config.inputShape });
      if (skipped.length) throw new DatasetError(`Cannot read '${path}': ${skipped[0]!.reason}. Pick a PNG, JPEG or WebP image.`);
      return { pixels: set.pixels, shape: config.inputShape, samplePath: path, trueClass: null };
    }
    const subset = dataset!.validation.indices.length ? dataset!.validation : dataset!.train;
    const i = p.sample.datasetIndex;
    if (!Number.isInteger(i) || i < 0 || i >= subset.indices.length) {
      throw new EngineUserError('dataset', `Sample ${i} does not exist: the validation set has ${subset.indices.length} samples (0–${subset.indices.length - 1}).`);
    }
    const idx = subset.indices[i]!;
    return {
      pixels: samplePixels(subset, i),
      shape: config.inputShape,
      samplePath: subset.set.paths ? subset.set.paths[idx]! : null,
      trueClass: config.classNames[subset.set.labels[idx]!] ?? null,
    };
  }
}
