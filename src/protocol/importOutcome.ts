/**
 * What `cnn-studio import --json` prints (one JSON object on stdout, also when the import is refused), so
 * that VS Code shows the same grouped report as the CLI and offers "Import with Pass-throughs" when the
 * file has layers CNN Studio cannot represent.
 */
import type { ImportSummary } from '../core/import/importReport';
import type { UnsupportedLayer } from '../core/import/importNotes';

export type ImportedWeights = { kind: 'run'; runDir: string; tensors: number } | { kind: 'skipped'; reason: string };

export type ImportOutcome =
  | { ok: true; out: string; summary: ImportSummary; weights: ImportedWeights | null }
  /** `unsupported` is set when the layers listed stopped the import (a `--bridge` import would go on). */
  | { ok: false; message: string; unsupported: { layers: UnsupportedLayer[]; totalLayers: number } | null };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The outcome in the CLI's stdout, or null when the text is not one. */
export function parseImportOutcome(text: string): ImportOutcome | null {
  let v: unknown;
  try {
    v = JSON.parse(text.trim());
  } catch {
    return null;
  }
  if (!isObject(v) || typeof v['ok'] !== 'boolean') return null;
  if (v['ok']) return typeof v['out'] === 'string' && isObject(v['summary']) ? (v as ImportOutcome) : null;
  return typeof v['message'] === 'string' ? (v as ImportOutcome) : null;
}
