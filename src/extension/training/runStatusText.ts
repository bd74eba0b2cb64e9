/** One-line summaries of a live run for the status bar and the progress notification. Pure. */
import type { RunHistory } from './runHistory';

export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h ${m % 60}m` : `${m}:${String(s % 60).padStart(2, '0')}`;
}

/** Seconds left, from the latest throughput; NaN before the first batch. */
export function etaSeconds(h: RunHistory): number {
  const b = h.lastBatch;
  const i = h.info;
  if (!b || i.batchesPerEpoch <= 0 || b.samplesPerSec <= 0 || i.batchSize <= 0) return NaN;
  const remaining = (i.epochsPlanned - b.epoch) * i.batchesPerEpoch + (i.batchesPerEpoch - b.batch);
  return (remaining * i.batchSize) / b.samplesPerSec;
}

/** 0..1 of the planned batches done. */
export function fractionDone(h: RunHistory): number {
  const b = h.lastBatch;
  const i = h.info;
  if (!b || i.batchesPerEpoch <= 0 || i.epochsPlanned <= 0) return 0;
  return Math.min(1, ((b.epoch - 1) * i.batchesPerEpoch + b.batch) / (i.epochsPlanned * i.batchesPerEpoch));
}

/** `epoch 2/5 · batch 10/30 · loss 0.512 · ETA 0:42` */
export function progressLine(h: RunHistory): string {
  const b = h.lastBatch;
  const i = h.info;
  if (h.activity) return h.activity;
  if (!b) return 'starting…';
  const parts = [`epoch ${b.epoch}/${i.epochsPlanned}`];
  if (i.batchesPerEpoch > 0) parts.push(`batch ${b.batch}/${i.batchesPerEpoch}`);
  parts.push(`loss ${b.loss.toFixed(3)}`);
  if (h.status === 'paused') parts.push('paused');
  else parts.push(`ETA ${formatEta(etaSeconds(h))}`);
  return parts.join(' · ');
}

/** `finished · 5 epochs · val acc 91.2%` */
export function endLine(h: RunHistory): string {
  const last = h.epochs[h.epochs.length - 1];
  const parts: string[] = [h.status, `${h.epochs.length} epoch${h.epochs.length === 1 ? '' : 's'}`];
  const acc = last?.valAccuracy ?? last?.accuracy;
  if (typeof acc === 'number') parts.push(`${last?.valAccuracy != null ? 'val acc' : 'acc'} ${(acc * 100).toFixed(1)}%`);
  return parts.join(' · ');
}

/** The run the side bar may describe: the live one, else the last; `modelKey` = its model file, when known. */
export interface SidebarRun {
  readonly h: RunHistory;
  readonly live: boolean;
  readonly modelKey: string | undefined;
}

/**
 * The side bar's training line for the model it shows (`modelKey`). It follows the active model, so
 * another model's run is never told as this one's: while that run goes on it is named as another
 * model's (Pause / Stop act on it); once it has ended, this model's line says it has no run here.
 */
export function sidebarStatusLine(modelKey: string | undefined, run: SidebarRun | null): string {
  if (!run) return 'No run yet.';
  const own = modelKey === undefined || run.modelKey === undefined || run.modelKey === modelKey;
  if (own) return `${run.h.info.modelName}: ${run.live ? progressLine(run.h) : endLine(run.h)}`;
  if (run.live) return `Another model is training: ${run.h.info.modelName} (${progressLine(run.h)}).`;
  return 'Not trained in this window yet; its earlier runs are listed under it in the Models view.';
}
