/**
 * Starts the engine process (`dist/engine.js`) and talks to it: typed methods for every `EngineApi`
 * request, one listener list for events, and a typed `engineCrashed` event (exit code, signal, last
 * stderr lines) when the process dies unexpectedly — plus `runInterrupted` if a run was going.
 * Node only, no vscode: the extension host and the tests both use it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type {
  EngineApi,
  EngineClientEvent,
  EngineEvent,
  EngineParams,
  EngineResult,
  EngineMethod,
} from '../../protocol/engine';
import { RpcClient, type CallOptions, type RpcTransport } from '../../protocol/rpc';

export interface EngineClientOptions {
  /** The bundled engine; default `engine.js` beside this bundle (dist/). */
  readonly enginePath?: string;
  /** Extra environment for the engine process. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default timeout for short requests (ms); training itself is never timed out. Default 120 s. */
  readonly requestTimeoutMs?: number;
  /** stderr lines kept for crash reports. Default 40. */
  readonly stderrLines?: number;
}

export interface EngineExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Requests that may legitimately take long (loading a big dataset, evaluating it). */
const LONG_METHODS: ReadonlySet<EngineMethod> = new Set(['startTraining', 'evaluate', 'predict', 'activations', 'shutdown']);

export class EngineClient {
  readonly process: ChildProcess;
  /** Resolves when the process has exited, for whatever reason. */
  readonly exited: Promise<EngineExit>;
  private readonly rpc: RpcClient<EngineApi, EngineEvent>;
  private readonly listeners = new Set<(event: EngineClientEvent) => void>();
  private readonly stderrTail: string[] = [];
  private stderrPartial = '';
  private disposing = false;
  private activeRun: { runId: string; runDir: string } | null = null;
  private readonly timeoutMs: number;

  constructor(options: EngineClientOptions = {}) {
    const enginePath = options.enginePath ?? join(__dirname, 'engine.js');
    const keep = options.stderrLines ?? 40;
    this.timeoutMs = options.requestTimeoutMs ?? 120_000;
    // 'advanced' serialisation (structured clone) so feature maps arrive as Uint8Arrays, not JSON objects.
    this.process = fork(enginePath, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
      env: { ...process.env, ...options.env },
    });
    this.process.stdout?.resume(); // tfjs may print banners; nobody needs them, but the pipe must drain
    this.process.stderr?.setEncoding('utf8');
    this.process.stderr?.on('data', (chunk: string) => {
      const lines = (this.stderrPartial + chunk).split('\n');
      this.stderrPartial = lines.pop() ?? '';
      this.stderrTail.push(...lines.filter((l) => l.trim() !== ''));
      if (this.stderrTail.length > keep) this.stderrTail.splice(0, this.stderrTail.length - keep);
    });
    const child = this.process;
    const transport: RpcTransport = {
      send: (m) => {
        if (!child.connected) throw new Error('The engine process is not running.');
        child.send(m);
      },
      onMessage: (listener) => {
        child.on('message', listener);
        return () => child.off('message', listener);
      },
    };
    this.rpc = new RpcClient<EngineApi, EngineEvent>(transport, 0);
    this.rpc.onEvent((e) => this.onEngineEvent(e));
    this.exited = new Promise<EngineExit>((resolve) => {
      child.once('exit', (code, signal) => {
        if (this.stderrPartial.trim()) this.stderrTail.push(this.stderrPartial);
        this.onExit(code, signal);
        resolve({ code, signal });
      });
      child.once('error', (err) => {
        this.stderrTail.push(String(err));
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** The run being trained, as far as the events tell. */
  get currentRun(): { readonly runId: string; readonly runDir: string } | null {
    return this.activeRun;
  }

  onEvent(listener: (event: EngineClientEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the first event matching `predicate` (tests, scripts). */
  waitFor<T extends EngineClientEvent>(predicate: (e: EngineClientEvent) => e is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (e: EngineClientEvent) => boolean, timeoutMs?: number): Promise<EngineClientEvent>;
  waitFor(predicate: (e: EngineClientEvent) => boolean, timeoutMs = 60_000): Promise<EngineClientEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`No matching engine event within ${timeoutMs} ms.`));
      }, timeoutMs);
      const off = this.onEvent((e) => {
        if (!predicate(e)) return;
        clearTimeout(timer);
        off();
        resolve(e);
      });
    });
  }

  call<M extends EngineMethod>(method: M, params: EngineParams<M>, options?: CallOptions): Promise<EngineResult<M>> {
    const timeoutMs = options?.timeoutMs ?? (LONG_METHODS.has(method) ? 0 : this.timeoutMs);
    return this.rpc.call(method, params as never, { timeoutMs }) as Promise<EngineResult<M>>;
  }

  startTraining(params: EngineParams<'startTraining'>) {
    return this.call('startTraining', params);
  }
  pause(params: EngineParams<'pause'> = {}) {
    return this.call('pause', params);
  }
  resume(params: EngineParams<'resume'> = {}) {
    return this.call('resume', params);
  }
  stop(params: EngineParams<'stop'> = {}) {
    return this.call('stop', params);
  }
  evaluate(params: EngineParams<'evaluate'>) {
    return this.call('evaluate', params);
  }
  predict(params: EngineParams<'predict'>) {
    return this.call('predict', params);
  }
  activations(params: EngineParams<'activations'>) {
    return this.call('activations', params);
  }
  describeDataset(params: EngineParams<'describeDataset'>) {
    return this.call('describeDataset', params);
  }
  listRuns(params: EngineParams<'listRuns'>) {
    return this.call('listRuns', params);
  }
  status() {
    return this.call('status', {});
  }

  /**
   * Stops any run cleanly (it is kept as 'stopped'), then lets the process exit; kills it if it does
   * not within `graceMs`.
   */
  async dispose(graceMs = 10_000): Promise<EngineExit> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return this.exited;
    this.disposing = true;
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    try {
      if (this.process.connected) {
        await this.rpc.call('shutdown', {}, { timeoutMs: graceMs }).catch(() => undefined);
        if (this.process.connected) this.process.disconnect();
      } else {
        this.process.kill('SIGTERM');
      }
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process at once (e.g. the user forces it); reported like a crash unless disposing. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.process.kill(signal);
  }

  private emit(event: EngineClientEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // a listener's bug must not stop the others
      }
    }
  }

  private onEngineEvent(event: EngineEvent): void {
    if (event.type === 'runStarted') this.activeRun = { runId: event.runId, runDir: event.runDir };
    if ((event.type === 'runFinished' || event.type === 'runInterrupted') && this.activeRun?.runId === event.runId) this.activeRun = null;
    this.emit(event);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    const tail = [...this.stderrTail];
    const oom = tail.some((l) => /heap out of memory|Allocation failed|Out of memory|RangeError: Array buffer allocation failed/i.test(l));
    const expected = this.disposing && (code === 0 || signal === 'SIGKILL' || code === 143);
    const run = this.activeRun;
    if (!expected) {
      const message = oom
        ? `The training engine ran out of memory and ${how}. Lower the batch size or the image size, or use a smaller model.`
        : `The training engine ${how} unexpectedly.${tail.length ? ` Last output: ${tail[tail.length - 1]}` : ''}`;
      this.emit({ type: 'engineCrashed', exitCode: code, signal, stderrTail: tail, runId: run?.runId ?? null, message });
    }
    if (run) {
      this.activeRun = null;
      this.emit({
        type: 'runInterrupted',
        runId: run.runId,
        runDir: run.runDir,
        message: `The engine ${how} during the run; finished epochs are kept and the run can be continued from its last checkpoint.`,
      });
    }
    this.rpc.dispose(`the engine process ${how}`);
    this.listeners.clear();
  }
}
