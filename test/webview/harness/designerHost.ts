/**
 * Plays the extension host's part for the designer webview in a real browser: serves the BUILT
 * bundle in the page `designerHtml` makes (same CSP), stands in for `acquireVsCodeApi`, records every
 * message the page posts, and answers like the host: snapshots built with the real loader, edits
 * applied with the real `applyModelEdit` (stale base versions rejected), undo/redo of whole texts.
 */
import { valueOrNull } from '../../../src/protocol/parseResult';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { applyModelEdit } from '../../../src/core/applyModelEdit';
import { parseModelText, serializeModel } from '../../../src/core/loader';
import type { ModelFile } from '../../../src/core/format';
import {
  designerContentFromParse,
  parseDesignerToHost,
  type DesignerCommandInfo,
  type DesignerToHost,
  type EditMessage,
  type HostToDesigner,
  type SnapshotMessage,
} from '../../../src/protocol/designer';
import { designerHtml } from '../../../webview/designer/html';
import type { StaticServer } from './server';
import { themeBodyClass, themeVariables, type ThemeName } from './themes';

export interface DesignerHarnessOptions {
  readonly theme?: ThemeName;
  readonly width?: number;
  readonly height?: number;
  readonly documentUri?: string;
  readonly readOnly?: boolean;
  readonly commands?: readonly DesignerCommandInfo[];
  readonly numClasses?: number;
  /** Playwright's wait for each action (default 5 s: a failing test fails fast). */
  readonly timeoutMs?: number;
}

let pageCounter = 0;

export class DesignerHarness {
  /** Every message the page posted, validated like the host does (`null` = rejected). */
  readonly received: (DesignerToHost | null)[] = [];
  /** Messages the harness sent to the page. */
  readonly sent: HostToDesigner[] = [];
  readonly pageErrors: string[] = [];
  readonly consoleErrors: string[] = [];
  text: string;
  version = 1;
  private readonly undoStack: string[] = [];
  private readonly redoStack: string[] = [];
  /** When set, `edit` messages are recorded but not applied (to look at the page's request). */
  holdEdits = false;

  private constructor(
    readonly page: Page,
    text: string,
    readonly documentUri: string,
    private readonly opts: DesignerHarnessOptions,
  ) {
    this.text = text;
  }

  static async open(browser: Browser, server: StaticServer, text: string, opts: DesignerHarnessOptions = {}): Promise<DesignerHarness> {
    const theme = opts.theme ?? 'dark';
    const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(opts.timeoutMs ?? 5000);
    const harness = new DesignerHarness(page, text, opts.documentUri ?? 'file:///work/models/model.cnn.json', opts);
    page.on('pageerror', (e) => harness.pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') harness.consoleErrors.push(m.text());
    });
    await page.exposeBinding('__cnnStudioToHost', (_source, raw: unknown) => harness.onMessage(raw));
    await page.addInitScript({ content: vscodeApiStandIn(themeVariables(theme), themeBodyClass(theme)) });
    const nonce = randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '');
    const path = `/designer-${++pageCounter}.html`;
    server.setPage(
      path,
      designerHtml({
        cspSource: server.origin,
        nonce,
        scriptUri: `${server.origin}/dist/webview/designer.js`,
        styleUri: `${server.origin}/dist/webview/designer.css`,
        title: 'model.cnn.json',
      }),
    );
    await page.goto(`${server.origin}${path}`);
    return harness;
  }

  get model(): ModelFile | null {
    return parseModelText(this.text).model;
  }

  snapshot(): SnapshotMessage {
    return {
      type: 'snapshot',
      documentUri: this.documentUri,
      version: this.version,
      text: this.text,
      content: designerContentFromParse(parseModelText(this.text)),
      ...(this.opts.numClasses !== undefined ? { numClasses: this.opts.numClasses } : {}),
      ...(this.opts.commands ? { commands: this.opts.commands } : {}),
      ...(this.opts.readOnly ? { readOnly: true } : {}),
    };
  }

  async send(message: HostToDesigner): Promise<void> {
    this.sent.push(message);
    // As VS Code does: a window message event in the page.
    await this.page.evaluate((m) => (globalThis as unknown as { postMessage(m: unknown, origin: string): void }).postMessage(m, '*'), message);
  }

  /** A change made outside the designer (the text editor, git): new version and a snapshot. */
  async setText(text: string): Promise<void> {
    this.undoStack.push(this.text);
    this.text = text;
    this.version++;
    await this.send(this.snapshot());
  }

  /**
   * Polls a JavaScript expression in the page until it is truthy. (Playwright's waitForFunction
   * compiles its predicate with eval, which the page's CSP rightly forbids.)
   */
  async waitForExpression(expression: string, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (await this.page.evaluate<unknown>(expression)) return;
      if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  /** Where on screen the edge `from` → `to` is, at `fraction` of its length (for clicking it). */
  async edgePoint(from: string, to: string, fraction: number): Promise<{ x: number; y: number }> {
    const selector = JSON.stringify(`g.edge[data-from="${from}"][data-to="${to}"] .edge-hit`);
    return this.page.evaluate<{ x: number; y: number }>(`(() => {
      const path = document.querySelector(${selector});
      const p = path.getPointAtLength(path.getTotalLength() * ${fraction});
      const m = path.getScreenCTM();
      return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
    })()`);
  }

  /** Messages of one type received so far. */
  messagesOf<T extends DesignerToHost['type']>(type: T): Extract<DesignerToHost, { type: T }>[] {
    return this.received.filter((m): m is Extract<DesignerToHost, { type: T }> => m !== null && m.type === type);
  }

  edits(): EditMessage[] {
    return this.messagesOf('edit');
  }

  /** Resolves when `count` edit messages have arrived in total and the last one was answered. */
  async waitForEdits(count: number, timeoutMs = 5000): Promise<EditMessage[]> {
    const until = Date.now() + timeoutMs;
    while (this.edits().length < count) {
      if (Date.now() > until) throw new Error(`expected ${count} edit message(s), got ${this.edits().length}: ${JSON.stringify(this.edits())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.idle();
    return this.edits();
  }

  private busy = Promise.resolve();

  /** Waits until every message received so far has been answered. */
  async idle(): Promise<void> {
    await this.busy;
  }

  private onMessage(raw: unknown): void {
    const message = valueOrNull(parseDesignerToHost(raw));
    this.received.push(message);
    if (!message) return;
    this.busy = this.busy.then(() => this.handle(message)).catch((err: unknown) => {
      this.pageErrors.push(`harness: ${String(err)}`);
    });
  }

  private async handle(m: DesignerToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.send(this.snapshot());
        return;
      case 'requestSnapshot':
        if (m.documentUri === this.documentUri) await this.send(this.snapshot());
        return;
      case 'edit': {
        if (m.documentUri !== this.documentUri || this.holdEdits) return;
        if (m.baseVersion !== this.version) {
          await this.send({ type: 'editRejected', documentUri: this.documentUri, baseVersion: m.baseVersion, message: 'The model changed before this edit arrived; it was not applied.' });
          await this.send(this.snapshot());
          return;
        }
        const model = this.model;
        if (!model) return; // the designer must never send edits for an invalid document
        let next: ModelFile;
        try {
          next = applyModelEdit(model, m.edit);
        } catch (err) {
          await this.send({ type: 'editRejected', documentUri: this.documentUri, baseVersion: m.baseVersion, message: err instanceof Error ? err.message : String(err) });
          await this.send(this.snapshot());
          return;
        }
        this.undoStack.push(this.text);
        this.redoStack.length = 0;
        this.text = serializeModel(next);
        this.version++;
        await this.send(this.snapshot());
        return;
      }
      case 'undo':
      case 'redo': {
        const from = m.type === 'undo' ? this.undoStack : this.redoStack;
        const to = m.type === 'undo' ? this.redoStack : this.undoStack;
        const text = from.pop();
        if (text === undefined) return;
        to.push(this.text);
        this.text = text;
        this.version++;
        await this.send(this.snapshot());
        return;
      }
      default:
        return; // openAsText, showError, runCommand: recorded only
    }
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}

/**
 * The page-side stand-in for VS Code's webview API, as source text (a function would be rewritten by
 * the test's TypeScript loader and break when serialised into the page).
 */
function vscodeApiStandIn(vars: Record<string, string>, bodyClass: string): string {
  return `(() => {
  const KEY = '__vscodeWebviewState';
  const vars = ${JSON.stringify(vars)};
  const bodyClass = ${JSON.stringify(bodyClass)};
  window.acquireVsCodeApi = () => ({
    // VS Code serialises messages as JSON on the way to the extension host.
    postMessage: (m) => window.__cnnStudioToHost(JSON.parse(JSON.stringify(m))),
    getState: () => { const s = sessionStorage.getItem(KEY); return s ? JSON.parse(s) : undefined; },
    setState: (s) => { sessionStorage.setItem(KEY, JSON.stringify(s)); return s; },
  });
  const applyTheme = () => {
    for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    if (document.body) { document.body.classList.add(bodyClass); document.body.dataset.vscodeThemeKind = bodyClass; }
  };
  if (document.documentElement) applyTheme();
  document.addEventListener('DOMContentLoaded', applyTheme);
})();`;
}
