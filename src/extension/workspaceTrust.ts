/**
 * Workspace trust: in an untrusted folder CNN Studio shows and edits models (they are data), but does
 * not train, evaluate or predict, because that runs code paths over files the folder chose (datasets,
 * weights) in a separate process. Training commands call `requireTrustedWorkspace` first.
 */
import * as vscode from 'vscode';
import { UserFacingError } from './userFacingError';

export function requireTrustedWorkspace(action: string): void {
  if (vscode.workspace.isTrusted) return;
  throw new UserFacingError(
    `${action} is disabled because this folder is not trusted (it runs the training engine on the folder's files). Designing and validating models still work; trust the folder to use ${action.toLowerCase()}.`,
    { title: 'Manage Workspace Trust', run: () => vscode.commands.executeCommand('workbench.trust.manage') },
  );
}
