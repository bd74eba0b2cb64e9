/**
 * `model.summary()` as Keras 2.x prints it for a functional model (98 columns: Layer (type) | Output
 * Shape | Param # | Connected to, rows wrapped the way Keras wraps them), and the same facts as JSON
 * for scripts (`cnn-studio summary --json`).
 */
import type { ModelAnalysis, Shape } from './analysis';
import { getLayerSpec } from './catalogue';
import type { DiagnosticCode, Severity } from './diagnostics';
import type { ModelFile, ModelNode } from './format';

const LINE_LENGTH = 98;
/** Keras' column stops for functional models: [0.3, 0.6, 0.7, 1.0] of the line length. */
const POSITIONS = [0.3, 0.6, 0.7, 1.0].map((p) => Math.floor(LINE_LENGTH * p));

/** Keras' `print_row`: fills columns up to their stops, wrapping long cells after "),", "],", "'," and the like. */
function printRow(fields: readonly string[], out: string[]): void {
  const left = [...fields];
  while (left.some((f) => f !== '')) {
    let line = '';
    for (let col = 0; col < left.length; col++) {
      const start = col > 0 ? POSITIONS[col - 1]! : 0;
      const end = POSITIONS[col]!;
      const space = col !== POSITIONS.length - 1 ? 2 : 0;
      let cutoff = end - start - space;
      let fit = left[col]!.slice(0, cutoff);
      const breaks = ['),', '},', '],', "',"].map((b) => (fit.includes(b) ? fit.indexOf(b) + b.length : -1)).filter((i) => i >= 0);
      if (breaks.length > 0) {
        cutoff = Math.min(...breaks);
        fit = fit.slice(0, cutoff);
      }
      if (col === 0) line += ' ';
      line += fit + ' '.repeat(space);
      left[col] = left[col]!.slice(cutoff);
      line += ' '.repeat(Math.max(0, end - line.length));
    }
    out.push(line.trimEnd());
  }
}

function kerasShape(shape: Shape | null, isInput: boolean): string {
  if (!shape) return '?';
  const tuple = `(None, ${shape.join(', ')})`;
  return isInput ? `[${tuple}]` : tuple;
}

/** Keras' `readable_memory_size`: 1024-based, two decimals. */
export function readableMemorySize(bytes: number): string {
  const units = ['Byte', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Node ids in summary order: the analysis' topological order, then any node it could not place. */
function summaryOrder(analysis: ModelAnalysis): string[] {
  const ordered = new Set(analysis.order);
  return [...analysis.order, ...[...analysis.nodes.keys()].filter((id) => !ordered.has(id))];
}

/** The first node with each id (later duplicates are reported by the analysis and left out). */
function nodesById(model: ModelFile): Map<string, ModelNode> {
  const byId = new Map<string, ModelNode>();
  for (const n of Array.isArray(model.nodes) ? model.nodes : []) {
    if (typeof n === 'object' && n !== null && typeof n.id === 'string' && !byId.has(n.id)) byId.set(n.id, n);
  }
  return byId;
}

export function formatSummary(model: ModelFile, analysis: ModelAnalysis): string {
  const out: string[] = [`Model: "${model.name}"`, '_'.repeat(LINE_LENGTH)];
  printRow(['Layer (type)', 'Output Shape', 'Param #', 'Connected to'], out);
  out.push('='.repeat(LINE_LENGTH));
  const byId = nodesById(model);
  const ids = summaryOrder(analysis);
  ids.forEach((id, i) => {
    const node = byId.get(id)!;
    const a = analysis.nodes.get(id)!;
    const className = getLayerSpec(node.type)?.kerasName ?? (typeof node.type === 'string' ? node.type : '?');
    const inputs = Array.isArray(node.inputs) ? node.inputs.filter((i): i is string => typeof i === 'string') : [];
    const connected = `[${inputs.map((input) => `'${input}[0][0]'`).join(', ')}]`;
    printRow([`${id} (${className})`, kerasShape(a.outputShape, node.type === 'Input'), String(a.params), connected], out);
    if (i < ids.length - 1) out.push('');
  });
  out.push('='.repeat(LINE_LENGTH));
  const t = analysis.totals;
  out.push(`Total params: ${formatCount(t.params)} (${readableMemorySize(t.params * 4)})`);
  out.push(`Trainable params: ${formatCount(t.trainableParams)} (${readableMemorySize(t.trainableParams * 4)})`);
  out.push(`Non-trainable params: ${formatCount(t.nonTrainableParams)} (${readableMemorySize(t.nonTrainableParams * 4)})`);
  out.push('_'.repeat(LINE_LENGTH));
  return out.join('\n') + '\n';
}

export interface SummaryJson {
  nodes: { id: string; type: string; outputShape: number[] | null; params: number; trainableParams: number; flops: number }[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  flops: number;
  diagnostics: { nodeId: string | null; code: DiagnosticCode; severity: Severity; message: string }[];
}

/** `_model` keeps the signature parallel to formatSummary; everything needed is in the analysis. */
export function summaryJson(_model: ModelFile, analysis: ModelAnalysis): SummaryJson {
  return {
    nodes: summaryOrder(analysis).map((id) => {
      const a = analysis.nodes.get(id)!;
      return {
        id,
        type: a.type,
        outputShape: a.outputShape ? [...a.outputShape] : null,
        params: a.params,
        trainableParams: a.trainableParams,
        flops: a.flops,
      };
    }),
    totalParams: analysis.totals.params,
    trainableParams: analysis.totals.trainableParams,
    nonTrainableParams: analysis.totals.nonTrainableParams,
    flops: analysis.totals.flops,
    diagnostics: analysis.diagnostics.map(({ nodeId, code, severity, message }) => ({ nodeId, code, severity, message })),
  };
}
