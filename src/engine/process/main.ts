/**
 * The engine process (`dist/engine.js`), forked by the extension host (or a test) through
 * `EngineClient`. It serves `EngineApi` over Node IPC and pushes `EngineEvent`s. When the parent goes
 * away or asks it to stop, a running training is stopped cleanly first, so its run stays readable.
 */
import type { EngineApi, EngineEvent } from '../../protocol/engine';
import { processTransport, RpcServer } from '../../protocol/rpc';
import { EngineService } from './engineService';

if (!process.send) {
  process.stderr.write('dist/engine.js is the CNN Studio engine process; start it through EngineClient (child_process.fork with an IPC channel).\n');
  process.exit(2);
}

let server: RpcServer<EngineApi, EngineEvent> | undefined;
const service = new EngineService((event) => server?.emit(event));
server = new RpcServer<EngineApi, EngineEvent>(processTransport(process), service.handlers());

let exiting = false;
function exitCleanly(reason: string, code: number): void {
  if (exiting) return;
  exiting = true;
  service.stopAndWait(reason).finally(() => process.exit(code));
}

process.on('disconnect', () => exitCleanly('The editor closed the engine.', 0));
process.on('SIGTERM', () => exitCleanly('The engine was terminated (SIGTERM).', 143));
process.on('SIGINT', () => exitCleanly('The engine was interrupted (SIGINT).', 130));
process.on('unhandledRejection', (reason) => {
  const message = reason instanceof Error ? reason.message : String(reason);
  server?.emit({ type: 'error', runId: null, code: 'internal', message: `Unhandled error in the engine: ${message}`, userFacing: false });
});
