/**
 * Diagnostics: every problem the loader or shape inference finds, with a stable code, the node it
 * belongs to, and a message that names the fix. Quick fixes are typed so the designer and the
 * extension host can apply them without parsing messages.
 */

import type { LossName } from './format';

export type Severity = 'error' | 'warning' | 'info';

/** Stable codes: tests, quick fixes and users' bug reports refer to them, so never rename one. */
export type DiagnosticCode =
  /** warning: training would need more memory than the machine has free (validate) */
  | 'training-memory'
  // the file itself
  | 'invalid-json'
  | 'not-a-model'
  | 'unsupported-version'
  /** info: an older format version was migrated on load */
  | 'migrated'
  | 'schema'
  // graph structure
  | 'duplicate-id'
  /** a node id tfjs cannot use as a layer name */
  | 'invalid-id'
  | 'unknown-layer'
  | 'unknown-input'
  | 'cycle'
  | 'no-input-layer'
  | 'multiple-outputs'
  | 'unconnected-node'
  | 'missing-input'
  | 'extra-input'
  // params
  | 'bad-param'
  | 'unknown-param'
  // shapes
  | 'add-shape-mismatch'
  | 'concat-shape-mismatch'
  | 'dimension-zero'
  | 'kernel-too-large'
  | 'dense-on-4d'
  | 'reshape-size-mismatch'
  | 'rank-mismatch'
  /** a random image transform after a trainable layer: tfjs has no gradient for the transform */
  | 'augmentation-after-weights'
  // compile / dataset agreement
  | 'output-units-vs-classes'
  | 'softmax-loss-mismatch'
  | 'dataset-shape-mismatch';

/** A change that resolves a diagnostic, applied by the designer or a code action. */
export type QuickFix =
  /** A new layer after `afterNodeId`; with `beforeNodeId`, only on the edge into that node (its other readers keep theirs). */
  | { kind: 'insertLayer'; title: string; afterNodeId: string; layerType: string; params?: Record<string, unknown>; beforeNodeId?: string }
  | { kind: 'setParam'; title: string; nodeId: string; param: string; value: unknown }
  | { kind: 'setCompile'; title: string; field: 'loss'; value: LossName }
  | { kind: 'removeNode'; title: string; nodeId: string };

export interface Diagnostic {
  /** The node the problem belongs to; `null` for the file or the model as a whole. */
  nodeId: string | null;
  code: DiagnosticCode;
  severity: Severity;
  /** Says what is wrong and how to fix it, in one or two sentences. */
  message: string;
  fixes?: QuickFix[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
