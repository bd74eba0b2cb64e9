/** The status bar item: the live run's epoch, batch, loss and ETA; a click opens the dashboard. */
import * as vscode from 'vscode';
import type { RunHistory } from './runHistory';
import { endLine, progressLine } from './runStatusText';
import { TRAINING_COMMANDS } from './commandIds';

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cnnStudio.training', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'CNN Studio Training';
    this.item.command = TRAINING_COMMANDS.openDashboard;
  }

  update(h: RunHistory): void {
    const live = h.status === 'running' || h.status === 'paused';
    const icon = h.status === 'running' ? '$(sync~spin)' : h.status === 'paused' ? '$(debug-pause)' : h.status === 'finished' ? '$(check)' : '$(warning)';
    this.item.text = `${icon} ${h.info.modelName}: ${live ? progressLine(h) : endLine(h)}`;
    this.item.tooltip = `${h.info.runDir}\n${h.info.backend}\nClick to open the training dashboard.`;
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
