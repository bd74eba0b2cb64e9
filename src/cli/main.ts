/**
 * The `cnn-studio` command line. Every command is a `CliCommand` in `commands/`; register it in
 * COMMANDS below. Errors meant for the user go to stderr without a stack trace unless `--verbose`.
 */
import * as os from 'node:os';
import { withSystemErrorExplained } from '../core/systemError';
import { isUserFacing } from '../core/userFacingError';
import { CliError, parseArgs, STOP_SIGNALS, type CliCommand, type CliIo, type StopSignal } from './command';
import { newCommand } from './commands/new';
import { summaryCommand } from './commands/summary';
import { validateCommand } from './commands/validate';
import { benchCommand } from './commands/bench';
import { trainCommand } from './commands/train';
import { evaluateCommand } from './commands/evaluate';
import { predictCommand } from './commands/predict';
import { makeDatasetCommand } from './commands/make-dataset';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';

// Registered commands, in the order `--help` lists them. Add one import line and one entry per command.
const COMMANDS: CliCommand[] = [
  newCommand,
  summaryCommand,
  validateCommand,
  benchCommand,
  trainCommand,
  evaluateCommand,
  predictCommand,
  makeDatasetCommand,
  exportCommand,
  importCommand,
];

function helpText(): string {
  const lines = ['Usage: cnn-studio <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  cnn-studio ${c.usage}`, `      ${c.description}`, '');
  lines.push('Global options: --verbose (stack traces on errors), --help (after a command: its usage)');
  return lines.join('\n') + '\n';
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const verbose = rest.includes('--verbose');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`Unknown command '${name}'. Run 'cnn-studio --help' for the list of commands.\n`);
    return 2;
  }
  const args = parseArgs(rest);
  if (args.flags.has('help')) {
    io.stdout(`Usage: cnn-studio ${command.usage}\n${command.description}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (thrown) {
    // A file operation the system refused (missing path, permission, full disk…) is the user's to fix.
    const err = withSystemErrorExplained(thrown);
    const e = err instanceof Error ? err : new Error(String(err));
    const userFacing = isUserFacing(e);
    io.stderr(`cnn-studio ${name}: ${userFacing ? e.message : `internal error: ${e.message}`}\n`);
    if (verbose && e.stack) io.stderr(e.stack + '\n');
    else if (!userFacing) io.stderr('Run again with --verbose for the stack trace.\n');
    return err instanceof CliError ? err.exitCode : 1;
  }
}

if (require.main === module) {
  // `cnn-studio summary m.cnn.json | head` closes our stdout early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // A closed terminal (SIGHUP) makes writes fail with EIO: the run still stops cleanly, unprinted.
    if (err.code === 'EIO') return;
    throw err;
  });
  process.stderr.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EIO' && err.code !== 'EPIPE') throw err;
  });
  const controller = new AbortController();
  let interrupts = 0;
  // Ctrl+C, `kill` (SIGTERM) and a closed terminal (SIGHUP) all ask the command to stop cleanly and keep
  // what it wrote; a second signal exits at once. The signal travels as the abort reason, so the run
  // says what stopped it, and the exit code is the shell's 128 + signal number.
  const stopOn = (signal: StopSignal) => {
    if (++interrupts > 1) process.exit(128 + os.constants.signals[signal]);
    process.stderr.write(signal === 'SIGINT' ? '\nStopping… (Ctrl+C again to quit at once)\n' : `\nStopping after the current batch (${signal})…\n`);
    controller.abort(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => stopOn(signal));
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTty: Boolean(process.stdout.isTTY),
    signal: controller.signal,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`cnn-studio: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
