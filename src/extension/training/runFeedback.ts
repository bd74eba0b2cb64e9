/**
 * What the user sees of a run outside the dashboard: the status bar item, the progress notification,
 * the `when`-clause context key, and a notification for warnings, failures and interruptions.
 */
import * as vscode from 'vscode';
import type { OutputLog } from '../outputLog';
import { TRAINING_CONTEXT } from './commandIds';
import type { DashboardPanel } from './dashboardPanel';
import type { TrainingStatusBar } from './statusBar';
import type { TrainingProgress } from './trainingProgress';
import type { TrainingSession } from './trainingSession';

/** Connects the session's events to the panel, status bar and progress; returns the unsubscribe. */
export function showRunFeedback(session: TrainingSession, panel: DashboardPanel, statusBar: TrainingStatusBar, progress: TrainingProgress, log: OutputLog): () => void {
  void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT.state, 'idle');
  return session.listen({
    dashboard: (m) => panel.post(m),
    trainingWarning: (w, h) => {
      log.line(`[warning] ${h.info.modelName}, epoch ${w.epoch}: ${w.message}`);
      void vscode.window.showWarningMessage(`Training ${h.info.modelName}: ${w.message}`);
    },
    runChanged: (h) => {
      statusBar.update(h);
      progress.update(h);
      const state = h.status === 'running' ? 'running' : h.status === 'paused' ? 'paused' : 'idle';
      void vscode.commands.executeCommand('setContext', TRAINING_CONTEXT.state, state);
      if (state !== 'idle') return;
      progress.end();
      if (h.status === 'failed') void vscode.window.showErrorMessage(`Training ${h.info.modelName} failed: ${h.info.message ?? 'see the CNN Studio log'}`);
      else if (h.status === 'interrupted') void vscode.window.showWarningMessage(`Training ${h.info.modelName} was interrupted: ${h.info.message ?? ''}`);
    },
  });
}
