/**
 * Learning-rate schedules and early stopping, as small state machines stepped once per epoch
 * (pure, so they are unit-tested without tfjs).
 */
import type { EarlyStoppingSettings, LearningRateSchedule } from '../../core/format';
import type { EpochMetrics } from '../../protocol/engine';

export class LearningRateScheduler {
  private plateauBest = Infinity;
  private plateauWait = 0;
  private current: number;

  constructor(
    private readonly schedule: LearningRateSchedule,
    private readonly initial: number,
    private readonly totalEpochs: number,
  ) {
    this.current = initial;
  }

  /** The rate for 1-based `epoch` (call before training it). */
  rateFor(epoch: number): number {
    const s = this.schedule;
    switch (s.kind) {
      case 'constant':
        return this.initial;
      case 'step':
        return this.initial * s.factor ** Math.floor((epoch - 1) / Math.max(1, s.stepEpochs));
      case 'cosine': {
        const t = this.totalEpochs > 1 ? (epoch - 1) / (this.totalEpochs - 1) : 0;
        return s.minLearningRate + ((this.initial - s.minLearningRate) * (1 + Math.cos(Math.PI * t))) / 2;
      }
      case 'reduceOnPlateau':
        return this.current;
    }
  }

  /** Feeds an epoch's result (only reduceOnPlateau cares): validation loss, or training loss without validation. */
  observe(m: EpochMetrics): void {
    const s = this.schedule;
    if (s.kind !== 'reduceOnPlateau') return;
    const value = m.valLoss ?? m.loss;
    if (value < this.plateauBest - 1e-4) {
      this.plateauBest = value;
      this.plateauWait = 0;
    } else if (++this.plateauWait >= s.patience) {
      this.current = Math.max(s.minLearningRate, this.current * s.factor);
      this.plateauWait = 0;
    }
  }

  /** Replays earlier epochs when a run is continued, so the schedule picks up where it was. */
  replay(history: readonly EpochMetrics[]): void {
    for (const m of history) {
      this.observe(m);
      if (this.schedule.kind === 'reduceOnPlateau') this.current = m.learningRate;
    }
  }
}

/** Which value decides the best epoch: the early-stopping monitor, falling back to training loss without validation. */
export function monitoredValue(m: EpochMetrics, monitor: EarlyStoppingSettings['monitor']): { value: number; higherIsBetter: boolean } {
  if (monitor === 'valAccuracy' && m.valAccuracy !== null) return { value: m.valAccuracy, higherIsBetter: true };
  if (m.valLoss !== null) return { value: m.valLoss, higherIsBetter: false };
  return { value: m.loss, higherIsBetter: false };
}

export class BestTracker {
  best: EpochMetrics | null = null;
  private sinceBest = 0;

  constructor(private readonly monitor: EarlyStoppingSettings['monitor']) {}

  /** Returns true when `m` is the new best. */
  observe(m: EpochMetrics): boolean {
    if (this.best === null || this.isBetter(m, this.best)) {
      this.best = m;
      this.sinceBest = 0;
      return true;
    }
    this.sinceBest++;
    return false;
  }

  epochsSinceBest(): number {
    return this.sinceBest;
  }

  private isBetter(a: EpochMetrics, b: EpochMetrics): boolean {
    const va = monitoredValue(a, this.monitor);
    const vb = monitoredValue(b, this.monitor);
    return va.higherIsBetter ? va.value > vb.value : va.value < vb.value;
  }
}
