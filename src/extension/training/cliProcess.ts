/**
 * Runs one `cnn-studio` CLI command (dist/cli.js) in a child Node process, for tasks the CLI already does
 * well (writing the sample dataset, importing a model with its weights). The extension host's own Node
 * runs it (ELECTRON_RUN_AS_NODE is set for forked children by VS Code), so nothing extra is needed on the
 * user's machine.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { UserFacingError } from '../userFacingError';

export interface CliProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command's exit code and output, whatever the exit code (for commands that answer in JSON either way). */
export function runCliProcess(extensionPath: string, args: readonly string[]): Promise<CliProcessResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(extensionPath, 'dist', 'cli.js'), [...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => reject(new UserFacingError(`Could not run cnn-studio ${args[0]}: ${e.message}`)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The command's stdout; a failure becomes a UserFacingError with the command's last lines. */
export async function runCliCommand(extensionPath: string, args: readonly string[]): Promise<string> {
  const { code, stdout, stderr } = await runCliProcess(extensionPath, args);
  if (code === 0) return stdout;
  throw new UserFacingError(`cnn-studio ${args[0]} failed: ${(stderr || stdout).trim().split('\n').slice(-3).join(' ') || `exit code ${code}`}`);
}
