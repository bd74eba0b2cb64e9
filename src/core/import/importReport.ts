/**
 * The import report, one grouped summary for the CLI and VS Code: what was imported and how many
 * parameters (compared with the file's own count), then the problems, then the faithful changes counted
 * per kind. A MobileNet gives ~300 notes, almost all the same initializer note on each layer; listed one
 * per line they buried the few that matter.
 */
import type { ImportNote } from './importNotes';
import type { KerasImportResult } from './kerasImport';

/** Where the file's parameter count came from. */
export type FileParamsSource = 'weights manifest' | 'stock tfjs rebuild';

export interface ImportGroup {
  /** What happened (the note's message, or its kind when the message names the layer). */
  what: string;
  count: number;
  /** The layers it happened to (empty for notes about the whole model). */
  layers: string[];
}

export interface ImportSummary {
  modelName: string;
  /** "a TF.js model.json (Sequential)". */
  source: string;
  layers: number;
  params: number;
  fileParams: { count: number; from: FileParamsSource } | null;
  /** Problems first: parameter counts that differ, what was not kept, what `validate` refuses. */
  problems: ImportGroup[];
  /** Faithful changes, counted per kind. */
  changes: ImportGroup[];
}

const SOURCE_LABELS: Readonly<Record<KerasImportResult['source'], string>> = {
  'keras-json': 'Keras JSON',
  'tfjs-model-json': 'a TF.js model.json',
  'keras3-config': 'Keras 3 JSON',
};

/** Notes grouped by kind (or message); a group of one shows its message, which says more than its kind. */
function grouped(notes: readonly ImportNote[]): ImportGroup[] {
  const groups = new Map<string, ImportGroup & { message: string }>();
  for (const n of notes) {
    const key = n.kind ?? n.message;
    const g = groups.get(key) ?? { what: key, count: 0, layers: [], message: n.message };
    g.count++;
    if (n.layer) g.layers.push(n.layer);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).map(({ what, count, layers, message }) => ({ what: count === 1 ? message : what, count, layers }));
}

/**
 * Warnings with the same message (the same option ignored on 12 layers) are one line naming the layers;
 * a warning with a kind names its layer in the message and is shown as it is.
 */
function problemGroups(warnings: readonly ImportNote[]): ImportGroup[] {
  const own = warnings.filter((n) => n.kind).map((n) => ({ what: n.layer ? `[${n.layer}] ${n.message}` : n.message, count: 1, layers: [] }));
  return [...own, ...grouped(warnings.filter((n) => !n.kind))];
}

export function summarizeImport(
  result: KerasImportResult,
  facts: { params: number; validationErrors: readonly string[]; fileParams?: { count: number; from: FileParamsSource } | null },
): ImportSummary {
  const fileParams = result.fileParams !== null ? { count: result.fileParams, from: 'weights manifest' as const } : (facts.fileParams ?? null);
  const problems: ImportGroup[] = [];
  if (fileParams && fileParams.count !== facts.params) {
    const diff = facts.params - fileParams.count;
    problems.push({
      what: `Parameters differ: CNN Studio counts ${facts.params.toLocaleString('en-US')}, the file's ${fileParams.from} ${fileParams.count.toLocaleString('en-US')} (${Math.abs(diff).toLocaleString('en-US')} ${diff > 0 ? 'more' : 'fewer'}): the layers listed below were changed on import.`,
      count: 1,
      layers: [],
    });
  }
  problems.push(...problemGroups(result.notes.filter((n) => n.severity === 'warning')));
  for (const e of facts.validationErrors) problems.push({ what: `validate: ${e}`, count: 1, layers: [] });
  return {
    modelName: result.model.name,
    source: `${SOURCE_LABELS[result.source]} (${result.modelClass})`,
    layers: result.model.nodes.length,
    params: facts.params,
    fileParams,
    problems,
    changes: grouped(result.notes.filter((n) => n.severity === 'info')),
  };
}

function layerList(layers: readonly string[]): string {
  if (layers.length === 0) return '';
  const shown = layers.slice(0, 3).join(', ');
  return ` (${layers.length > 3 ? `${shown} and ${layers.length - 3} more` : shown})`;
}

/** The first line: what was imported, with both parameter counts. */
export function importHeadline(s: ImportSummary): string {
  const params = `${s.params.toLocaleString('en-US')} parameters`;
  const check = s.fileParams ? (s.fileParams.count === s.params ? `, as the file's ${s.fileParams.from}` : `, the file's ${s.fileParams.from} ${s.fileParams.count.toLocaleString('en-US')}`) : '';
  return `Imported '${s.modelName}' from ${s.source}: ${s.layers} layers, ${params}${check}.`;
}

/** The summary as text: headline, problems (each once, with its layers), changes counted per kind. */
export function formatImportSummary(s: ImportSummary): string {
  const lines = [importHeadline(s)];
  if (s.problems.length === 0) lines.push('Problems: none.');
  else {
    lines.push(`Problems (${s.problems.length}):`);
    for (const p of s.problems) lines.push(`  - ${p.count > 1 ? `${p.count} × ` : ''}${p.what}${layerList(p.layers)}`);
  }
  if (s.changes.length > 0) {
    const total = s.changes.reduce((a, c) => a + c.count, 0);
    lines.push(`Changes (${total} in ${s.changes.length} kind${s.changes.length === 1 ? '' : 's'}):`);
    for (const c of s.changes) lines.push(`  ${String(c.count).padStart(4)} × ${c.what}${layerList(c.layers)}`);
  }
  return lines.join('\n');
}

/** Every note, one per line (`--details`). */
export function formatImportNotes(result: KerasImportResult): string {
  return result.notes.map((n) => `${n.severity === 'warning' ? 'warning' : 'note'}: ${n.layer ? `[${n.layer}] ` : ''}${n.message}`).join('\n');
}
