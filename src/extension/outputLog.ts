/** The "CNN Studio" output channel: summaries, validation results and errors with their stacks. */
import * as vscode from 'vscode';

export class OutputLog implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('CNN Studio');

  line(text: string): void {
    this.channel.appendLine(text);
  }

  error(context: string, err: unknown): void {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    this.channel.appendLine(`[error] ${context}: ${detail}`);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
