/**
 * The memory training a model needs, from its analysis alone (no tfjs), so a model that cannot fit is
 * refused in seconds, before it is built. Per parameter: the weights, their gradients and the
 * optimizer's slots (float32 each). Per sample of a batch: every layer's output, kept from the forward
 * pass for the backward one, and its gradient in the backward pass, plus the temporaries the kernels
 * make on the way (ACTIVATION_PASSES), and a fixed workspace per step (STEP_WORKSPACE_BYTES); both
 * were fitted against peak RSS and tfjs' peak tensor bytes on the six templates by bench/training-memory.ts.
 */
import type { ModelAnalysis, ModelTotals } from './analysis';
import { formatByteSize } from './byteSize';
import type { Diagnostic } from './diagnostics';
import type { ModelFile, OptimizerName } from './format';

/** Float32 slots per trainable parameter each optimizer keeps (tfjs' implementations). */
const OPTIMIZER_SLOTS: Readonly<Record<OptimizerName, number>> = {
  sgd: 0,
  adagrad: 1,
  // accumulated mean squares and moments (tfjs creates both; centered adds a third, not used here)
  rmsprop: 2,
  adam: 2,
  adamax: 2,
  adadelta: 2,
};

/**
 * Copies of one sample's layer outputs alive at the peak of a training step: the forward outputs, their
 * gradients, and the kernels' temporaries (activation derivatives, pooling masks, im2col-like buffers).
 * Fitted on the templates with bench/training-memory.ts (see the closing note of issue 9).
 */
export const ACTIVATION_PASSES = 5.5;

/** The step's own workspace whatever the model (kernel scratch buffers, the gradient tape, heap growth steps). */
export const STEP_WORKSPACE_BYTES = 4 * 1024 * 1024;

export interface TrainingMemoryEstimate {
  readonly batchSize: number;
  readonly optimizer: OptimizerName;
  /** Weights + gradients + optimizer slots. */
  readonly parameterBytes: number;
  /** Layer outputs of a whole batch, forward and backward, and the step's workspace. */
  readonly activationBytes: number;
  readonly totalBytes: number;
}

export function estimateTrainingMemory(totals: ModelTotals, batchSize: number, optimizer: OptimizerName): TrainingMemoryEstimate {
  const parameterBytes = 4 * (totals.params + totals.trainableParams * (1 + OPTIMIZER_SLOTS[optimizer]));
  const activationBytes = totals.activationBytes * batchSize * ACTIVATION_PASSES + STEP_WORKSPACE_BYTES;
  return { batchSize, optimizer, parameterBytes, activationBytes, totalBytes: parameterBytes + activationBytes };
}

/** The estimate for a model at its own batch size and optimizer; null while a layer's shape is unknown (the totals would leave it out). */
export function estimateModelTrainingMemory(model: Pick<ModelFile, 'nodes' | 'compile' | 'training'>, analysis: ModelAnalysis | null): TrainingMemoryEstimate | null {
  if (!analysis || model.nodes.some((n) => !analysis.nodes.get(n.id)?.outputShape)) return null;
  return estimateTrainingMemory(analysis.totals, model.training.batchSize, model.compile.optimizer);
}

/** What to change to need less: the part that dominates names its fix. */
export function trainingMemoryFix(estimate: TrainingMemoryEstimate): string {
  return estimate.parameterBytes >= estimate.activationBytes
    ? 'Make the model smaller: fewer units in its Dense layers or fewer filters in its Conv2D layers (a Flatten into a large Dense layer is the usual culprit; pooling before it helps).'
    : `Lower the batch size (it is ${estimate.batchSize}), or make the layer outputs smaller: fewer filters, or pooling / strides earlier.`;
}

/** One line for summaries: `≈ 89 MB at batch size 64 with adam (parameters 1.9 MB, layer outputs 87 MB)`. */
export function describeTrainingMemory(estimate: TrainingMemoryEstimate): string {
  return (
    `≈ ${formatByteSize(estimate.totalBytes)} at batch size ${estimate.batchSize} with ${estimate.optimizer} ` +
    `(weights, gradients and optimizer slots ${formatByteSize(estimate.parameterBytes)}; layer outputs ${formatByteSize(estimate.activationBytes)})`
  );
}

/** A warning when training would need more than `freeBytes` (the machine's free memory, measured by the caller). */
export function trainingMemoryDiagnostic(estimate: TrainingMemoryEstimate, freeBytes: number): Diagnostic | null {
  if (estimate.totalBytes <= freeBytes) return null;
  return {
    nodeId: null,
    code: 'training-memory',
    severity: 'warning',
    message:
      `Training needs about ${formatByteSize(estimate.totalBytes)} of memory at batch size ${estimate.batchSize} ` +
      `(weights, gradients and ${estimate.optimizer} slots ${formatByteSize(estimate.parameterBytes)}; layer outputs ${formatByteSize(estimate.activationBytes)}), ` +
      `more than the ${formatByteSize(freeBytes)} free on this machine; training would be refused. ${trainingMemoryFix(estimate)}`,
  };
}
