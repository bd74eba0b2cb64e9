/**
 * The one base for errors whose message is written for the user: it names the problem and the fix.
 * The CLI prints such an error without a stack trace, the extension shows it as it is, and the engine's
 * RPC carries the flag across the process boundary. Each domain subclasses it (ModelEditError,
 * DatasetError, …) to add what callers branch on, such as a code.
 */
export class UserFacingError extends Error {
  readonly userFacing = true;
  constructor(message: string, name = 'UserFacingError') {
    super(message);
    // Set explicitly: minified bundles rename classes, and the name shows in logs.
    this.name = name;
  }
}

/** Also true for errors that crossed a process boundary as plain objects flagged `userFacing`. */
export function isUserFacing(err: unknown): err is Error & { userFacing: true } {
  return err instanceof Error && (err as { userFacing?: unknown }).userFacing === true;
}
