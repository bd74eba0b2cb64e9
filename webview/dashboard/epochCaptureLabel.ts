/**
 * The feature-map slider's words: which epoch is shown and which epochs were captured at all. Maps are
 * captured only while capturing costs under 1% of training time, so after a 10-epoch run there may be
 * 5 snapshots: the label names them ("1–2, 4, 6, 10") instead of implying every epoch is there. Pure.
 */

/** "1–3, 5, 8–9": ascending epochs as ranges. */
export function epochRanges(epochs: readonly number[]): string {
  const sorted = [...new Set(epochs)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}${j === i + 1 ? ', ' : '–'}${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

export interface EpochCaptureText {
  /** The slider's label, e.g. "Epoch 6 of 10 (captured: 1–2, 4, 6, 10)". */
  readonly label: string;
  /** Why some epochs are missing; null when every epoch so far was captured. */
  readonly note: string | null;
}

/** `shown`: the epoch on display; `captured`: every captured epoch; `epochsSoFar`: epochs the run has (or had) in total. */
export function epochCaptureText(shown: number, captured: readonly number[], epochsSoFar: number): EpochCaptureText {
  const every = captured.length >= epochsSoFar && epochsSoFar > 0;
  const label = `Epoch ${shown} of ${epochsSoFar} (${every ? 'every epoch captured' : `captured: ${epochRanges(captured)}`})`;
  const note = every
    ? null
    : `Feature maps were kept for ${captured.length} of ${epochsSoFar} epochs: they are captured only while that costs under 1% of the training time.`;
  return { label, note };
}
