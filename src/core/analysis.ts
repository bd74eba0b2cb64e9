/**
 * The result of analysing a model: per-node shapes, parameter counts and costs, model totals, and
 * diagnostics. Produced by `analyzeModel` (shapeInference.ts) without TensorFlow, fast enough to run
 * on every keystroke in the designer.
 */
import type { Diagnostic } from './diagnostics';

/** A tensor shape without the batch dimension, e.g. `[32, 32, 3]`. */
export type Shape = readonly number[];

export interface NodeAnalysis {
  id: string;
  type: string;
  /** `null` when it cannot be inferred (a diagnostic says why). */
  outputShape: Shape | null;
  /** One entry per input, in the node's input order. */
  inputShapes: (Shape | null)[];
  /** trainable + non-trainable */
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Multiply-adds for one sample's forward pass. */
  flops: number;
  /** Bytes of this node's float32 output for one sample. */
  activationBytes: number;
}

export interface ModelTotals {
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  flops: number;
  /** Sum of every node's activation bytes for one sample. */
  activationBytes: number;
}

export interface ModelAnalysis {
  /** Node ids in a topological order (nodes on a cycle are left out). */
  order: string[];
  nodes: Map<string, NodeAnalysis>;
  /** Ids of Input nodes. */
  inputIds: string[];
  /** Ids of nodes nothing consumes (the model's outputs). */
  outputIds: string[];
  totals: ModelTotals;
  diagnostics: Diagnostic[];
}

export interface AnalyzeOptions {
  /** Number of classes in the dataset, when known: checked against the output layer. */
  numClasses?: number;
}
