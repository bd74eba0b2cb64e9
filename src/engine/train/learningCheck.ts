/**
 * Says when a training run is not learning, so a run with a far too high learning rate does not end
 * "finished" without a word. Two signs, each reported once per run:
 *  - the training loss is far above chance: more than twice ln(classes), the cross-entropy of a model
 *    that guesses every class evenly (with Adam at lr 1e6 it sits at ~10.7 for 3 classes, ln 3 = 1.1);
 *  - the training loss has not improved on its first epoch's value for PATIENCE epochs.
 * The likely cause named is the learning rate, with a concrete value to try.
 */
import type { LossName, OptimizerName } from '../../core/format';
import type { EpochMetrics, RunWarning } from '../../protocol/engine';

/** Epochs after the first without any improvement before the run is called stuck. */
export const NOT_IMPROVING_PATIENCE = 3;
/** An epoch improves on the first only when its loss is at least this much lower (relative). */
const MIN_IMPROVEMENT = 0.01;
/** "Far above chance": this many times ln(classes). */
const CHANCE_FACTOR = 2;
/** Adam's (and Keras') default learning rate, the value suggested when the current one is off. */
const SUGGESTED_RATE = 0.001;

export interface LearningContext {
  readonly numClasses: number;
  readonly loss: LossName;
  /** 1 for a single sigmoid unit (binary output). */
  readonly outputUnits: number;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
}

function fmt(n: number): string {
  return Number(n.toPrecision(3)).toString();
}

function likelyCause(ctx: LearningContext): string {
  const lr = ctx.learningRate;
  const setIt = (to: number) => `set the learning rate to ${fmt(to)} (compile.learningRate in the model file, or --learning-rate ${fmt(to)} with the CLI) and train again`;
  if (lr > 0.01) return `The likely cause is the learning rate, ${fmt(lr)} (${ctx.optimizer}), which is far too high: ${setIt(SUGGESTED_RATE)}.`;
  if (lr < 1e-5) return `The likely cause is the learning rate, ${fmt(lr)} (${ctx.optimizer}), which is too low to move the weights: ${setIt(SUGGESTED_RATE)}.`;
  return `The likely cause is the learning rate, ${fmt(lr)} (${ctx.optimizer}): ${setIt(lr / 10)}; if that does not help, check that each class folder holds only images of its class.`;
}

/** The cross-entropy of guessing evenly, or null when the loss is not a cross-entropy. */
function chanceLoss(ctx: LearningContext): { value: number; classes: number } | null {
  if (ctx.loss === 'meanSquaredError') return null;
  const classes = ctx.outputUnits === 1 ? 2 : Math.max(2, ctx.numClasses);
  return { value: Math.log(classes), classes };
}

/** The warnings the history now calls for that `already` (codes given before) does not hold. */
export function learningWarnings(history: readonly EpochMetrics[], ctx: LearningContext, already: ReadonlySet<string>): RunWarning[] {
  const out: RunWarning[] = [];
  const last = history[history.length - 1];
  if (!last) return out;
  const chance = chanceLoss(ctx);
  if (chance && !already.has('loss-far-above-chance') && last.loss > CHANCE_FACTOR * chance.value) {
    out.push({
      code: 'loss-far-above-chance',
      epoch: last.epoch,
      message:
        `The model is not learning: the training loss is ${fmt(last.loss)} at epoch ${last.epoch}, far above ${fmt(chance.value)}, ` +
        `the loss of guessing evenly among ${chance.classes} classes. ${likelyCause(ctx)}`,
    });
  }
  const first = history[0]!;
  if (!already.has('loss-not-improving') && history.length > NOT_IMPROVING_PATIENCE) {
    const best = Math.min(...history.slice(1).map((m) => m.loss));
    if (!(best < first.loss * (1 - MIN_IMPROVEMENT))) {
      out.push({
        code: 'loss-not-improving',
        epoch: last.epoch,
        message:
          `The model is not learning: the training loss has not improved on its first value (${fmt(first.loss)} at epoch ${first.epoch}) ` +
          `in ${history.length - 1} epochs. ${likelyCause(ctx)}`,
      });
    }
  }
  return out;
}
