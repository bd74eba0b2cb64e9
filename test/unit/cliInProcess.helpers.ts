/** The CLI run in this process (real commands, real files, no child process): its exit code and output. */
import type { CliIo } from '../../src/cli/command';
import { runCli } from '../../src/cli/main';

export async function cliInProcess(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTty: false, signal: new AbortController().signal };
  const code = await runCli(argv, io);
  return { code, out, err };
}
