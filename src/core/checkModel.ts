/**
 * "Load, analyse, list every problem once": what the CLI's `validate`, the Problems panel and the
 * designer show is the loader's diagnostics (syntax, version, schema) followed by the analysis's
 * (graph, params, shapes, loss), with repeats dropped, computed here so they all show the same list.
 */
import type { AnalyzeOptions, ModelAnalysis } from './analysis';
import type { Diagnostic } from './diagnostics';
import type { ModelFile } from './format';
import { parseModelText } from './loader';
import { analyzeModel } from './shapeInference';

export interface ModelCheck {
  /** The loaded model; null when the file cannot be read as one (the diagnostics say why). */
  readonly model: ModelFile | null;
  /** The analysis of `model`; null when there is no model. */
  readonly analysis: ModelAnalysis | null;
  /** The loader's problems, then the analysis's, each (code, node, message) once. */
  readonly diagnostics: Diagnostic[];
}

/** The loader's and the analysis's diagnostics in that order, each (code, node, message) once. */
export function mergeDiagnostics(...lists: readonly (readonly Diagnostic[])[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of lists.flat()) {
    const key = `${d.code}|${d.nodeId}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** Analyses an already loaded model (the designer gets model and load diagnostics from the host). */
export function checkModel(model: ModelFile | null, loadDiagnostics: readonly Diagnostic[], opts: AnalyzeOptions = {}): ModelCheck {
  const analysis = model ? analyzeModel(model, opts) : null;
  return { model, analysis, diagnostics: mergeDiagnostics(loadDiagnostics, analysis?.diagnostics ?? []) };
}

/** Loads a model file's text and analyses it. Never throws, like the loader. */
export function checkModelText(text: string, opts: AnalyzeOptions = {}): ModelCheck {
  const { model, diagnostics } = parseModelText(text);
  return checkModel(model, diagnostics, opts);
}
