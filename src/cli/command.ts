/**
 * What every CLI command provides. Each command lives in its own file under `commands/` and is listed
 * once in `main.ts`; argument parsing is shared so flags behave the same everywhere.
 */
import { UserFacingError } from '../core/userFacingError';

export interface ParsedArgs {
  /** Positional arguments after the command name. */
  positionals: string[];
  /** `--flag value` and `--flag=value` as strings; bare `--flag` as `true`. */
  flags: Map<string, string | true>;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stdout is a terminal (progress bars are drawn only then). */
  isTty: boolean;
  /**
   * Aborted on Ctrl+C, SIGTERM or SIGHUP (the reason is the StopSignal's name); long-running commands
   * stop cleanly and keep what they wrote.
   */
  signal: AbortSignal;
}

/** The signals that stop a command cleanly. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** How a stopped run says what stopped it, and the exit code a shell expects (128 + the signal's number). */
export function stopReason(signal: AbortSignal): { message: string; exitCode: number } {
  const reason: unknown = signal.reason;
  if (reason === 'SIGTERM') return { message: 'Stopped by SIGTERM.', exitCode: 143 };
  if (reason === 'SIGHUP') return { message: 'Stopped by SIGHUP.', exitCode: 129 };
  return { message: 'Stopped with Ctrl+C.', exitCode: 130 };
}

export interface CliCommand {
  name: string;
  /** One line shown by `cnn-studio --help`, e.g. `summary <file> [--json]`. */
  usage: string;
  description: string;
  /** Resolves to the process exit code. Throws `CliError` (or any typed user error) for bad input. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** An error whose message is meant for the user; printed without a stack trace unless `--verbose`. */
export class CliError extends UserFacingError {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message, 'CliError');
  }
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags.set(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--') && !BOOLEAN_FLAGS.has(a.slice(2))) {
          flags.set(a.slice(2), next);
          i++;
        } else {
          flags.set(a.slice(2), true);
        }
      }
    } else {
      positionals.push(a);
    }
  }
  return { positionals, flags };
}

/** Flags that never take a value, so `--json file` keeps `file` positional. */
const BOOLEAN_FLAGS = new Set(['json', 'verbose', 'help', 'force', 'no-progress', 'continue', 'resume', 'no-weights']);

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  if (v === true) throw new CliError(`--${name} needs a value, e.g. --${name} VALUE.`);
  return v;
}

export function flagInt(args: ParsedArgs, name: string, min = 1): number | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be a whole number ≥ ${min}, got '${v}'.`);
  return n;
}

export function flagBool(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) !== undefined;
}

export function requirePositional(args: ParsedArgs, index: number, what: string, usage: string): string {
  const v = args.positionals[index];
  if (v === undefined) throw new CliError(`Missing ${what}. Usage: cnn-studio ${usage}`);
  return v;
}
