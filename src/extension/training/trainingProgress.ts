/**
 * The cancellable progress notification of a run: its line follows the run, Cancel stops it (the engine
 * keeps the checkpoints so far), and it closes when the run ends.
 */
import * as vscode from 'vscode';
import type { RunHistory } from './runHistory';
import { fractionDone, progressLine } from './runStatusText';

export class TrainingProgress {
  private report: ((h: RunHistory) => void) | null = null;
  private finish: (() => void) | null = null;

  /** Shows the notification until `ended` is called; `onCancel` runs when the user presses Cancel. */
  start(title: string, onCancel: () => void): void {
    this.end();
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let done = 0;
          token.onCancellationRequested(onCancel);
          this.report = (h) => {
            const now = Math.round(fractionDone(h) * 100);
            progress.report({ message: progressLine(h), increment: Math.max(0, now - done) });
            done = Math.max(done, now);
          };
          this.finish = resolve;
        }),
    );
  }

  update(h: RunHistory): void {
    this.report?.(h);
  }

  end(): void {
    this.finish?.();
    this.finish = null;
    this.report = null;
  }
}
