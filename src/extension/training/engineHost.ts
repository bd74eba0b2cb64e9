/**
 * Owns the engine process for the extension: forks it on first use (dist/engine.js), forwards its events
 * to one stable listener list, and forks a fresh one after a crash — so the session never holds a dead
 * client. Disposed (stopping any run cleanly) when the extension deactivates.
 */
import { join } from 'node:path';
import { EngineClient } from '../../engine/client/engineClient';
import type { EngineClientEvent, EngineMethod, EngineParams, EngineResult } from '../../protocol/engine';
import type { TrainingEngine } from './trainingEngine';

export class EngineHost implements TrainingEngine {
  private client: EngineClient | null = null;
  private readonly listeners = new Set<(e: EngineClientEvent) => void>();

  constructor(private readonly extensionPath: string) {}

  call<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>> {
    return this.ensure().call(method, params);
  }

  onEvent(listener: (e: EngineClientEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get pid(): number | undefined {
    return this.client?.pid;
  }

  private ensure(): EngineClient {
    if (this.client) return this.client;
    const client = new EngineClient({ enginePath: join(this.extensionPath, 'dist', 'engine.js'), env: { ELECTRON_RUN_AS_NODE: '1' } });
    client.onEvent((e) => {
      for (const l of [...this.listeners]) l(e);
    });
    void client.exited.then(() => {
      if (this.client === client) this.client = null;
    });
    this.client = client;
    return client;
  }

  async dispose(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.dispose(5000);
  }
}
