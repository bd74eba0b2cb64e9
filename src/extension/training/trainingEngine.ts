/**
 * What the training feature needs of the engine: typed calls and its event stream. The engine client
 * (`src/engine/client/engineClient.ts`, an RpcClient over the forked engine process) satisfies it; so
 * does anything else that speaks `EngineApi`, which keeps this feature independent of how the engine runs.
 */
import type { EngineClientEvent, EngineMethod, EngineParams, EngineResult } from '../../protocol/engine';

export interface TrainingEngine {
  call<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>>;
  onEvent(listener: (event: EngineClientEvent) => void): () => void;
}
