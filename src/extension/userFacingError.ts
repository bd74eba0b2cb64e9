/** Errors meant for the user: shown as they are, with an optional button for the next step. No vscode import (pure code throws these too). */

/** An error whose message is written for the user, optionally with a button that fixes or explains it. */
export class UserFacingError extends Error {
  readonly userFacing = true;
  constructor(
    message: string,
    /** A button offered with the message; `run` is called when it is clicked. */
    readonly action?: { readonly title: string; readonly run: () => unknown },
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

export function isUserFacing(err: unknown): err is Error & { userFacing: true } {
  return err instanceof Error && (err as { userFacing?: unknown }).userFacing === true;
}

