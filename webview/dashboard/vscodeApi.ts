/** The dashboard's one connection to the host (the browser tests stand in for `acquireVsCodeApi`). */
import { connectToHost } from '../common/vscodeApi';
import { parseHostToDashboard, type DashboardToHost, type HostToDashboard } from '../../src/protocol/dashboard';

const connection = connectToHost<DashboardToHost, HostToDashboard, undefined>(parseHostToDashboard, () => undefined);

export function postToHost(message: DashboardToHost): void {
  connection.post(message);
}

export function onHostMessage(handler: (message: HostToDashboard) => void): () => void {
  return connection.onMessage(handler);
}
