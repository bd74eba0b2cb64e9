/**
 * The designer page's coordinator: receives snapshots, derives the view, and wires the parts together
 * (canvas, palette, inspector, toolbar, keys, clipboard). It never changes the model itself: gestures
 * become edits (`EditActions`) that go to the host through the one `EditChannel`, and the next
 * snapshot shows the result.
 */
import type { ModelEdit } from '../../src/core/modelEdit';
import { estimateModelTrainingMemory } from '../../src/core/trainingMemory';
import type { HostToDesigner, SnapshotMessage } from '../../src/protocol/designer';
import { clear, h } from '../common/dom';
import { BlockActions } from './blockActions';
import { BlockCollapse } from './blockCollapse';
import { GraphCanvas } from './canvas';
import { wireClipboard } from './clipboard';
import type { DesignerConnection } from './connection';
import { deriveView, type DesignerView } from './derive';
import { EditActions } from './editActions';
import { EditChannel } from './editChannel';
import { edgeKey } from './graph';
import { Inspector } from './inspector';
import type { Direction } from './keyboardNav';
import { wireKeys } from './keys';
import { emptyModelView, invalidDocumentView } from './messageViews';
import { LayerSearch } from './layerSearch';
import type { LayoutDirection } from './layout';
import { Minimap } from './minimap';
import { Palette } from './palette';
import { ProblemCursor } from './problemCursor';
import { PaletteDrawer } from './paletteDrawer';
import { LayerQuickPick } from './quickPick';
import { Selection, type SelectMode } from './selection';
import { SelectionReporter } from './selectionReport';
import { ShortcutsDialog } from './shortcutsDialog';
import { SummaryBar } from './summaryBar';
import { Toast } from './toast';
import { Toolbar } from './toolbar';
import { designerToolbarActions, toolbarTitle } from './toolbarActions';
import type { DesignerViewState } from './viewState';
import { ViewControls } from './viewControls';
import { ViewStateSaver } from './viewStateSaver';

export class DesignerApp {
  private readonly toolbar = new Toolbar();
  private readonly stage: HTMLElement;
  private readonly toast = new Toast();
  private readonly canvas: GraphCanvas;
  private readonly palette: Palette;
  private readonly inspector: Inspector;
  private readonly summary: SummaryBar;
  private readonly quickPick = new LayerQuickPick();
  private readonly shortcuts = new ShortcutsDialog();
  private readonly channel: EditChannel;
  private readonly actions: EditActions;
  private readonly selection: Selection;
  private readonly selectionReport: SelectionReporter;
  private readonly saver: ViewStateSaver;
  private readonly savedState: DesignerViewState | null;

  private snapshot: SnapshotMessage | null = null;
  private view: DesignerView | null = null;
  private preview: ModelEdit | null = null;
  private readonly problemCursor = new ProblemCursor();
  private cameraRestored = false;
  private paletteFilter: string;
  private layoutDirection: LayoutDirection;
  private readonly search = new LayerSearch((id) => this.selectAndReveal(id));
  private readonly minimap: Minimap;
  private readonly viewControls: ViewControls;
  private readonly blocks: BlockActions;

  constructor(
    private readonly root: HTMLElement,
    private readonly conn: DesignerConnection,
  ) {
    const saved = conn.loadState();
    this.savedState = saved ?? null;
    this.paletteFilter = saved?.paletteFilter ?? '';
    this.layoutDirection = saved?.layoutDirection ?? 'TB';
    this.selection = new Selection(saved?.selection);
    this.selectionReport = new SelectionReporter(conn);
    this.saver = new ViewStateSaver(conn);
    this.channel = new EditChannel(conn, () => this.snapshot, (message) => this.toast.show(message));
    this.actions = new EditActions({
      view: () => this.view,
      readOnly: () => this.readOnly,
      selection: this.selection,
      quickPick: this.quickPick,
      send: (edit, selectAfter) => this.channel.send(edit, selectAfter),
      toast: (message) => this.toast.show(message),
    });
    this.canvas = new GraphCanvas({
      select: (ids, mode) => this.select(ids, mode),
      selectEdge: (from, to) => this.selectEdge(edgeKey(from, to)),
      clearSelection: () => this.select([], 'replace'),
      moveNodes: (positions) => this.channel.send({ kind: 'moveNodes', positions }),
      connect: (from, to) => this.actions.connect(from, to),
      insertOnEdge: (from, to) => this.actions.openPicker({ kind: 'edge', from, to }),
      dropLayer: (type, target) => this.actions.dropLayer(type, target),
      activate: (id) => {
        this.select([id], 'replace');
        this.inspector.focusFirstField();
      },
      cameraChanged: () => this.scheduleSave(),
      toggleBlock: (id) => this.blocks.toggle(id),
    });
    this.blocks = new BlockActions({ collapse: new BlockCollapse(saved?.collapsedBlocks ?? null), canvas: this.canvas, view: () => this.view, redraw: () => (this.derive(), this.renderGraphAndInspector()) });
    this.palette = new Palette(
      {
        add: (type) => this.actions.addLayer(type),
        filterChanged: (f) => {
          this.paletteFilter = f;
          this.scheduleSave();
        },
      },
      this.paletteFilter,
    );
    this.inspector = new Inspector({
      edit: (edit) => this.channel.send(edit),
      preview: (edit) => this.setPreview(edit),
      applyFix: (fix) => this.actions.applyFix(fix),
      select: (id) => this.selectAndReveal(id),
      deleteSelection: () => this.actions.deleteSelection(),
      duplicateSelection: () => this.actions.duplicateSelection(),
      // The graph gets (or gives back) the inspector's room: the ResizeObserver refits it.
      collapsedChanged: () => this.scheduleSave(),
    }, saved?.inspectorCollapsed ?? false);
    this.summary = new SummaryBar(() => this.nextProblem());
    this.minimap = new Minimap((p) => this.canvas.centreOn(p));
    this.canvas.cameraApplied = () => this.minimap.showView(this.canvas.visibleGraphRect());
    this.viewControls = new ViewControls(this.layoutDirection, () => this.toggleDirection(), () => this.openSearch(), (collapsed) => this.blocks.setAll(collapsed));
    this.stage = h('div', { class: 'stage' }, this.canvas.element, this.viewControls.element, this.minimap.element);
    const drawer = new PaletteDrawer(this.root, this.palette.element);
    const main = h('main', { class: 'workspace' }, this.palette.element, this.stage, this.inspector.element, drawer.tab);

    clear(this.root);
    this.root.dataset.state = 'loading';
    const loading = h('p', { class: 'loading', role: 'status' }, 'Loading the model…');
    this.root.append(this.toolbar.element, main, this.summary.element, this.quickPick.element, this.search.element, this.shortcuts.element, this.toast.element, loading);
    this.wireKeys();
    wireClipboard({
      model: () => this.view?.model ?? null,
      selectedIds: () => this.selection.ids,
      readOnly: () => this.readOnly,
      paste: (nodes) => this.actions.addCopies(nodes),
      deleteSelection: () => this.actions.deleteSelection(),
    });
    conn.onMessage((m) => this.onMessage(m));
    // The canvas must show the graph whatever happens to its size: a panel opening beside the editor,
    // the page hidden (0 × 0) and shown again, the first snapshot arriving before layout.
    new ResizeObserver(() => this.stageResized()).observe(this.stage);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.stageResized();
    });
    conn.post({ type: 'ready' });
  }

  private get readOnly(): boolean {
    return this.snapshot?.readOnly === true;
  }

  /* messages and snapshots ------------------------------------------------------------------------ */

  private onMessage(m: HostToDesigner): void {
    const uri = this.snapshot?.documentUri;
    if (uri !== undefined && m.documentUri !== uri) return; // meant for another document's panel
    switch (m.type) {
      case 'snapshot':
        if (this.snapshot && m.version < this.snapshot.version) return; // an older state overtaken by a newer one
        this.acceptSnapshot(m);
        break;
      case 'editRejected':
        this.channel.rejected(m.baseVersion);
        this.toast.show(m.message);
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
    this.channel.snapshotArrived(m.version);
    this.canvas.resetDrag();
    const otherDocument = first && this.savedState !== null && this.savedState.documentUri !== m.documentUri;
    if (otherDocument) this.blocks.collapse.reset();
    this.derive();
    if (this.view) this.selection.reconcile(this.view.graph, this.channel.takeSelectAfter());
    // State saved for another document (the panel was reused): start fresh.
    if (otherDocument) this.selection.clear();
    this.renderAll();
    if (!this.cameraRestored) this.initialCamera();
    this.channel.flush();
  }

  private derive(): void {
    const { view, preview } = deriveView(this.snapshot, this.preview, this.layoutDirection, this.blocks.collapse);
    this.view = view;
    this.preview = preview;
  }

  private setPreview(edit: ModelEdit | null): void {
    if (!this.snapshot || this.snapshot.content.kind !== 'model') return;
    if (edit === null && this.preview === null) return;
    this.preview = edit;
    this.derive();
    this.renderSummary(this.view!);
    this.renderGraphAndInspector();
  }

  /* rendering ------------------------------------------------------------------------------------- */

  private renderAll(): void {
    const snap = this.snapshot;
    if (!snap) return;
    this.toolbar.render(toolbarTitle(snap), snap.readOnly ? 'read-only' : null, designerToolbarActions(snap, {
      openPicker: () => this.actions.openPicker({ kind: 'after', id: this.selection.focusedId }),
      zoomBy: (factor) => this.canvas.zoomBy(factor),
      fitToView: () => this.canvas.fitToView(),
      post: (message) => this.conn.post(message),
      openAsText: () => this.openAsText(),
      toggleShortcuts: () => this.shortcuts.toggle(),
    }));
    this.root.querySelector('.loading')?.remove();
    this.stage.querySelector('.message-view')?.remove();
    if (snap.content.kind === 'invalid') {
      this.root.dataset.state = 'invalid';
      this.stage.append(invalidDocumentView(snap, () => this.openAsText()));
      this.summary.element.hidden = true;
      return;
    }
    const d = this.view!;
    this.palette.setReadOnly(this.readOnly);
    this.summary.element.hidden = false;
    this.renderSummary(d);
    if (d.model.nodes.length === 0) {
      this.root.dataset.state = 'empty';
      this.stage.append(
        emptyModelView(
          {
            addInput: () => this.actions.addLayer('Input'),
            openPicker: () => this.actions.openPicker({ kind: 'after', id: null }),
            useTemplate: (id) => this.actions.useTemplate(id),
          },
          this.readOnly,
        ),
      );
    } else this.root.dataset.state = 'model';
    this.renderGraphAndInspector();
  }

  private renderSummary(d: DesignerView): void {
    this.summary.render(d.totals, d.diagnostics, d.model.nodes.length, estimateModelTrainingMemory(d.model, d.analysis), d.model.nodes.filter((n) => n.trainable === false).length);
  }

  private renderGraphAndInspector(): void {
    const d = this.view;
    if (!d) return;
    const sel = this.selection;
    const canvasHadFocus = this.canvas.element.contains(document.activeElement);
    this.canvas.render({
      model: d.model,
      graph: d.graph,
      blocks: d.blocks,
      layout: d.layout,
      nodeAnalysis: d.nodeAnalysis,
      problems: d.problems,
      selection: sel.ids,
      selectedEdge: sel.edge,
      focusedId: sel.focusedId,
      readOnly: this.readOnly,
    });
    if (canvasHadFocus) {
      if (sel.focusedId && d.graph.byId.has(sel.focusedId)) this.canvas.focusNode(sel.focusedId);
      else this.canvas.focusTarget.focus({ preventScroll: true });
    }
    this.inspector.render({
      model: d.model,
      snapshotModel: this.snapshot?.content.kind === 'model' ? this.snapshot.content.model : d.model,
      selection: [...sel.ids],
      nodeAnalysis: d.nodeAnalysis,
      totals: d.totals,
      diagnostics: d.diagnostics,
      readOnly: this.readOnly,
    });
    this.minimap.render(d.layout, d.blocks.graph.nodes, sel.ids);
    this.viewControls.showBlocks(d.blocks.blocks.length, d.blocks.collapsed.size);
    this.minimap.showView(this.canvas.visibleGraphRect());
    this.scheduleSave();
    this.selectionReport.schedule(() => this.snapshot?.documentUri, () => [...this.selection.ids]);
  }

  /* camera and view state ------------------------------------------------------------------------- */

  private initialCamera(): void {
    const d = this.view;
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
    this.saver.schedule(() => {
      const uri = this.snapshot?.documentUri;
      if (!uri) return null;
      const camera = !this.cameraRestored ? (this.savedState?.camera ?? null) : this.canvas.followsFit ? null : this.canvas.getCamera();
      return { documentUri: uri, selection: [...this.selection.ids], camera, paletteFilter: this.paletteFilter, inspectorCollapsed: this.inspector.collapsed, layoutDirection: this.layoutDirection, collapsedBlocks: this.blocks.collapse.saved };
    });
  }

  /* selection ------------------------------------------------------------------------------------- */

  private select(ids: readonly string[], mode: SelectMode): void {
    if (this.selection.select(ids, mode)) this.renderGraphAndInspector();
    if (this.selection.focusedId) this.canvas.focusNode(this.selection.focusedId);
  }

  private selectEdge(key: string): void {
    this.selection.selectEdge(key);
    this.renderGraphAndInspector();
    this.canvas.focusTarget.focus({ preventScroll: true });
  }

  private selectAndReveal(id: string): void {
    if (!this.view?.graph.byId.has(id)) return;
    this.blocks.expandFor(id);
    this.select([id], 'replace');
    this.canvas.reveal(id);
  }

  private nextProblem(): void {
    const next = this.problemCursor.next(this.view);
    if (next === null) this.select([], 'replace'); // model-level problems are listed in the overview
    else if (next !== undefined) this.selectAndReveal(next);
  }

  private moveFocus(dir: Direction, extend: boolean): void {
    const target = this.blocks.moveTarget(this.selection.focusedId, dir);
    if (!target) return;
    this.select(this.blocks.layersOf(target), extend ? 'add' : 'replace');
    this.canvas.reveal(target);
  }

  /* keys ------------------------------------------------------------------------------------------ */

  private wireKeys(): void {
    wireKeys({
      shortcuts: this.shortcuts,
      pickerOpen: () => this.quickPick.isOpen || this.search.isOpen,
      openSearch: () => this.openSearch(),
      acceptsKeys: () => (this.root.dataset.state === 'model' || this.root.dataset.state === 'empty') && this.view !== null,
      inCanvas: (target) => this.canvas.element.contains(target as Node) || target === document.body,
      focusedId: () => this.selection.focusedId,
      openPickerAfterSelection: () => this.actions.openPicker({ kind: 'after', id: this.selection.anchor }),
      nextProblem: () => this.nextProblem(),
      moveFocus: (dir, extend) => this.moveFocus(dir, extend),
      editFocused: () => this.inspector.focusFirstField(),
      renameFocused: () => this.inspector.focusIdField(),
      deleteSelection: () => this.actions.deleteSelection(),
      clearSelection: () => {
        this.select([], 'replace');
        this.canvas.focusTarget.focus();
      },
      duplicateSelection: () => this.actions.duplicateSelection(),
      selectAll: () => this.select(this.view?.model.nodes.map((n) => n.id) ?? [], 'replace'),
      zoomBy: (factor) => this.canvas.zoomBy(factor),
      fitToView: () => this.canvas.fitToView(),
    });
  }

  /** Top-down ⇄ left-to-right: laid out again and fitted (the old camera framed the other shape). */
  private toggleDirection(): void {
    this.layoutDirection = this.layoutDirection === 'TB' ? 'LR' : 'TB';
    this.viewControls.show(this.layoutDirection);
    this.derive();
    this.renderGraphAndInspector();
    this.canvas.fitToView(this.layoutDirection === 'LR' ? 0.35 : 0.8);
  }

  private openSearch(): void {
    if (this.view?.model.nodes.length) this.search.open(this.view.model.nodes);
  }

  private openAsText(): void {
    if (this.snapshot) this.conn.post({ type: 'openAsText', documentUri: this.snapshot.documentUri });
  }
}
