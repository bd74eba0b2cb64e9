/**
 * Problems the user can fix (missing folder, empty class, shapes that cannot match the model, a bad
 * run folder). `userFacing` makes the CLI print the message without a stack trace; `code` travels in
 * RPC error replies so the extension can react to the kind of problem.
 */
import type { EngineErrorCode } from '../../protocol/engine';
import { UserFacingError } from '../../core/userFacingError';

export class EngineUserError extends UserFacingError {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message, 'EngineUserError');
  }
}

/** Thrown when the user cancels a run while it is still starting (loading data, building). */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineUserError('cancelled', 'Training was stopped before it started; nothing was written.');
}

export class DatasetError extends EngineUserError {
  constructor(message: string, code: 'dataset' | 'shape-mismatch' = 'dataset') {
    super(code, message);
    this.name = 'DatasetError';
  }
}
