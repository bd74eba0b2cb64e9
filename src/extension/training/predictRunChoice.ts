/**
 * Which runs "Predict Image" offers and how each reads in the quick pick (pure, no vscode): only runs with
 * a checkpoint (a run stopped before its first epoch has no weights to predict with), latest first, each
 * named by model, date and accuracy so the user can tell them apart without opening the dashboard.
 */
import type { RunSummary } from '../../protocol/engine';

/** The runs that can predict, latest first. `canPredict` says whether a run folder holds a checkpoint. */
export function runsThatCanPredict(runs: readonly RunSummary[], canPredict: (runDir: string) => boolean): RunSummary[] {
  return runs.filter((r) => canPredict(r.runDir)).sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
}

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2026-12-03 00:31" in the machine's time zone; the ISO text itself when it is not a date. */
export function runDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${twoDigits(d.getMonth() + 1)}-${twoDigits(d.getDate())} ${twoDigits(d.getHours())}:${twoDigits(d.getMinutes())}`;
}

export interface RunChoiceText {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
}

/** `where`: how to show the run folder (the caller makes it workspace-relative). */
export function runChoiceText(run: RunSummary, where: string): RunChoiceText {
  const r = run.record;
  const accuracy = r.bestValAccuracy !== null ? `val acc ${(r.bestValAccuracy * 100).toFixed(1)}%` : 'no validation accuracy';
  const epochs = `${r.epochsCompleted}/${r.epochsPlanned} epochs`;
  const status = r.status === 'finished' ? '' : ` · ${r.status}`;
  return { label: r.modelName, description: `${runDate(r.createdAt)} · ${accuracy} · ${epochs}${status}`, detail: where };
}
