/**
 * The text editor and the designer agree on the layer in view: when the cursor of a model's text editor
 * moves into a node (a click in the text, or a click on a Problems row, which places the cursor on the
 * problem's range), every open designer of that document selects and scrolls to that node. The designer
 * keeps the focus where the user put it; a hidden designer takes the node when it is shown again.
 */
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { nodeIdAtOffset } from '../diagnostics/nodeRanges';
import { isModelDocument } from '../model/modelFiles';
import type { DesignerEditorProvider } from './designerEditorProvider';

export class TextSelectionSync extends Disposable {
  /** The node last sent per document, so moving within one node sends nothing. */
  private readonly lastNode = new Map<string, string>();

  constructor(private readonly designers: DesignerEditorProvider) {
    super();
    this.register(vscode.window.onDidChangeTextEditorSelection((e) => this.follow(e.textEditor)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.lastNode.delete(d.uri.toString())));
  }

  private follow(editor: vscode.TextEditor): void {
    const document = editor.document;
    if (!isModelDocument(document)) return;
    const sessions = this.designers.sessionsFor(document.uri);
    if (sessions.length === 0) return;
    const nodeId = nodeIdAtOffset(document.getText(), document.offsetAt(editor.selection.active));
    const key = document.uri.toString();
    if (!nodeId || this.lastNode.get(key) === nodeId) return;
    this.lastNode.set(key, nodeId);
    for (const session of sessions) session.revealNode(nodeId);
  }
}
