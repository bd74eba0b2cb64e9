/**
 * One small request/response helper for every channel (engine process over Node IPC, webviews over
 * postMessage): correlation ids, error replies, timeouts, and pending requests rejected when the
 * channel is disposed or the other side exits. Events flow one way (server → client) beside replies.
 *
 * The API is a plain interface of `method(params): result` (see `EngineApi`); this file derives the
 * typed client and handler table from it, so a method's params and result are written exactly once.
 */
import { withSystemErrorExplained } from '../core/systemError';

/** An interface whose members are all one-argument methods (checked against itself, so interfaces qualify). */
export type RpcApi<A> = { [M in keyof A]: (params: never) => unknown };

export type RpcParams<A extends RpcApi<A>, M extends keyof A> = A[M] extends (params: infer P) => unknown ? P : never;
export type RpcResult<A extends RpcApi<A>, M extends keyof A> = A[M] extends (params: never) => infer R ? Awaited<R> : never;

/** A serialisable error: what a failed request answers with. */
export interface RpcErrorData {
  readonly message: string;
  readonly code: string;
  /** The message is meant for the user as is (no stack trace needed). */
  readonly userFacing: boolean;
  readonly stack?: string;
}

export interface RpcRequestMessage {
  readonly type: 'rpc/request';
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

export type RpcResponseMessage =
  | { readonly type: 'rpc/response'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'rpc/response'; readonly id: number; readonly ok: false; readonly error: RpcErrorData };

export interface RpcEventMessage<E> {
  readonly type: 'rpc/event';
  readonly event: E;
}

export type RpcMessage<E = unknown> = RpcRequestMessage | RpcResponseMessage | RpcEventMessage<E>;

/** How messages move: `process.send`/`child.on('message')`, `postMessage`/`onDidReceiveMessage`, … */
export interface RpcTransport {
  send(message: RpcMessage): void;
  /** Subscribes; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

/** A rejected request: carries the other side's code and user-facing flag. */
export class RpcError extends Error {
  readonly code: string;
  readonly userFacing: boolean;
  constructor(data: RpcErrorData) {
    super(data.message);
    this.name = 'RpcError';
    this.code = data.code;
    this.userFacing = data.userFacing;
    if (data.stack) this.stack = data.stack;
  }
}

export function isRpcMessage(value: unknown): value is RpcMessage {
  if (typeof value !== 'object' || value === null) return false;
  const t = (value as { type?: unknown }).type;
  return t === 'rpc/request' || t === 'rpc/response' || t === 'rpc/event';
}

/** Turns anything thrown into the wire form; errors with `userFacing`/`code` keep them. */
export function toRpcErrorData(thrown: unknown): RpcErrorData {
  // A file operation the system refused crosses as the user-facing message naming the path and the fix.
  const err = withSystemErrorExplained(thrown);
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; userFacing?: unknown };
    return {
      message: e.message,
      code: typeof e.code === 'string' ? e.code : 'internal',
      userFacing: e.userFacing === true,
      stack: e.stack,
    };
  }
  return { message: String(err), code: 'internal', userFacing: false };
}

export interface CallOptions {
  /** Reject after this many ms (default: the client's `defaultTimeoutMs`; 0 = never). */
  readonly timeoutMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  method: string;
}

/** The calling side: `client.call('predict', {...})` is typed by the API interface. */
export class RpcClient<A extends RpcApi<A>, E> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: E) => void>();
  private readonly unsubscribe: () => void;
  private disposedReason: string | null = null;

  constructor(
    private readonly transport: RpcTransport,
    private readonly defaultTimeoutMs = 0,
  ) {
    this.unsubscribe = transport.onMessage((m) => this.receive(m));
  }

  call<M extends keyof A & string>(method: M, params: RpcParams<A, M>, options: CallOptions = {}): Promise<RpcResult<A, M>> {
    if (this.disposedReason !== null) {
      return Promise.reject(new RpcError({ message: this.disposedReason, code: 'disposed', userFacing: true }));
    }
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<RpcResult<A, M>>((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              this.pending.delete(id);
              reject(new RpcError({ message: `'${method}' got no answer within ${timeoutMs} ms.`, code: 'timeout', userFacing: true }));
            }, timeoutMs)
          : undefined;
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer, method });
      try {
        this.transport.send({ type: 'rpc/request', id, method, params });
      } catch (err) {
        this.settle(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  onEvent(listener: (event: E) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Rejects every pending request with `reason` (e.g. "the engine process exited") and stops listening. */
  dispose(reason = 'The connection was closed.'): void {
    if (this.disposedReason !== null) return;
    this.disposedReason = reason;
    this.unsubscribe();
    for (const [id, p] of [...this.pending]) {
      this.settle(id);
      p.reject(new RpcError({ message: `'${p.method}' did not complete: ${reason}`, code: 'disposed', userFacing: true }));
    }
    this.eventListeners.clear();
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    return p;
  }

  private receive(message: unknown): void {
    if (!isRpcMessage(message)) return;
    if (message.type === 'rpc/response') {
      const p = this.settle(message.id);
      if (!p) return; // timed out already, or not ours
      if (message.ok) p.resolve(message.result);
      else p.reject(new RpcError(message.error));
    } else if (message.type === 'rpc/event') {
      for (const l of [...this.eventListeners]) l(message.event as E);
    }
  }
}

/** One handler per API method; may return the result or a promise of it. */
export type RpcHandlers<A extends RpcApi<A>> = {
  [M in keyof A]: (params: RpcParams<A, M>) => RpcResult<A, M> | Promise<RpcResult<A, M>>;
};

/** The serving side: answers requests with its handlers and pushes events. */
export class RpcServer<A extends RpcApi<A>, E> {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly transport: RpcTransport,
    private readonly handlers: RpcHandlers<A>,
  ) {
    this.unsubscribe = transport.onMessage((m) => void this.receive(m));
  }

  emit(event: E): void {
    this.transport.send({ type: 'rpc/event', event });
  }

  dispose(): void {
    this.unsubscribe();
  }

  private async receive(message: unknown): Promise<void> {
    if (!isRpcMessage(message) || message.type !== 'rpc/request') return;
    const { id, method } = message;
    const handler = Object.prototype.hasOwnProperty.call(this.handlers, method)
      ? (this.handlers[method as keyof A] as (p: unknown) => unknown)
      : undefined;
    if (!handler) {
      this.reply({ type: 'rpc/response', id, ok: false, error: { message: `Unknown method '${method}'.`, code: 'internal', userFacing: false } });
      return;
    }
    try {
      const result = await handler.call(this.handlers, message.params);
      this.reply({ type: 'rpc/response', id, ok: true, result });
    } catch (err) {
      this.reply({ type: 'rpc/response', id, ok: false, error: toRpcErrorData(err) });
    }
  }

  private reply(message: RpcResponseMessage): void {
    try {
      this.transport.send(message);
    } catch {
      // The other side is gone; nobody is waiting for this answer any more.
    }
  }
}

/** The transport over Node IPC on the child's side (`process.send` / `process.on('message')`). */
export function processTransport(proc: NodeLikeProcess): RpcTransport {
  return {
    send: (m) => {
      if (proc.send && proc.connected !== false) proc.send(m);
    },
    onMessage: (listener) => {
      proc.on('message', listener);
      return () => proc.off('message', listener);
    },
  };
}

/** The parts of `process` / `ChildProcess` the IPC transport uses (kept structural so webviews can compile this file). */
export interface NodeLikeProcess {
  send?: (message: unknown) => unknown;
  connected?: boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}
