/**
 * Every command goes through here: an error thrown by a command becomes a notification that says what
 * went wrong and offers the next step, instead of VS Code's generic "command failed" (pattern:
 * hediet/vscode-drawio's registerFailableCommand). Errors marked `userFacing` (our typed errors) are
 * shown as they are; anything else is a bug, logged with its stack to the "CNN Studio" output channel.
 */
import * as vscode from 'vscode';
import { withSystemErrorExplained } from '../core/systemError';
import type { OutputLog } from './outputLog';
import { isUserFacing, UserFacingError } from './userFacingError';
import { requireTrustedWorkspace } from './workspaceTrust';

/** Command arguments come from VS Code untyped; each handler declares what it accepts and checks it. */
type CommandHandler = (...args: never[]) => unknown;

export interface FailableCommandOptions {
  /**
   * The command runs code over the folder's files (training, evaluation, prediction, the engine
   * process): in an untrusted folder it refuses with a message naming this action, e.g. "Training".
   */
  readonly requiresTrust?: string;
}

export function registerFailableCommand(id: string, handler: CommandHandler, log: OutputLog, options: FailableCommandOptions = {}): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      if (options.requiresTrust) requireTrustedWorkspace(options.requiresTrust);
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (err) {
      reportCommandError(id, err, log);
      return undefined;
    }
  });
}

/**
 * Shows the error without waiting for the user: a command's promise must settle when the command is
 * done, not when someone dismisses a notification.
 */
export function reportCommandError(id: string, thrown: unknown, log: OutputLog): void {
  // A file operation the system refused (missing path, permission, full disk…) is the user's to fix.
  const err = withSystemErrorExplained(thrown);
  if (isUserFacing(err)) {
    log.line(`${id}: ${err.message}`);
    const action = err instanceof UserFacingError ? err.action : undefined;
    void vscode.window.showErrorMessage(err.message, ...(action ? [action.title] : [])).then((picked) => {
      if (action && picked === action.title) return action.run();
      return undefined;
    });
    return;
  }
  log.error(`${id} failed`, err);
  const message = err instanceof Error ? err.message : String(err);
  const showLog = 'Show Log';
  void vscode.window
    .showErrorMessage(`CNN Studio: "${id}" failed unexpectedly: ${message}. The log has the details; please report it with the log attached.`, showLog)
    .then((picked) => (picked === showLog ? log.show() : undefined));
}
