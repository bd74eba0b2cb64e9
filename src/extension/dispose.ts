/**
 * One base for everything the extension host sets up and must tear down: listeners, watchers,
 * emitters, timers. `register` keeps a disposable until `dispose`; registering after disposal disposes
 * at once (an answer that arrives late cannot leak). The shape of vscode-hexeditor's `src/dispose.ts`.
 */
import * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  protected register<T extends vscode.Disposable>(value: T): T {
    if (this.disposed) value.dispose();
    else this.disposables.push(value);
    return value;
  }

  /** A timer that is cleared on disposal. */
  protected registerTimer(timer: ReturnType<typeof setTimeout>): void {
    this.register(new vscode.Disposable(() => clearTimeout(timer)));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Last registered first, as they were set up.
    while (this.disposables.length) this.disposables.pop()!.dispose();
  }
}
