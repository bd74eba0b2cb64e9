/** The dashboard's one connection to the host (the browser tests stand in for `acquireVsCodeApi`). */
import { connectToHost } from '../common/vscodeApi';
import type { DashboardHostMessage, DashboardWebviewMessage } from '../../src/protocol/dashboard';

/** The host is trusted, but a message without a string `type` is not one of ours (e.g. an extension's probe). */
function asHostMessage(raw: unknown): DashboardHostMessage | null {
  return typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string' ? (raw as DashboardHostMessage) : null;
}

const connection = connectToHost<DashboardWebviewMessage, DashboardHostMessage, undefined>(asHostMessage, () => undefined);

export function postToHost(message: DashboardWebviewMessage): void {
  connection.post(message);
}

export function onHostMessage(handler: (message: DashboardHostMessage) => void): () => void {
  return connection.onMessage(handler);
}
