/**
 * The dashboard page's messages, routed: buttons run the training commands (so they behave exactly as
 * from the palette), sample and Grad-CAM picks go to the session, a picked layer is revealed in the
 * designer of the model the dashboard shows.
 */
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import type { DashboardToHost } from '../../protocol/dashboard';
import type { OutputLog } from '../outputLog';
import { TRAINING_COMMANDS } from './commandIds';
import type { DashboardPanel } from './dashboardPanel';
import type { TrainingSession } from './trainingSession';

export interface DashboardRouterDeps {
  readonly session: TrainingSession;
  readonly panel: DashboardPanel;
  readonly log: OutputLog;
  /** The model file of the live or shown run. */
  readonly shownModelUri: () => vscode.Uri | undefined;
  /** Selects a layer in the designer(s) of the model (the dashboard's layer picker). */
  readonly revealLayerInDesigner?: (modelUri: vscode.Uri, layerId: string) => void;
}

export function routeDashboardMessages(d: DashboardRouterDeps): void {
  d.panel.onMessage = (m) => void route(d, m);
  d.panel.onOpenChanged = (open) => {
    d.session.captureFeatureMaps = open;
  };
}

async function route(d: DashboardRouterDeps, m: DashboardToHost): Promise<void> {
  const run = (id: string, ...args: unknown[]) => vscode.commands.executeCommand(id, ...args);
  const runDir = d.session.shown?.info.runDir;
  const showFailure = (what: string) => (err: unknown) => {
    d.log.error(what, err);
    d.panel.post({ type: 'error', message: `Could not compute ${what}: ${err instanceof Error ? err.message : String(err)}` });
  };
  switch (m.type) {
    case 'ready':
      d.session.hydrate();
      return;
    case 'pause':
      await run(TRAINING_COMMANDS.pause);
      return;
    case 'resume':
      await run(TRAINING_COMMANDS.resume);
      return;
    case 'stop':
      await run(TRAINING_COMMANDS.stop);
      return;
    case 'train':
      await run(TRAINING_COMMANDS.train, d.shownModelUri());
      return;
    case 'exportCsv':
      await run(TRAINING_COMMANDS.exportMetricsCsv, runDir);
      return;
    case 'evaluate':
      await run(TRAINING_COMMANDS.evaluateRun, runDir);
      return;
    case 'predict':
      await run(TRAINING_COMMANDS.predictImage, runDir);
      return;
    case 'compareRuns':
      await run(TRAINING_COMMANDS.compareRuns);
      return;
    case 'openFile':
      if (existsSync(m.path)) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(m.path), vscode.ViewColumn.Active);
      else void vscode.window.showWarningMessage(`${m.path} no longer exists (moved or deleted since the evaluation).`);
      return;
    case 'pickSample':
      await d.session.pickSample(m.sample).catch(showFailure('feature maps for that sample'));
      return;
    case 'closePickedSample':
      d.session.closePickedSample();
      return;
    case 'chooseGradCamLayer':
      await d.session.chooseGradCamLayer(m.layerId).catch(showFailure(`Grad-CAM at ${m.layerId}`));
      return;
    case 'selectLayer': {
      const modelUri = d.shownModelUri();
      if (modelUri) d.revealLayerInDesigner?.(modelUri, m.layerId);
      return;
    }
  }
}
