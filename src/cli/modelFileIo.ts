/**
 * Reading a model file for CLI commands, and printing diagnostics the way compilers do
 * (`file: error [code] node 'conv3': message`), so editors and CI logs can pick them up.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostics';
import type { ModelFile } from '../core/format';
import { parseModelText } from '../core/loader';
import { describeSystemError } from '../core/systemError';
import { CliError } from './command';

export interface LoadedModelFile {
  path: string;
  model: ModelFile | null;
  /** The loader's diagnostics (syntax, version, schema). */
  diagnostics: Diagnostic[];
}

export function readModelFile(path: string): LoadedModelFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`No such file: ${path}. Create a model with 'cnn-studio new tutorial-cifar ${path}'.`);
    if (code === 'EISDIR') throw new CliError(`${path} is a folder; give the path of a .cnn.json model file.`);
    throw describeSystemError(err) ?? new CliError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  const { model, diagnostics } = parseModelText(text);
  return { path, model, diagnostics };
}

/**
 * Writes a command's output file (creating its folder); a refusal of the system (full disk, read-only,
 * a file where a folder should be) is told with the path and the fix, even for a `write` that carries no path.
 */
export function writeOutputFile(path: string, text: string): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, text);
  } catch (err) {
    throw describeSystemError(err, path) ?? err;
  }
}

export function formatDiagnostic(path: string, d: Diagnostic): string {
  return `${path}: ${d.severity} [${d.code}]${d.nodeId !== null ? ` node '${d.nodeId}'` : ''}: ${d.message}`;
}

/** "2 errors, 1 warning" (nothing for zero). */
export function countText(diagnostics: readonly Diagnostic[]): string {
  const n = (s: Diagnostic['severity']): number => diagnostics.filter((d) => d.severity === s).length;
  const parts: string[] = [];
  const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;
  if (n('error')) parts.push(plural(n('error'), 'error'));
  if (n('warning')) parts.push(plural(n('warning'), 'warning'));
  if (n('info')) parts.push(plural(n('info'), 'note'));
  return parts.join(', ');
}
