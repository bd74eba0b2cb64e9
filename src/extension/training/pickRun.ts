/** Where runs are and how the user picks one: command arguments first, else a quick pick of the workspace's runs. */
import * as vscode from 'vscode';
import { join } from 'node:path';
import { hasCheckpoint } from '../../engine/runs/checkpoints';
import { listRuns, RUN_FILES } from '../../engine/runs/runStore';
import type { RunRecord, RunSummary } from '../../protocol/engine';
import { UserFacingError } from '../userFacingError';
import { runChoiceText, runsThatCanPredict } from './predictRunChoice';

/** Accepts what callers pass: a path, a Uri, a tree item or run summary with `runDir`. */
export function runDirFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (arg && typeof arg === 'object') {
    const o = arg as { runDir?: unknown; resourceUri?: unknown };
    if (typeof o.runDir === 'string') return o.runDir;
    if (o.resourceUri instanceof vscode.Uri) return o.resourceUri.fsPath;
  }
  return undefined;
}

export function workspaceRuns(): RunSummary[] {
  const out: RunSummary[] = [];
  for (const f of vscode.workspace.workspaceFolders ?? []) out.push(...listRuns(f.uri.fsPath));
  return out.sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt));
}

interface RunPick extends vscode.QuickPickItem {
  readonly runDir: string;
}

/** How a run is named to the user: its model and its id, as the run pickers list it. */
export function runLabel(rec: Pick<RunRecord, 'modelName' | 'runId'>): string {
  return `${rec.modelName} · ${rec.runId}`;
}

function toPick(r: RunSummary): RunPick {
  const rec = r.record;
  const acc = rec.bestValAccuracy !== null ? ` · best val acc ${(rec.bestValAccuracy * 100).toFixed(1)}%` : '';
  return {
    label: runLabel(rec),
    description: `${rec.status} · ${rec.epochsCompleted}/${rec.epochsPlanned} epochs${acc}`,
    detail: r.runDir,
    runDir: r.runDir,
  };
}

function noRuns(): UserFacingError {
  return new UserFacingError('There are no training runs in this workspace yet. Train a model first (CNN Studio: Train Model).');
}

export async function pickRun(title: string): Promise<string | undefined> {
  const runs = workspaceRuns();
  if (runs.length === 0) throw noRuns();
  const picked = await vscode.window.showQuickPick(runs.map(toPick), { title, matchOnDetail: true });
  return picked?.runDir;
}

export async function pickRuns(title: string, preselect: readonly string[]): Promise<string[] | undefined> {
  const runs = workspaceRuns();
  if (runs.length === 0) throw noRuns();
  const items = runs.map((r) => ({ ...toPick(r), picked: preselect.includes(r.runDir) }));
  const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, matchOnDetail: true });
  return picked?.map((p) => p.runDir);
}

/**
 * The run to predict with: the only run that has a checkpoint, else the user's pick among them (latest
 * first, by model, date and accuracy). Never silently the run the dashboard happens to show.
 */
export async function pickRunToPredictWith(title: string): Promise<string | undefined> {
  const all = workspaceRuns();
  if (all.length === 0) throw noRuns();
  const runs = runsThatCanPredict(all, (dir) => hasCheckpoint(join(dir, RUN_FILES.best)) || hasCheckpoint(join(dir, RUN_FILES.last)));
  if (runs.length === 0) throw new UserFacingError('No training run in this workspace has a checkpoint yet: each ended before its first epoch finished. Train a model for at least one epoch (CNN Studio: Train Model), then predict.');
  if (runs.length === 1) return runs[0]!.runDir;
  const items: RunPick[] = runs.map((r) => ({ ...runChoiceText(r, vscode.workspace.asRelativePath(r.runDir)), runDir: r.runDir }));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Latest run first', matchOnDescription: true, matchOnDetail: true });
  return picked?.runDir;
}
