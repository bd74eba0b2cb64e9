/**
 * The designer page: receives snapshots, runs the analysis, lays out and draws the graph, and turns
 * gestures and keys into `ModelEdit`s sent to the host. It never changes the model itself; the next
 * snapshot shows the result. At most one edit is in flight; later ones wait for the snapshot and are
 * sent against its version.
 */
import { checkModel, mergeDiagnostics } from '../../src/core/checkModel';
import { applyModelEdit } from '../../src/core/applyModelEdit';
import { getLayerSpec } from '../../src/core/catalogue';
import { createModelFromTemplate } from '../../src/core/templates';
import type { ModelAnalysis, ModelTotals, NodeAnalysis } from '../../src/core/analysis';
import type { Diagnostic, QuickFix } from '../../src/core/diagnostics';
import type { ModelFile, ModelNode } from '../../src/core/format';
import type { ModelEdit } from '../../src/core/modelEdit';
import { isModelNode, type DesignerToHost, type HostToDesigner, type SnapshotMessage } from '../../src/protocol/designer';
import { clear, h, isTyping } from '../common/dom';
import type { HostConnection } from '../common/vscodeApi';
import { GraphCanvas, type DropTarget } from './canvas';
import { addLayerEdit, connectEdit, copiesOf, insertAfterEdit, newNode, quickFixEdit } from './editBuilders';
import { ModelGraph } from '../../src/core/graph';
import { edgeKey } from './graph';
import { Inspector } from './inspector';
import { neighbourInDirection, type Direction } from './keyboardNav';
import { layoutGraph, type GraphLayout } from './layout';
import { emptyModelView, invalidDocumentView } from './messageViews';
import { Palette } from './palette';
import { LayerQuickPick } from './quickPick';
import { estimateModelTrainingMemory } from '../../src/core/trainingMemory';
import { SummaryBar } from './summaryBar';
import { Toolbar, type ToolbarAction } from './toolbar';
import type { DesignerViewState } from './viewState';

export type DesignerConnection = HostConnection<DesignerToHost, HostToDesigner, DesignerViewState>;

/** Clipboard payload marker, so pasting other JSON does nothing. */
const CLIPBOARD_KEY = 'cnnStudioNodes';
const PENDING_TIMEOUT_MS = 5000;
/** Short faces for the codicons host commands name (codicons themselves are not bundled). */
const CODICON_GLYPHS: Readonly<Record<string, string>> = { play: '▶', 'debug-start': '▶', 'run-all': '▶', 'debug-stop': '■', refresh: '↻' };

interface Derived {
  readonly model: ModelFile;
  readonly graph: ModelGraph;
  readonly layout: GraphLayout;
  readonly analysis: ModelAnalysis | null;
  readonly nodeAnalysis: ReadonlyMap<string, NodeAnalysis>;
  readonly totals: ModelTotals | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly problems: ReadonlyMap<string, readonly Diagnostic[]>;
}

export class DesignerApp {
  private readonly root: HTMLElement;
  private readonly toolbar = new Toolbar();
  private readonly main: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly toast: HTMLElement;
  private readonly canvas: GraphCanvas;
  private readonly palette: Palette;
  private readonly inspector: Inspector;
  private readonly summary: SummaryBar;
  private readonly quickPick = new LayerQuickPick();
  private readonly shortcuts: HTMLElement;

  private snapshot: SnapshotMessage | null = null;
  private derived: Derived | null = null;
  private preview: ModelEdit | null = null;
  private selection = new Set<string>();
  private focusedId: string | null = null;
  private selectedEdge: string | null = null;
  private selectAfterSnapshot: string[] | null = null;
  private pendingVersion: number | null = null;
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  private queue: ModelEdit[] = [];
  private problemCursor = -1;
  private cameraRestored = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private selectionTimer: ReturnType<typeof setTimeout> | undefined;
  /** `documentUri + ids` of the last `selectionChanged` sent, so only real changes are reported. */
  private reportedSelection = '';
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private paletteFilter: string;

  constructor(
    root: HTMLElement,
    private readonly conn: DesignerConnection,
  ) {
    this.root = root;
    const saved = conn.loadState();
    this.paletteFilter = saved?.paletteFilter ?? '';
    this.canvas = new GraphCanvas({
      select: (ids, mode) => this.select(ids, mode),
      selectEdge: (from, to) => this.selectEdgeKey(edgeKey(from, to)),
      clearSelection: () => this.select([], 'replace'),
      moveNodes: (positions) => this.sendEdit({ kind: 'moveNodes', positions }),
      connect: (from, to) => this.connect(from, to),
      insertOnEdge: (from, to) => this.openPicker({ kind: 'edge', from, to }),
      dropLayer: (type, target) => this.dropLayer(type, target),
      activate: (id) => {
        this.select([id], 'replace');
        this.inspector.focusFirstField();
      },
      cameraChanged: () => this.scheduleSave(),
    });
    this.palette = new Palette(
      {
        add: (type) => this.addLayer(type),
        filterChanged: (f) => {
          this.paletteFilter = f;
          this.scheduleSave();
        },
      },
      this.paletteFilter,
    );
    this.inspector = new Inspector({
      edit: (edit) => this.sendEdit(edit),
      preview: (edit) => this.setPreview(edit),
      applyFix: (fix) => this.applyFix(fix),
      select: (id) => this.selectAndReveal(id),
      deleteSelection: () => this.deleteSelection(),
      duplicateSelection: () => this.duplicateSelection(),
      collapsedChanged: () => {
        this.scheduleSave();
        // The graph gets (or gives back) the inspector's room: the ResizeObserver refits it.
      },
    }, saved?.inspectorCollapsed ?? false);
    this.summary = new SummaryBar(() => this.nextProblem());
    this.stage = h('div', { class: 'stage' }, this.canvas.element);
    this.main = h('main', { class: 'workspace' }, this.palette.element, this.stage, this.inspector.element);
    this.toast = h('div', { class: 'toast', role: 'alert', hidden: true });
    this.shortcuts = shortcutsDialog();
    if (saved) {
      this.selection = new Set(saved.selection);
      this.focusedId = saved.selection[0] ?? null;
    }
    this.savedState = saved ?? null;

    clear(this.root);
    this.root.dataset.state = 'loading';
    this.root.append(
      this.toolbar.element,
      this.main,
      this.summary.element,
      this.quickPick.element,
      this.shortcuts,
      this.toast,
      h('p', { class: 'loading', role: 'status' }, 'Loading the model…'),
    );
    this.wireKeys();
    this.wireClipboard();
    conn.onMessage((m) => this.onMessage(m));
    // The canvas must show the graph whatever happens to its size: a panel opening beside the editor,
    // the page hidden (0 × 0) and shown again, the first snapshot arriving before layout.
    new ResizeObserver(() => this.stageResized()).observe(this.stage);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.stageResized();
    });
    conn.post({ type: 'ready' });
  }

  private readonly savedState: DesignerViewState | null;

  /* ---------------------------------------------------------------------------------------------- */
  /* messages                                                                                       */
  /* ---------------------------------------------------------------------------------------------- */

  private onMessage(m: HostToDesigner): void {
    const uri = this.snapshot?.documentUri;
    if (uri !== undefined && m.documentUri !== uri) return; // meant for another document's panel
    switch (m.type) {
      case 'snapshot':
        if (this.snapshot && m.version < this.snapshot.version) return; // an older state overtaken by a newer one
        this.acceptSnapshot(m);
        break;
      case 'editRejected':
        if (this.pendingVersion !== null && m.baseVersion === this.pendingVersion) this.clearPending();
        this.queue = []; // they were made against a model that no longer is (the host sends a fresh snapshot)
        this.selectAfterSnapshot = null; // the layer it would have selected may not exist
        this.showToast(m.message);
        break;
      case 'revealNode':
        this.selectAndReveal(m.nodeId);
        break;
    }
  }

  private acceptSnapshot(m: SnapshotMessage): void {
    const first = this.snapshot === null;
    this.snapshot = m;
    this.preview = null;
    // The host answers every edit with exactly one snapshot (the same version when nothing changed).
    if (this.pendingVersion !== null && m.version >= this.pendingVersion) this.clearPending();
    this.canvas.resetDrag();
    this.derive();
    if (this.derived) {
      const ids = this.derived.graph.byId;
      if (this.selectAfterSnapshot) {
        const wanted = this.selectAfterSnapshot.filter((id) => ids.has(id));
        if (wanted.length) {
          this.selection = new Set(wanted);
          this.focusedId = wanted[0]!;
          this.selectedEdge = null;
        }
        this.selectAfterSnapshot = null;
      }
      this.selection = new Set([...this.selection].filter((id) => ids.has(id)));
      if (this.focusedId && !ids.has(this.focusedId)) this.focusedId = [...this.selection][0] ?? null;
      if (this.selectedEdge && !this.derived.graph.edges.some((e) => edgeKey(e.from, e.to) === this.selectedEdge)) this.selectedEdge = null;
    }
    if (first && this.savedState && this.savedState.documentUri !== m.documentUri) {
      // State saved for another document (the panel was reused): start fresh.
      this.selection.clear();
      this.focusedId = null;
    }
    this.renderAll();
    if (!this.cameraRestored) this.initialCamera();
    this.flushQueue();
  }

  private derive(): void {
    const snap = this.snapshot;
    if (!snap || snap.content.kind !== 'model') {
      this.derived = null;
      return;
    }
    let model = snap.content.model;
    if (this.preview) {
      try {
        model = applyModelEdit(model, this.preview);
      } catch {
        this.preview = null;
      }
    }
    const graph = new ModelGraph(model.nodes);
    const layout = layoutGraph(model, graph);
    let analysis: ModelAnalysis | null = null;
    let diagnostics: Diagnostic[];
    try {
      ({ analysis, diagnostics } = checkModel(model, snap.content.loadDiagnostics, snap.numClasses !== undefined ? { numClasses: snap.numClasses } : {}));
    } catch (err) {
      // A bug in analysis must not take the editor down: show the graph without shapes.
      console.error('analyzeModel failed', err);
      diagnostics = mergeDiagnostics(snap.content.loadDiagnostics);
    }
    const problems = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) {
      if (d.nodeId === null) continue;
      const list = problems.get(d.nodeId) ?? [];
      list.push(d);
      problems.set(d.nodeId, list);
    }
    this.derived = {
      model,
      graph,
      layout,
      analysis,
      nodeAnalysis: analysis?.nodes ?? new Map(),
      totals: analysis?.totals ?? null,
      diagnostics,
      problems,
    };
  }

  /* ---------------------------------------------------------------------------------------------- */
  /* rendering                                                                                      */
  /* ---------------------------------------------------------------------------------------------- */

  private get readOnly(): boolean {
    return this.snapshot?.readOnly === true;
  }

  private renderAll(): void {
    const snap = this.snapshot;
    if (!snap) return;
    this.renderToolbar();
    this.root.querySelector('.loading')?.remove();
    this.stage.querySelector('.message-view')?.remove();
    if (snap.content.kind === 'invalid') {
      this.root.dataset.state = 'invalid';
      this.stage.append(invalidDocumentView(snap, () => this.openAsText()));
      this.summary.element.hidden = true;
      return;
    }
    const d = this.derived!;
    this.palette.setReadOnly(this.readOnly);
    this.summary.element.hidden = false;
    this.summary.render(d.totals, d.diagnostics, d.model.nodes.length, estimateModelTrainingMemory(d.model, d.analysis));
    if (d.model.nodes.length === 0) {
      this.root.dataset.state = 'empty';
      this.stage.append(
        emptyModelView(
          {
            addInput: () => this.addLayer('Input'),
            openPicker: () => this.openPicker({ kind: 'after', id: null }),
            useTemplate: (id) => this.useTemplate(id),
          },
          this.readOnly,
        ),
      );
    } else this.root.dataset.state = 'model';
    this.renderGraphAndInspector();
  }

  private renderGraphAndInspector(): void {
    const d = this.derived;
    if (!d) return;
    const canvasHadFocus = this.canvas.element.contains(document.activeElement);
    this.canvas.render({
      model: d.model,
      graph: d.graph,
      layout: d.layout,
      nodeAnalysis: d.nodeAnalysis,
      problems: d.problems,
      selection: this.selection,
      selectedEdge: this.selectedEdge,
      focusedId: this.focusedId,
      readOnly: this.readOnly,
    });
    if (canvasHadFocus) {
      if (this.focusedId && d.graph.byId.has(this.focusedId)) this.canvas.focusNode(this.focusedId);
      else this.canvas.focusTarget.focus({ preventScroll: true });
    }
    this.inspector.render({
      model: d.model,
      snapshotModel: this.snapshot?.content.kind === 'model' ? this.snapshot.content.model : d.model,
      selection: [...this.selection],
      nodeAnalysis: d.nodeAnalysis,
      totals: d.totals,
      diagnostics: d.diagnostics,
      readOnly: this.readOnly,
    });
    this.scheduleSave();
    this.scheduleSelectionReport();
  }

  private renderToolbar(): void {
    const snap = this.snapshot!;
    const name = snap.content.kind === 'model' ? snap.content.model.name || 'Untitled model' : 'Invalid model file';
    const actions: ToolbarAction[] = [];
    // overflowRank: what moves into the ⋯ menu first when the editor is very narrow (lowest first).
    const add = (group: string, overflowRank: number, action: string, label: string, title: string, text: string, short: string | undefined, run: () => void): void => {
      actions.push({ group, overflowRank, action, label, title, text, ...(short !== undefined ? { short } : {}), run });
    };
    if (snap.content.kind === 'model') {
      if (!this.readOnly) add('add', 90, 'add-layer', 'Add Layer…', 'Add a layer after the selection (A)', '+ Add Layer…', '+ Add', () => this.openPicker({ kind: 'after', id: this.focusedId }));
      if (snap.content.model.nodes.length) {
        add('view', 30, 'zoom-out', 'Zoom out', 'Zoom out (-)', '−', undefined, () => this.canvas.zoomBy(1 / 1.25));
        add('view', 40, 'zoom-in', 'Zoom in', 'Zoom in (+)', '+', undefined, () => this.canvas.zoomBy(1.25));
        add('view', 60, 'fit', 'Fit to view', 'Fit the whole model in view (F)', 'Fit', undefined, () => this.canvas.fitToView());
      }
      if (!this.readOnly) {
        add('history', 70, 'undo', 'Undo', 'Undo (Ctrl+Z)', '↶', undefined, () => this.conn.post({ type: 'undo', documentUri: snap.documentUri }));
        add('history', 50, 'redo', 'Redo', 'Redo (Ctrl+Y)', '↷', undefined, () => this.conn.post({ type: 'redo', documentUri: snap.documentUri }));
      }
      for (const c of snap.commands ?? []) {
        const glyph = c.icon ? CODICON_GLYPHS[c.icon] : undefined;
        add('commands', 80, `command:${c.id}`, c.title, c.title, c.title, glyph, () => this.conn.post({ type: 'runCommand', documentUri: snap.documentUri, command: c.id }));
      }
    }
    add('text', 20, 'open-as-text-toolbar', 'Open as Text', 'Open the JSON in the text editor', 'Open as Text', '{ }', () => this.openAsText());
    add('text', 10, 'shortcuts', 'Keyboard shortcuts', 'Keyboard shortcuts (?)', '?', undefined, () => this.toggleShortcuts());
    this.toolbar.render(name, snap.readOnly ? 'read-only' : null, actions);
  }

  private initialCamera(): void {
    const d = this.derived;
    if (!d || !d.model.nodes.length) return;
    const rect = this.canvas.element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return; // not laid out yet; the ResizeObserver calls again
    this.cameraRestored = true;
    const saved = this.savedState;
    if (saved && saved.camera && saved.documentUri === this.snapshot?.documentUri) this.canvas.restoreCamera(saved.camera);
    else this.canvas.fitToView(0.8);
  }

  private stageResized(): void {
    if (!this.cameraRestored) this.initialCamera();
    else this.canvas.viewResized();
  }

  private scheduleSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      const uri = this.snapshot?.documentUri;
      if (!uri) return;
      this.conn.saveState({ documentUri: uri, selection: [...this.selection], camera: !this.cameraRestored ? this.savedState?.camera ?? null : this.canvas.followsFit ? null : this.canvas.getCamera(), paletteFilter: this.paletteFilter, inspectorCollapsed: this.inspector.collapsed });
    }, 150);
  }

  /** Tells the host the selected layers once the selection settles (arrow keys move it quickly). */
  private scheduleSelectionReport(): void {
    clearTimeout(this.selectionTimer);
    this.selectionTimer = setTimeout(() => {
      const uri = this.snapshot?.documentUri;
      if (!uri) return;
      const nodeIds = [...this.selection];
      const key = `${uri}\n${nodeIds.join('\n')}`;
      if (key === this.reportedSelection) return;
      // Nothing selected yet in a freshly opened page is not news.
      if (this.reportedSelection === '' && nodeIds.length === 0) return;
      this.reportedSelection = key;
      this.conn.post({ type: 'selectionChanged', documentUri: uri, nodeIds });
    }, 150);
  }

  private showToast(message: string): void {
    this.toast.textContent = message;
    this.toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast.hidden = true), 7000);
  }

  /* ---------------------------------------------------------------------------------------------- */
  /* selection                                                                                      */
  /* ---------------------------------------------------------------------------------------------- */

  private select(ids: readonly string[], mode: 'replace' | 'toggle' | 'add'): void {
    const before = [...this.selection].join(',') + '|' + this.selectedEdge + '|' + this.focusedId;
    if (mode === 'replace') this.selection = new Set(ids);
    else if (mode === 'add') for (const id of ids) this.selection.add(id);
    else for (const id of ids) (this.selection.has(id) ? this.selection.delete(id) : this.selection.add(id));
    this.selectedEdge = null;
    this.focusedId = ids.length && this.selection.has(ids[ids.length - 1]!) ? ids[ids.length - 1]! : ([...this.selection][0] ?? null);
    const after = [...this.selection].join(',') + '|' + this.selectedEdge + '|' + this.focusedId;
    if (before !== after) this.renderGraphAndInspector();
    if (this.focusedId) this.canvas.focusNode(this.focusedId);
  }

  private selectEdgeKey(key: string): void {
    this.selection.clear();
    this.selectedEdge = key;
    this.renderGraphAndInspector();
    this.canvas.focusTarget.focus({ preventScroll: true });
  }

  private selectAndReveal(id: string): void {
    if (!this.derived?.graph.byId.has(id)) return;
    this.select([id], 'replace');
    this.canvas.reveal(id);
    this.canvas.focusNode(id);
  }

  private nextProblem(): void {
    const d = this.derived;
    if (!d || !d.diagnostics.length) return;
    const withNodes = d.diagnostics.filter((x) => x.nodeId !== null && d.graph.byId.has(x.nodeId));
    const ids = [...new Set(withNodes.map((x) => x.nodeId!))];
    if (!ids.length) {
      this.select([], 'replace'); // model-level problems are listed in the overview
      return;
    }
    this.problemCursor = (this.problemCursor + 1) % ids.length;
    this.selectAndReveal(ids[this.problemCursor]!);
  }

  /* ---------------------------------------------------------------------------------------------- */
  /* edits                                                                                          */
  /* ---------------------------------------------------------------------------------------------- */

  private setPreview(edit: ModelEdit | null): void {
    if (!this.snapshot || this.snapshot.content.kind !== 'model') return;
    if (edit === null && this.preview === null) return;
    this.preview = edit;
    this.derive();
    const d = this.derived!;
    this.summary.render(d.totals, d.diagnostics, d.model.nodes.length, estimateModelTrainingMemory(d.model, d.analysis));
    this.renderGraphAndInspector();
  }

  private sendEdit(edit: ModelEdit, selectAfter?: string[]): void {
    const snap = this.snapshot;
    if (!snap || snap.content.kind !== 'model' || this.readOnly) return;
    // Check it here first: an edit the host would refuse gets its message now, and is not sent.
    try {
      applyModelEdit(snap.content.model, edit);
    } catch (err) {
      this.showToast(err instanceof Error ? err.message : String(err));
      return;
    }
    if (selectAfter) this.selectAfterSnapshot = selectAfter;
    if (this.pendingVersion !== null) {
      this.queue.push(edit);
      return;
    }
    this.pendingVersion = snap.version;
    clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => {
      // No answer: ask for the current state rather than wait forever.
      this.clearPending();
      this.conn.post({ type: 'requestSnapshot', documentUri: snap.documentUri });
    }, PENDING_TIMEOUT_MS);
    this.conn.post({ type: 'edit', documentUri: snap.documentUri, baseVersion: snap.version, edit });
  }

  private clearPending(): void {
    this.pendingVersion = null;
    clearTimeout(this.pendingTimer);
  }

  private flushQueue(): void {
    const next = this.queue.shift();
    if (next) this.sendEdit(next);
  }

  private openAsText(): void {
    if (this.snapshot) this.conn.post({ type: 'openAsText', documentUri: this.snapshot.documentUri });
  }

  private addLayer(type: string): void {
    const d = this.derived;
    if (!d) return;
    const edit = addLayerEdit(d.model, d.graph, type, this.focusedId && this.selection.has(this.focusedId) ? this.focusedId : null);
    this.sendEdit(edit, [addedId(edit)].filter((x): x is string => x !== null));
  }

  /** Fills an empty model with a template's layers and compile settings (training and dataset stay the user's). */
  private useTemplate(id: string): void {
    const d = this.derived;
    if (!d || d.model.nodes.length) return;
    const template = createModelFromTemplate(id);
    this.sendEdit(
      {
        kind: 'batch',
        label: `Start from template ${id}`,
        edits: [
          { kind: 'addNodes', nodes: template.nodes },
          { kind: 'setCompileSettings', settings: template.compile },
        ],
      },
      [],
    );
  }

  private dropLayer(type: string, target: DropTarget): void {
    const d = this.derived;
    if (!d || !getLayerSpec(type)) return;
    const standalone = getLayerSpec(type)!.maxInputs === 0;
    let edit: ModelEdit;
    if (target.kind === 'edge' && !standalone) edit = { kind: 'addNode', node: newNode(d.model, type, []), insertOnEdge: { from: target.from, to: target.to } };
    else if (target.kind === 'node' && !standalone) edit = insertAfterEdit(d.model, d.graph, target.id, type);
    else edit = { kind: 'addNode', node: newNode(d.model, type, [], {}, target.kind === 'canvas' ? target.at : undefined) };
    this.sendEdit(edit, [addedId(edit)].filter((x): x is string => x !== null));
  }

  private connect(from: string, to: string): void {
    const d = this.derived;
    if (!d) return;
    const edit = connectEdit(d.graph, from, to);
    if (typeof edit === 'string') this.showToast(edit);
    else this.sendEdit(edit);
  }

  private applyFix(fix: QuickFix): void {
    const d = this.derived;
    if (!d) return;
    const edit = quickFixEdit(d.model, d.graph, fix);
    if (!edit) {
      this.showToast(`The fix “${fix.title}” no longer applies to this model.`);
      return;
    }
    const added = addedId(edit);
    this.sendEdit(edit, added ? [added] : undefined);
  }

  private deleteSelection(): void {
    const d = this.derived;
    if (!d) return;
    if (this.selectedEdge) {
      const e = d.graph.edges.find((x) => edgeKey(x.from, x.to) === this.selectedEdge);
      if (e) this.sendEdit({ kind: 'disconnect', from: e.from, to: e.to });
      this.selectedEdge = null;
      return;
    }
    const ids = [...this.selection].filter((id) => d.graph.byId.has(id));
    if (!ids.length) return;
    // Keep the keyboard user in the graph: focus moves to the deleted layer's producer (or consumer).
    const anchor = ids[0]!;
    const next = neighbourInDirection(d.graph, d.layout, anchor, 'up') ?? neighbourInDirection(d.graph, d.layout, anchor, 'down');
    this.sendEdit({ kind: 'removeNodes', ids }, next && !ids.includes(next) ? [next] : []);
  }

  private duplicateSelection(): void {
    const d = this.derived;
    if (!d) return;
    const nodes = d.model.nodes.filter((n) => this.selection.has(n.id));
    if (!nodes.length) return;
    const copies = copiesOf(d.model, nodes, { x: 40, y: 40 });
    this.sendEdit({ kind: 'addNodes', nodes: copies }, copies.map((c) => c.id));
  }

  /* ---------------------------------------------------------------------------------------------- */
  /* quick pick, keys, clipboard                                                                    */
  /* ---------------------------------------------------------------------------------------------- */

  private openPicker(where: { kind: 'after'; id: string | null } | { kind: 'edge'; from: string; to: string }): void {
    const d = this.derived;
    if (!d || this.readOnly) return;
    const title =
      where.kind === 'edge'
        ? `Insert a layer between ${where.from} and ${where.to}`
        : where.id && d.graph.byId.has(where.id)
          ? `Add a layer after ${where.id}`
          : d.model.nodes.length
            ? 'Add a layer at the end of the model'
            : 'Add the first layer';
    this.quickPick.open(title, (type) => {
      const model = this.derived?.model;
      const graph = this.derived?.graph;
      if (!model || !graph) return;
      let edit: ModelEdit;
      if (where.kind === 'edge' && getLayerSpec(type)?.maxInputs !== 0) {
        edit = { kind: 'addNode', node: newNode(model, type, []), insertOnEdge: { from: where.from, to: where.to } };
      } else edit = addLayerEdit(model, graph, type, where.kind === 'after' ? where.id : null);
      this.sendEdit(edit, [addedId(edit)].filter((x): x is string => x !== null));
    });
  }

  private toggleShortcuts(): void {
    this.shortcuts.hidden = !this.shortcuts.hidden;
    if (!this.shortcuts.hidden) this.shortcuts.querySelector<HTMLElement>('vscode-button')?.focus();
  }

  private wireKeys(): void {
    this.shortcuts.querySelector('vscode-button')?.addEventListener('click', () => this.toggleShortcuts());
    document.addEventListener('keydown', (e) => {
      if (this.quickPick.isOpen) return;
      if (!this.shortcuts.hidden && e.key === 'Escape') {
        this.toggleShortcuts();
        return;
      }
      if (isTyping(e.target) || this.root.dataset.state !== 'model' && this.root.dataset.state !== 'empty') return;
      const d = this.derived;
      if (!d) return;
      const ctrl = e.ctrlKey || e.metaKey;
      const inCanvas = this.canvas.element.contains(e.target as Node) || e.target === document.body;
      const key = e.key;
      if ((key === 'a' || key === 'A') && !ctrl && !e.altKey) {
        e.preventDefault();
        this.openPicker({ kind: 'after', id: this.focusedId && this.selection.has(this.focusedId) ? this.focusedId : null });
      } else if (ctrl && e.shiftKey && (key === 'a' || key === 'A')) {
        e.preventDefault();
        this.openPicker({ kind: 'after', id: this.focusedId && this.selection.has(this.focusedId) ? this.focusedId : null });
      } else if (key === '?') {
        this.toggleShortcuts();
      } else if (key === 'F8') {
        e.preventDefault();
        this.nextProblem();
      } else if (!inCanvas) {
        return;
      } else if (key.startsWith('Arrow')) {
        e.preventDefault();
        this.moveFocus(key.slice(5).toLowerCase() as Direction, e.shiftKey);
      } else if (key === 'Enter') {
        if (this.focusedId) {
          e.preventDefault();
          this.inspector.focusFirstField();
        }
      } else if (key === 'Delete' || key === 'Backspace') {
        e.preventDefault();
        this.deleteSelection();
      } else if (key === 'Escape') {
        this.select([], 'replace');
        this.canvas.focusTarget.focus();
      } else if (ctrl && (key === 'd' || key === 'D')) {
        e.preventDefault();
        this.duplicateSelection();
      } else if (ctrl && key === 'a') {
        e.preventDefault();
        this.select(d.model.nodes.map((n) => n.id), 'replace');
      } else if (key === 'F2' && this.focusedId) {
        e.preventDefault();
        this.inspector.focusIdField();
      } else if (!ctrl && (key === '+' || key === '=')) {
        this.canvas.zoomBy(1.25);
      } else if (!ctrl && key === '-') {
        this.canvas.zoomBy(1 / 1.25);
      } else if (!ctrl && (key === 'f' || key === 'F')) {
        this.canvas.fitToView();
      }
    });
  }

  private moveFocus(dir: Direction, extend: boolean): void {
    const d = this.derived;
    if (!d || !d.model.nodes.length) return;
    let target: string | null;
    if (!this.focusedId || !d.graph.byId.has(this.focusedId)) {
      target = d.analysis?.order[0] ?? d.model.nodes[0]!.id;
    } else target = neighbourInDirection(d.graph, d.layout, this.focusedId, dir);
    if (!target) return;
    this.select([target], extend ? 'add' : 'replace');
    this.canvas.reveal(target);
    this.canvas.focusNode(target);
  }

  private wireClipboard(): void {
    document.addEventListener('copy', (e) => this.copySelection(e, false));
    document.addEventListener('cut', (e) => this.copySelection(e, true));
    document.addEventListener('paste', (e) => {
      if (isTyping(e.target) || !this.derived || this.readOnly) return;
      const text = e.clipboardData?.getData('text/plain');
      if (!text) return;
      let nodes: ModelNode[] | null = null;
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const list = parsed?.[CLIPBOARD_KEY];
        if (Array.isArray(list) && list.length && list.every(isModelNode)) nodes = list as ModelNode[];
      } catch {
        nodes = null;
      }
      if (!nodes) return; // not ours: leave it alone
      e.preventDefault();
      const copies = copiesOf(this.derived.model, nodes, { x: 40, y: 40 });
      this.sendEdit({ kind: 'addNodes', nodes: copies }, copies.map((c) => c.id));
    });
  }

  private copySelection(e: ClipboardEvent, cut: boolean): void {
    if (isTyping(e.target) || !this.derived || !this.selection.size) return;
    const nodes = this.derived.model.nodes.filter((n) => this.selection.has(n.id));
    if (!nodes.length || !e.clipboardData) return;
    e.preventDefault();
    e.clipboardData.setData('text/plain', JSON.stringify({ [CLIPBOARD_KEY]: nodes }, null, 2));
    if (cut) this.deleteSelection();
  }
}

function addedId(edit: ModelEdit): string | null {
  if (edit.kind === 'addNode') return edit.node.id;
  if (edit.kind === 'batch') {
    for (const e of edit.edits) {
      const id = addedId(e);
      if (id) return id;
    }
  }
  return null;
}

function shortcutsDialog(): HTMLElement {
  const rows: [string, string][] = [
    ['↑ ↓', 'Go to the layer feeding / fed by the selected one'],
    ['← →', 'Go to the layer beside it'],
    ['Enter', 'Edit the selected layer in the inspector'],
    ['A  or  Ctrl+Shift+A', 'Add a layer after the selected one'],
    ['Delete', 'Remove the selected layers (or connection)'],
    ['Ctrl+D', 'Duplicate the selection'],
    ['Ctrl+C / Ctrl+V', 'Copy and paste layers'],
    ['Ctrl+A', 'Select all layers'],
    ['F2', 'Rename the selected layer'],
    ['F8', 'Go to the next problem'],
    ['+ / − / F', 'Zoom in, zoom out, fit to view'],
    ['Shift+drag', 'Select with a box'],
    ['Ctrl+Z / Ctrl+Y', 'Undo / redo (VS Code’s, one step per edit)'],
  ];
  const table = h('dl', { class: 'shortcut-list' });
  for (const [k, v] of rows) table.append(h('dt', {}, h('kbd', {}, k)), h('dd', {}, v));
  return h(
    'div',
    { class: 'shortcuts-dialog', role: 'dialog', 'aria-label': 'Keyboard shortcuts', hidden: true },
    h('h2', {}, 'Keyboard shortcuts'),
    table,
    h('vscode-button', { appearance: 'secondary' }, 'Close'),
  );
}
