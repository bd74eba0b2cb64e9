/**
 * The one place a webview talks to `acquireVsCodeApi()`: typed posting, typed (validated) receiving
 * and typed persisted view state. `acquireVsCodeApi` may be called only once per page, so every
 * webview calls `connectToHost` once in its entry point and passes the result down.
 */
import type { ParseResult } from '../../src/protocol/parseResult';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection<ToHost, FromHost, State> {
  post(message: ToHost): void;
  /** Calls `handler` for every message from the host that `parse` accepts; others are ignored. Returns an unsubscribe function. */
  onMessage(handler: (message: FromHost) => void): () => void;
  /** The view state saved by `saveState` before the page was hidden or reloaded, if `parseState` accepts it. */
  loadState(): State | undefined;
  saveState(state: State): void;
}

export function connectToHost<ToHost, FromHost, State>(
  parseMessage: (raw: unknown) => ParseResult<FromHost>,
  parseState: (raw: unknown) => State | undefined,
): HostConnection<ToHost, FromHost, State> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage(handler) {
      const listener = (event: MessageEvent): void => {
        const message = parseMessage(event.data);
        if (message.ok) handler(message.value);
      };
      window.addEventListener('message', listener);
      return () => window.removeEventListener('message', listener);
    },
    loadState: () => parseState(api.getState()),
    saveState: (state) => api.setState(state),
  };
}
