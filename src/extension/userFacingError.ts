/** Errors meant for the user: shown as they are, with an optional button for the next step. No vscode import (pure code throws these too). */
import { UserFacingError as CoreUserFacingError } from '../core/userFacingError';

export { isUserFacing } from '../core/userFacingError';

/** An error whose message is written for the user, optionally with a button that fixes or explains it. */
export class UserFacingError extends CoreUserFacingError {
  constructor(
    message: string,
    /** A button offered with the message; `run` is called when it is clicked. */
    readonly action?: { readonly title: string; readonly run: () => unknown },
  ) {
    super(message, 'UserFacingError');
  }
}


