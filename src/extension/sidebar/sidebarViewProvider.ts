/**
 * The "CNN Studio" side bar view (a webview view): the active model's layers, a layer palette, the
 * dataset and training settings, and Train / Pause / Stop when training is available. The page is
 * `dist/webview/sidebar.js`; this file answers its intents with model edits (one undo step each) and
 * commands, and sends it the state whenever the model, its text or the training status change.
 */
import * as vscode from 'vscode';
import { SIDEBAR_SETTINGS, checkSettingValue, parseSidebarToHost, type SidebarStateMessage, type SidebarToHost, type SidebarTrainingInfo } from '../../protocol/sidebar';
import { sidebarHtml } from '../../../webview/sidebar/html';
import { reportDatasetChoice, setDatasetFolder } from '../commands/useFolderAsDataset';
import type { DesignerEditorProvider } from '../editor/designerEditorProvider';
import { editModelDocument } from '../model/documentEdit';
import { UserFacingError } from '../userFacingError';
import { readModelText } from '../model/modelText';
import { Disposable } from '../dispose';
import type { OutputLog } from '../outputLog';
import { showWebviewPage, type WebviewPage } from '../webviewPage';
import { reportCommandError } from '../failableCommand';
import type { ActiveModelTracker } from './activeModel';
import { SidebarDatasetSummary, type DescribeDataset } from './datasetSummary';
import { parseModelText } from '../../core/loader';
import { setInputToDataEdit } from '../../core/datasetFolder';

export const SIDEBAR_VIEW_ID = 'cnnStudio.sidebar';

/** Where the side bar gets the training state from (the training feature provides it). */
export interface TrainingStatusSource {
  /** `modelUri`: the model the side bar shows. */
  current(modelUri?: vscode.Uri): SidebarTrainingInfo;
  readonly onDidChange: vscode.Event<void>;
  /** Command ids to run for the buttons. */
  readonly commands: { readonly train: string; readonly pause: string; readonly resume: string; readonly stop: string };
}

export class SidebarViewProvider extends Disposable implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private training: TrainingStatusSource | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private page: WebviewPage | undefined;
  /** The last state posted, for tests. */
  lastState: SidebarStateMessage | undefined;
  /** The dataset panel's engine answers, posted apart from the state. */
  readonly dataset = new SidebarDatasetSummary((message) => void this.view?.webview.postMessage(message));

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly activeModel: ActiveModelTracker,
    private readonly designers: DesignerEditorProvider,
    private readonly log: OutputLog,
  ) {
    super();
    this.register(new vscode.Disposable(() => this.pending && clearTimeout(this.pending)));
    this.register(activeModel.onDidChange(() => this.schedule()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()));
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === activeModel.current?.toString()) this.schedule();
      }),
    );
  }

  /** Called by the training feature once it exists; Train / Pause / Stop appear then. */
  setTrainingSource(source: TrainingStatusSource): vscode.Disposable {
    this.training = source;
    const sub = source.onDidChange(() => this.schedule());
    this.schedule();
    return new vscode.Disposable(() => {
      sub.dispose();
      if (this.training === source) this.training = undefined;
      this.schedule();
    });
  }

  /** Called by the training feature: the dataset panel asks the engine what the data holds. */
  setDatasetDescriber(describe: DescribeDataset): vscode.Disposable {
    this.dataset.setDescriber(describe);
    this.schedule();
    return new vscode.Disposable(() => this.dataset.setDescriber(undefined));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    // Like the designer: a page whose script failed to load is rendered again (twice at most).
    this.page = this.register(showWebviewPage(view.webview, this.extensionUri, 'sidebar', sidebarHtml, this.log));
    this.register(view.webview.onDidReceiveMessage((raw) => void this.receive(raw)));
    this.register(view.onDidChangeVisibility(() => view.visible && this.schedule()));
    this.register(view.onDidDispose(() => (this.view = undefined)));
  }

  private schedule(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.postState();
    }, 60);
  }

  private async postState(): Promise<void> {
    if (!this.view) return;
    const uri = this.activeModel.current;
    let model: SidebarStateMessage['model'] = null;
    if (uri) {
      const document = await vscode.workspace.openTextDocument(uri);
      model = { documentUri: uri.toString(), fileName: vscode.workspace.asRelativePath(uri), version: document.version, content: readModelText(document.getText()) };
    }
    const trusted = vscode.workspace.isTrusted;
    const state: SidebarStateMessage = {
      type: 'state',
      model,
      training: trusted && this.training ? this.training.current(uri) : null,
      ...(trusted ? {} : { trainingNote: 'Training is disabled because this folder is not trusted. Designing and validating still work.' }),
    };
    this.lastState = state;
    void this.view.webview.postMessage(state);
    if (uri && model?.content.kind === 'model') this.dataset.update(uri, model.content.model);
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = parseSidebarToHost(raw);
    if (!parsed.ok) {
      this.log.line(`side bar: ignored ${parsed.error}`);
      return;
    }
    const message = parsed.value;
    try {
      await this.handle(message);
    } catch (err) {
      reportCommandError(`side bar ${message.type}`, err, this.log);
      this.schedule();
    }
  }

  private async handle(message: SidebarToHost): Promise<void> {
    const uriOf = (documentUri: string) => vscode.Uri.parse(documentUri, true);
    switch (message.type) {
      case 'ready':
        this.page?.markLoaded();
        await this.postState();
        return;
      case 'addLayer':
        await vscode.commands.executeCommand('cnnStudio.addLayer', { uri: uriOf(message.documentUri), layerType: message.layerType });
        return;
      case 'revealNode':
        await this.designers.revealNode(uriOf(message.documentUri), message.nodeId);
        return;
      case 'setSetting': {
        const problem = checkSettingValue(message.setting, message.value);
        if (problem) throw new UserFacingError(problem);
        const document = await vscode.workspace.openTextDocument(uriOf(message.documentUri));
        const edit = SIDEBAR_SETTINGS[message.setting].edit(message.value);
        const outcome = await editModelDocument(document, edit, message.baseVersion);
        if (outcome.kind === 'refused') throw new UserFacingError(outcome.message);
        if (outcome.kind === 'stale') this.schedule(); // the model changed meanwhile: show the current values instead
        return;
      }
      case 'chooseDataset': {
        const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Use as Dataset', title: 'Image folder with one sub-folder per class' });
        if (!picked?.[0]) return;
        const document = await vscode.workspace.openTextDocument(uriOf(message.documentUri));
        const dataset = await setDatasetFolder(document, picked[0]);
        void reportDatasetChoice(document, dataset, this.dataset.describer).catch((err: unknown) => reportCommandError('side bar chooseDataset', err, this.log));
        return;
      }
      case 'setInputToData':
      case 'setAugmentation': {
        const document = await vscode.workspace.openTextDocument(uriOf(message.documentUri));
        const { model } = parseModelText(document.getText());
        if (!model) return;
        const edit =
          message.type === 'setAugmentation'
            ? ({ kind: 'setTrainingSettings', settings: { augmentation: message.augmentation } } as const)
            : setInputToDataEdit(model, message.shape);
        if (!edit) throw new UserFacingError('The model has no Input layer to set: add one (Add Layer… › Input) first.');
        const outcome = await editModelDocument(document, edit, message.baseVersion);
        if (outcome.kind === 'refused') throw new UserFacingError(outcome.message);
        if (outcome.kind === 'stale') this.schedule();
        return;
      }
      case 'command': {
        const uri = message.documentUri ? uriOf(message.documentUri) : undefined;
        switch (message.command) {
          case 'newModel':
            await vscode.commands.executeCommand('cnnStudio.newModelFromTemplate');
            return;
          case 'openDesigner':
            await vscode.commands.executeCommand('cnnStudio.openDesigner', uri);
            return;
          case 'openAsText':
            await vscode.commands.executeCommand('cnnStudio.openAsText', uri);
            return;
          default: {
            if (!this.training) return; // no buttons are shown without a training source
            await vscode.commands.executeCommand(this.training.commands[message.command], uri);
            return;
          }
        }
      }
    }
  }

}
