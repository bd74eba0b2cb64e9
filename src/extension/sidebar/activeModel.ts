/**
 * Which model the side bar is about: the model in the active editor tab (designer or text), else the
 * last such model while a tab of it is still open.
 */
import * as vscode from 'vscode';
import { modelUriOfTab } from '../model/modelResolver';
import { Disposable } from '../dispose';

function isOpenInSomeTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => modelUriOfTab(t)?.toString() === key));
}

export class ActiveModelTracker extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri | undefined>());
  readonly onDidChange = this.changed.event;
  private uri: vscode.Uri | undefined;

  constructor() {
    super();
    this.uri = this.compute();
    this.register(vscode.window.tabGroups.onDidChangeTabs(() => this.update()));
    this.register(vscode.window.tabGroups.onDidChangeTabGroups(() => this.update()));
  }

  get current(): vscode.Uri | undefined {
    return this.uri;
  }

  private compute(): vscode.Uri | undefined {
    const active = modelUriOfTab(vscode.window.tabGroups.activeTabGroup.activeTab);
    if (active) return active;
    return this.uri && isOpenInSomeTab(this.uri) ? this.uri : undefined;
  }

  private update(): void {
    const next = this.compute();
    if (next?.toString() === this.uri?.toString()) return;
    this.uri = next;
    this.changed.fire(next);
  }
}
