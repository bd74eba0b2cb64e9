/**
 * The Problems panel for open `*.cnn.json` documents: refreshed when a model document opens or changes
 * (debounced while typing) and cleared when it closes. Whatever editor shows the file (designer or
 * text), the problems are the same.
 */
import * as vscode from 'vscode';
import type { Diagnostic as ModelDiagnostic, Severity } from '../../core/diagnostics';
import { locateModelProblems } from '../model/modelProblems';
import { isModelDocument } from '../model/modelFiles';
import type { OutputLog } from '../outputLog';
import { Disposable } from '../dispose';

const REFRESH_DEBOUNCE_MS = 150;

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class ModelDiagnostics extends Disposable {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('cnnStudio'));
  /** The model diagnostic behind each Problems entry, for quick fixes. */
  private readonly origins = new WeakMap<vscode.Diagnostic, ModelDiagnostic>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly log: OutputLog) {
    super();
    this.register(new vscode.Disposable(() => this.timers.forEach((t) => clearTimeout(t))));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)));
    for (const d of vscode.workspace.textDocuments) this.refresh(d);
  }

  /** Recomputes a document's problems now (commands call this so their answer is current). */
  refresh(document: vscode.TextDocument): readonly vscode.Diagnostic[] {
    if (!isModelDocument(document)) return [];
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) {
      clearTimeout(pending);
      this.timers.delete(key);
    }
    try {
      const diagnostics = locateModelProblems(document.getText()).map(({ diagnostic, range }) => {
        const d = new vscode.Diagnostic(
          new vscode.Range(document.positionAt(range.start), document.positionAt(range.end)),
          diagnostic.message,
          SEVERITY[diagnostic.severity],
        );
        d.source = 'CNN Studio';
        d.code = diagnostic.code;
        this.origins.set(d, diagnostic);
        return d;
      });
      this.collection.set(document.uri, diagnostics);
      return diagnostics;
    } catch (err) {
      this.log.error(`checking ${document.uri.fsPath}`, err);
      return [];
    }
  }

  /** The model diagnostic a Problems entry was made from. */
  originOf(d: vscode.Diagnostic): ModelDiagnostic | undefined {
    return this.origins.get(d);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isModelDocument(document)) return;
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.refresh(document);
      }, REFRESH_DEBOUNCE_MS),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.collection.delete(uri);
  }
}
