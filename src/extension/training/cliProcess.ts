/**
 * Runs one `cnn-studio` CLI command (dist/cli.js) in a child Node process, for tasks the CLI already does
 * well (writing the sample dataset). The extension host's own Node runs it (ELECTRON_RUN_AS_NODE is set
 * for forked children by VS Code), so nothing extra is needed on the user's machine.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { UserFacingError } from '../userFacingError';

export function runCliCommand(extensionPath: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = fork(join(extensionPath, 'dist', 'cli.js'), [...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new UserFacingError(`Could not run cnn-studio ${args[0]}: ${e.message}`)));
    child.on('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new UserFacingError(`cnn-studio ${args[0]} failed: ${(err || out).trim().split('\n').slice(-3).join(' ') || `exit code ${code}`}`));
    });
  });
}
