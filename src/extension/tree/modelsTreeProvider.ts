/**
 * The "Models" tree in the CNN Studio side bar: the workspace's `*.cnn.json` files, each with its
 * training runs. Refreshes when model files or run records appear, change or go away.
 */
import * as vscode from 'vscode';
import { parseModelText } from '../../core/loader';
import { MODEL_FILE_GLOB, MODEL_SEARCH_EXCLUDE } from '../model/modelFiles';
import { describeRun, modelBaseName, parseRunRecord, runBelongsTo, type FoundRun } from './runRecords';
import { Disposable } from '../dispose';

export const MODELS_VIEW_ID = 'cnnStudio.models';
const RUN_RECORD_GLOB = '**/.cnn-studio/runs/*/*/run.json';

export class ModelItem extends vscode.TreeItem {
  readonly kind = 'model' as const;
  constructor(
    readonly uri: vscode.Uri,
    readonly runs: readonly FoundRun[],
  ) {
    super(modelBaseName(uri.path), runs.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.resourceUri = uri;
    this.contextValue = 'cnnStudio.model';
    // The folder inside the workspace ("" at its root), not an absolute path.
    const relative = vscode.workspace.asRelativePath(uri, false);
    this.description = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
    this.tooltip = `${uri.fsPath}\n${runs.length} run(s)`;
    this.iconPath = new vscode.ThemeIcon('symbol-class');
    this.command = { title: 'Open Designer', command: 'vscode.openWith', arguments: [uri, 'cnnStudio.designer'] };
  }
}

export class RunItem extends vscode.TreeItem {
  readonly kind = 'run' as const;
  readonly uri: vscode.Uri;
  /** Training commands (open in dashboard, evaluate) take `{ runDir }`. */
  readonly runDir: string;
  constructor(readonly run: FoundRun) {
    super(run.record.runId, vscode.TreeItemCollapsibleState.None);
    this.uri = vscode.Uri.file(run.runDir);
    this.runDir = run.runDir;
    this.resourceUri = this.uri;
    this.contextValue = 'cnnStudio.run';
    this.description = describeRun(run.record);
    this.tooltip = `${run.runDir}${run.record.message ? `\n${run.record.message}` : ''}`;
    this.iconPath = new vscode.ThemeIcon(
      run.record.status === 'running' ? 'sync~spin' : run.record.status === 'failed' ? 'error' : run.record.status === 'finished' ? 'pass' : 'history',
    );
    this.command = { title: 'Open Run Record', command: 'vscode.open', arguments: [vscode.Uri.joinPath(this.uri, 'run.json')] };
  }
}

export type ModelsTreeItem = ModelItem | RunItem;

export class ModelsTreeProvider extends Disposable implements vscode.TreeDataProvider<ModelsTreeItem> {
  private readonly changed = this.register(new vscode.EventEmitter<ModelsTreeItem | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.register(new vscode.Disposable(() => this.refreshTimer && clearTimeout(this.refreshTimer)));
    for (const glob of [MODEL_FILE_GLOB, RUN_RECORD_GLOB]) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      const refresh = () => this.scheduleRefresh();
      this.register(watcher);
      for (const on of [watcher.onDidCreate, watcher.onDidDelete, watcher.onDidChange]) this.register(on(refresh));
    }
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 200);
  }

  getTreeItem(item: ModelsTreeItem): vscode.TreeItem {
    return item;
  }

  async getChildren(item?: ModelsTreeItem): Promise<ModelsTreeItem[]> {
    if (item?.kind === 'run') return [];
    if (item?.kind === 'model') return item.runs.map((r) => new RunItem(r));
    const [models, runs] = await Promise.all([
      vscode.workspace.findFiles(MODEL_FILE_GLOB, MODEL_SEARCH_EXCLUDE),
      this.findRuns(),
    ]);
    models.sort((a, b) => a.path.localeCompare(b.path));
    return Promise.all(
      models.map(async (uri) => {
        const name = await this.modelName(uri);
        const own = runs.filter((r) => runBelongsTo(r, uri.path, name));
        own.sort((a, b) => (b.record.createdAt ?? b.record.runId).localeCompare(a.record.createdAt ?? a.record.runId));
        return new ModelItem(uri, own);
      }),
    );
  }

  private async findRuns(): Promise<FoundRun[]> {
    const records = await vscode.workspace.findFiles(RUN_RECORD_GLOB, '**/node_modules/**');
    return Promise.all(
      records.map(async (uri) => {
        const runDir = vscode.Uri.joinPath(uri, '..');
        const modelFolder = runDir.path.split('/').slice(-2)[0] ?? '';
        let text = '';
        try {
          text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        } catch {
          // deleted between listing and reading: shown without details until the next refresh
        }
        return { runDir: runDir.fsPath, modelFolder, record: parseRunRecord(text, runDir.fsPath) };
      }),
    );
  }

  private async modelName(uri: vscode.Uri): Promise<string | undefined> {
    try {
      return parseModelText(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))).model?.name;
    } catch {
      return undefined;
    }
  }
}
