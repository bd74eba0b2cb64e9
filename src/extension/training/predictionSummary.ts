/**
 * The one-line answer of "Predict Image" for a notification: "<image>: cat 91.2% · dog 6.0% · bird 1.1%".
 * Pure (no vscode), so the wording is unit-tested.
 */
import type { ClassProbability } from '../../protocol/engine';

/** How many classes the notification names: enough to see the runner-up, short enough for one line. */
export const SUMMARY_CLASSES = 3;

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** `top` is best first (as the engine returns it); only the first three are named. */
export function predictionSummary(imagePath: string, top: readonly ClassProbability[]): string {
  const classes = top.slice(0, SUMMARY_CLASSES).map((c) => `${c.className} ${(c.probability * 100).toFixed(1)}%`);
  return `${fileName(imagePath)}: ${classes.join(' · ')}`;
}
