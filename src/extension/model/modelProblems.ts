/**
 * Every problem of a model file's text, each with the text range it belongs to: the loader's findings
 * (JSON syntax, schema) and shape inference's (shapes, wiring, params), each once (core/checkModel.ts). Pure (no vscode), so the
 * Problems panel's content is unit-tested.
 */
import { checkModelText } from '../../core/checkModel';
import type { Diagnostic } from '../../core/diagnostics';
import { nodeIdRanges, type OffsetRange } from '../diagnostics/nodeRanges';
import { syntaxErrorOffset } from './modelText';

export interface LocatedProblem {
  readonly diagnostic: Diagnostic;
  /** The node's `"id": "…"`; for file-level problems the syntax error or the start of the file. */
  readonly range: OffsetRange;
}

export function locateModelProblems(text: string): LocatedProblem[] {
  const all = checkModelText(text).diagnostics;
  const ranges = nodeIdRanges(text);
  const syntaxAt = syntaxErrorOffset(text);
  const fileRange: OffsetRange =
    syntaxAt === undefined ? { start: 0, end: Math.min(1, text.length) } : { start: syntaxAt, end: Math.min(syntaxAt + 1, text.length) };
  return all.map((diagnostic) => ({
    diagnostic,
    range: (diagnostic.nodeId !== null && ranges.get(diagnostic.nodeId)) || fileRange,
  }));
}
