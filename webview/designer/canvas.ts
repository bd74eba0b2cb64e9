/**
 * The graph canvas: nodes and edges in SVG, zoom (wheel, buttons), pan (drag the background), box
 * select (shift-drag the background), node dragging, port-to-port connecting, "+" on edges, and drops
 * from the palette. It draws what it is given and reports gestures through callbacks; it never edits
 * the model itself.
 */
import { getLayerSpec, paramOrDefault } from '../../src/core/catalogue';
import type { NodeAnalysis } from '../../src/core/analysis';
import type { Diagnostic } from '../../src/core/diagnostics';
import type { ModelFile, ModelNode, NodePosition } from '../../src/core/format';
import { clear, s } from '../common/dom';
import { formatCompact, formatCount, formatShape } from '../common/format';
import type { BlockDisplay } from './blockDisplay';
import { categoryClass } from './categoryStyle';
import { drawBlockFrame, drawGroupCard } from './groupCard';
import type { ModelGraph } from '../../src/core/graph';
import { edgeKey } from './graph';
import { NODE_HEIGHT, NODE_WIDTH, type GraphLayout, type NodeBox, type Point } from './layout';
import { keyParamLabel } from './paramText';
import { MAX_ZOOM, MIN_ZOOM, type Camera } from './viewState';

export const LAYER_DRAG_MIME = 'application/x-cnn-studio-layer';
/** Zoom below which a node is drawn as a chip (its short type name, large) instead of a full card: 11.5 px text at 0.55 is 6 px. */
export const CHIP_ZOOM = 0.55;

export interface CanvasData {
  readonly model: ModelFile;
  readonly graph: ModelGraph;
  /** What is drawn: layers and collapsed blocks (the layout's ids). */
  readonly blocks: BlockDisplay;
  readonly layout: GraphLayout;
  readonly nodeAnalysis: ReadonlyMap<string, NodeAnalysis>;
  readonly problems: ReadonlyMap<string, readonly Diagnostic[]>;
  readonly selection: ReadonlySet<string>;
  readonly selectedEdge: string | null;
  readonly focusedId: string | null;
  readonly readOnly: boolean;
}

export type DropTarget =
  | { readonly kind: 'edge'; readonly from: string; readonly to: string }
  | { readonly kind: 'node'; readonly id: string }
  | { readonly kind: 'canvas'; readonly at: Point };

export interface CanvasCallbacks {
  select(ids: readonly string[], mode: 'replace' | 'toggle' | 'add'): void;
  selectEdge(from: string, to: string): void;
  clearSelection(): void;
  moveNodes(positions: Record<string, NodePosition>): void;
  connect(from: string, to: string): void;
  /** The "+" on an edge: ask which layer to insert there. */
  insertOnEdge(from: string, to: string): void;
  dropLayer(type: string, target: DropTarget): void;
  /** Double-click on a node: go to its settings. */
  activate(id: string): void;
  cameraChanged(camera: Camera): void;
  /** A click (or Enter/Space) on a collapsed block's card or an expanded block's tab. */
  toggleBlock(id: string): void;
}

const DRAG_THRESHOLD = 4;

type Gesture =
  | { kind: 'none' }
  | { kind: 'pan'; startX: number; startY: number; panX: number; panY: number; moved: boolean; block: string | null }
  | { kind: 'box'; start: Point; current: Point }
  | { kind: 'drag'; ids: string[]; start: Point; origins: Map<string, Point>; moved: boolean }
  | { kind: 'connect'; from: string; start: Point; current: Point };

export class GraphCanvas {
  readonly element: HTMLDivElement;
  private readonly svg: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private readonly frameLayer: SVGGElement;
  private readonly edgeLayer: SVGGElement;
  private readonly nodeLayer: SVGGElement;
  private readonly overlay: SVGGElement;
  private data: CanvasData | null = null;
  private camera: Camera = { zoom: 1, panX: 0, panY: 0 };
  /**
   * While the camera is the result of a fit (and the user has not zoomed or panned since), the min
   * zoom of that fit: a resize fits again. `null` once the camera is the user's.
   */
  private followFit: number | null = null;
  /** The canvas size the camera was last set for (0 × 0 before it was first laid out). */
  private size = { width: 0, height: 0 };
  private gesture: Gesture = { kind: 'none' };
  /** Positions shown while dragging, before the move edit comes back in a snapshot. */
  private dragPositions = new Map<string, Point>();

  constructor(private readonly callbacks: CanvasCallbacks) {
    this.element = document.createElement('div');
    this.element.className = 'canvas';
    this.svg = s('svg', {
      class: 'canvas-svg',
      role: 'listbox',
      'aria-multiselectable': 'true',
      'aria-label': 'Model graph. Arrow keys move between layers, Enter edits the selected layer, A adds a layer after it, Delete removes it.',
      tabindex: 0,
    });
    this.viewport = s('g', { class: 'viewport' });
    this.frameLayer = s('g', { class: 'block-frames' });
    this.edgeLayer = s('g', { class: 'edges' });
    this.nodeLayer = s('g', { class: 'nodes' });
    this.overlay = s('g', { class: 'overlay' });
    this.viewport.append(this.frameLayer, this.edgeLayer, this.nodeLayer, this.overlay);
    this.svg.append(this.viewport);
    this.element.append(this.svg);
    this.wireEvents();
  }

  /** The element keyboard focus goes to when no node has it. */
  get focusTarget(): SVGSVGElement {
    return this.svg;
  }

  getCamera(): Camera {
    return this.camera;
  }

  /** True while the camera is a fit the user has not changed (a reload should fit again, not restore it). */
  get followsFit(): boolean {
    return this.followFit !== null;
  }

  /** Sets a camera of the user's (zoom, pan, a restored view): resizes keep it rather than fit again. */
  setCamera(camera: Camera, notify = true): void {
    this.followFit = null;
    this.applyCamera(camera, notify);
  }

  /** Sets the camera a saved view state had, kept in view if the canvas is now smaller. */
  restoreCamera(camera: Camera): void {
    this.setCamera(camera, false);
    this.noteSize();
    this.keepGraphInView();
  }

  private applyCamera(camera: Camera, notify = true): void {
    this.camera = { zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, camera.zoom)), panX: camera.panX, panY: camera.panY };
    this.viewport.setAttribute('transform', `translate(${this.camera.panX} ${this.camera.panY}) scale(${this.camera.zoom})`);
    this.element.style.setProperty('--zoom', String(this.camera.zoom));
    // Semantic zoom: below this the cards' small text would be unreadable, so nodes become chips.
    this.element.dataset.detail = this.camera.zoom < CHIP_ZOOM ? 'chip' : 'card';
    if (notify) this.callbacks.cameraChanged(this.camera);
    this.cameraApplied?.();
  }

  /** Called after every camera change, saved or not (the minimap follows pans while they happen). */
  cameraApplied: (() => void) | null = null;

  /** The part of the graph on screen, in graph coordinates. */
  visibleGraphRect(): { x: number; y: number; width: number; height: number } {
    const { width, height } = this.size.width ? this.size : this.noteSize();
    const { zoom, panX, panY } = this.camera;
    return { x: -panX / zoom, y: -panY / zoom, width: width / zoom, height: height / zoom };
  }

  /** Pans (keeping the zoom) so the graph point is in the middle of the canvas. */
  centreOn(p: Point): void {
    const { width, height } = this.noteSize();
    const z = this.camera.zoom;
    this.setCamera({ zoom: z, panX: width / 2 - p.x * z, panY: height / 2 - p.y * z });
  }

  zoomBy(factor: number, around?: Point): void {
    const rect = this.svg.getBoundingClientRect();
    const p = around ?? { x: rect.width / 2, y: rect.height / 2 };
    const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.camera.zoom * factor));
    const k = zoom / this.camera.zoom;
    this.setCamera({ zoom, panX: p.x - (p.x - this.camera.panX) * k, panY: p.y - (p.y - this.camera.panY) * k });
  }

  /**
   * Zooms and pans so the whole graph is visible (never zooming in past 100%). With `minZoom`, a tall
   * graph stays readable instead: it is centred horizontally and shown from the top.
   */
  fitToView(minZoom = MIN_ZOOM): void {
    if (!this.data) return;
    const b = this.data.layout.bounds;
    const rect = this.noteSize();
    // Until the canvas has a size (hidden, not laid out yet) keep following: the next resize fits.
    this.followFit = minZoom;
    if (rect.width === 0 || rect.height === 0 || b.width === 0) {
      this.applyCamera({ zoom: 1, panX: 24, panY: 24 });
      return;
    }
    const pad = 32;
    const zoom = Math.min(1, (rect.width - 2 * pad) / b.width, (rect.height - 2 * pad) / b.height);
    const z = Math.max(minZoom, zoom);
    this.applyCamera({ zoom: z, panX: (rect.width - b.width * z) / 2 - b.x * z, panY: Math.max(pad, (rect.height - b.height * z) / 2) - b.y * z });
  }

  /**
   * The canvas changed size (the editor group was resized, a panel opened beside it, the page became
   * visible again). A fitted view is fitted again; the user's zoom and pan are kept, with the point
   * that was in the middle staying in the middle, and the graph is never left wholly out of view.
   */
  viewResized(): void {
    const before = this.size;
    const rect = this.noteSize();
    if (rect.width === 0 || rect.height === 0) return; // hidden: keep the camera for when it comes back
    if (!this.data || this.data.layout.nodes.size === 0) return;
    if (this.followFit !== null) {
      this.fitToView(this.followFit);
      return;
    }
    if (before.width > 0 && before.height > 0 && (before.width !== rect.width || before.height !== rect.height)) {
      const { zoom, panX, panY } = this.camera;
      this.applyCamera({ zoom, panX: panX + (rect.width - before.width) / 2, panY: panY + (rect.height - before.height) / 2 });
    }
    this.keepGraphInView();
  }

  /** Pans (keeping the zoom) so that at least a node's worth of the graph is on screen. */
  private keepGraphInView(): void {
    if (!this.data || this.data.layout.nodes.size === 0) return;
    const { width, height } = this.size;
    if (width === 0 || height === 0) return;
    const b = this.data.layout.bounds;
    const { zoom, panX, panY } = this.camera;
    const left = b.x * zoom + panX;
    const top = b.y * zoom + panY;
    const right = left + b.width * zoom;
    const bottom = top + b.height * zoom;
    // How much must show: a node (or the whole graph when smaller), never more than half the view.
    const needX = Math.min(NODE_WIDTH * zoom, b.width * zoom, width / 2);
    const needY = Math.min(NODE_HEIGHT * zoom, b.height * zoom, height / 2);
    let dx = 0;
    let dy = 0;
    if (right < needX) dx = needX - right;
    else if (left > width - needX) dx = width - needX - left;
    if (bottom < needY) dy = needY - bottom;
    else if (top > height - needY) dy = height - needY - top;
    if (dx !== 0 || dy !== 0) this.applyCamera({ zoom, panX: panX + dx, panY: panY + dy });
  }

  private noteSize(): { width: number; height: number } {
    const rect = this.svg.getBoundingClientRect();
    this.size = { width: rect.width, height: rect.height };
    return this.size;
  }

  /** Pans (without zooming) so the node is visible. */
  reveal(id: string): void {
    const box = this.boxOf(id);
    if (!box) return;
    const rect = this.svg.getBoundingClientRect();
    const z = this.camera.zoom;
    const left = box.x * z + this.camera.panX;
    const top = box.y * z + this.camera.panY;
    const right = left + box.width * z;
    const bottom = top + box.height * z;
    let { panX, panY } = this.camera;
    const m = 24;
    if (left < m) panX += m - left;
    else if (right > rect.width - m) panX -= right - (rect.width - m);
    if (top < m) panY += m - top;
    else if (bottom > rect.height - m) panY -= bottom - (rect.height - m);
    if (panX !== this.camera.panX || panY !== this.camera.panY) this.setCamera({ zoom: z, panX, panY });
  }

  focusNode(id: string): void {
    const group = this.data?.blocks.hiddenIn.get(id);
    const el = group
      ? this.nodeLayer.querySelector<SVGGElement>(`g.group-card[data-group="${CSS.escape(group)}"]`)
      : this.nodeLayer.querySelector<SVGGElement>(`g.node[data-id="${CSS.escape(id)}"]`);
    el?.focus({ preventScroll: true });
  }

  /** Where a layer (or the card it is collapsed into) is on screen: its box's top-left, in canvas pixels. */
  screenPointOf(id: string): Point | null {
    const box = this.boxOf(id);
    if (!box) return null;
    return { x: box.x * this.camera.zoom + this.camera.panX, y: box.y * this.camera.zoom + this.camera.panY };
  }

  /** Pans so the layer's box (or its card's) is at that screen point: a block that opens or closes stays put. */
  keepAt(id: string, point: Point): void {
    const box = this.boxOf(id);
    if (!box) return;
    const z = this.camera.zoom;
    this.setCamera({ zoom: z, panX: point.x - box.x * z, panY: point.y - box.y * z });
  }

  render(data: CanvasData): void {
    this.data = data;
    clear(this.frameLayer);
    clear(this.edgeLayer);
    clear(this.nodeLayer);
    const { blocks } = data;
    for (const block of blocks.framed) {
      const frame = drawBlockFrame(block, block.members.map((id) => this.boxOf(id)).filter((b): b is NodeBox => b !== undefined), data.layout.direction);
      if (frame) this.frameLayer.append(frame);
    }
    for (const e of blocks.graph.edges) this.edgeLayer.append(this.drawEdge(e.from, e.to));
    const focusedGroup = data.focusedId ? blocks.hiddenIn.get(data.focusedId) : undefined;
    for (const node of data.model.nodes) {
      if (data.graph.byId.get(node.id) !== node) continue; // duplicate ids: draw the first
      const group = blocks.hiddenIn.get(node.id);
      if (group === undefined) this.nodeLayer.append(this.drawNode(node));
      else if (blocks.collapsed.get(group)!.block.members[0] === node.id) {
        const info = blocks.collapsed.get(group)!;
        this.nodeLayer.append(drawGroupCard(info, this.boxOf(group)!, { selected: info.block.members.some((id) => data.selection.has(id)), focused: focusedGroup === group }));
      }
    }
    this.svg.setAttribute('tabindex', data.focusedId && data.graph.byId.has(data.focusedId) ? '-1' : '0');
  }

  private boxOf(id: string): NodeBox | undefined {
    const shown = this.data?.blocks.hiddenIn.get(id) ?? id;
    const box = this.data?.layout.nodes.get(shown);
    const moved = this.dragPositions.get(id);
    return box && moved ? { ...box, x: moved.x, y: moved.y } : box;
  }

  /* ---------------------------------------------------------------------------------------------- */
  /* drawing                                                                                        */
  /* ---------------------------------------------------------------------------------------------- */

  private drawNode(node: ModelNode): SVGGElement {
    const data = this.data!;
    const box = this.boxOf(node.id)!;
    const spec = getLayerSpec(node.type);
    const analysis = data.nodeAnalysis.get(node.id);
    const problems = data.problems.get(node.id) ?? [];
    const worst = problems.some((p) => p.severity === 'error') ? 'error' : problems.some((p) => p.severity === 'warning') ? 'warning' : problems.length ? 'info' : null;
    const selected = data.selection.has(node.id);

    const keyText = spec
      ? spec.keyParams
          .map((name) => {
            const ps = spec.params[name];
            return ps ? keyParamLabel(name, ps, paramOrDefault(spec, node.params, name)) : null;
          })
          .filter(Boolean)
          .join(' · ')
      : 'unknown layer type';
    const shapeText = analysis ? formatShape(analysis.outputShape) : '?';
    const frozen = node.trainable === false;
    const paramsText = analysis ? (analysis.params > 0 ? `${formatCount(analysis.params)} params` : 'no params') : '';

    const label = [
      `${node.type} ${node.id}`,
      keyText,
      analysis ? `output ${shapeText}` : '',
      paramsText,
      frozen ? 'frozen' : '',
      ...problems.map((p) => `${p.severity}: ${p.message}`),
    ]
      .filter(Boolean)
      .join(', ');

    const g = s('g', {
      class: ['node', categoryClass(spec?.category ?? 'unknown'), selected ? 'selected' : '', frozen ? 'frozen' : '', worst ? `problem-${worst}` : ''].filter(Boolean).join(' '),
      'data-id': node.id,
      'data-type': node.type,
      transform: `translate(${box.x} ${box.y})`,
      role: 'option',
      'aria-selected': selected ? 'true' : 'false',
      'aria-label': label,
      tabindex: data.focusedId === node.id ? 0 : -1,
    });
    const clipped = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
    const typeName = getLayerSpec(node.type)?.shortName ?? node.type;
    // Type (13px bold, ~7.6px a character) and id (11.5px mono, ~6.9px) share the first line.
    const room = box.width - 26 - (worst ? 18 : 0);
    const idChars = Math.min(node.id.length, Math.max(6, Math.floor((room - Math.min(typeName.length, 12) * 7.6 - 10) / 6.9)));
    const typeChars = Math.max(6, Math.floor((room - Math.min(node.id.length, idChars) * 6.9 - 10) / 7.6));

    g.append(
      s('rect', { class: 'node-body', width: box.width, height: box.height, rx: 6, ry: 6 }),
      s('rect', { class: 'node-stripe', width: 4, height: box.height - 12, x: 0, y: 6, rx: 2 }),
      s('text', { class: 'node-type', x: 14, y: 21 }, clipped(typeName, typeChars)),
      s('text', { class: 'node-id', x: box.width - (worst ? 30 : 12), y: 21, 'text-anchor': 'end' }, clipped(node.id, idChars)),
      s('text', { class: 'node-params', x: 14, y: 41 }, clipped(keyText || '\u00a0', 31)),
      s('line', { class: 'node-divider', x1: 10, x2: box.width - 10, y1: 51, y2: 51 }),
      s('text', { class: 'node-shape', x: 14, y: 66 }, analysis ? `→ ${shapeText}` : ''),
      s('text', { class: 'node-count', x: box.width - 12, y: 66, 'text-anchor': 'end' }, analysis && analysis.params > 0 ? `${formatCompact(analysis.params)} ${frozen ? 'frozen' : 'params'}` : frozen ? 'frozen' : ''),
    );
    if (worst) {
      const badge = s(
        'g',
        { class: `node-badge badge-${worst}`, transform: `translate(${box.width - 16} 16)` },
        s('circle', { r: 8 }),
        s('text', { y: 4, 'text-anchor': 'middle' }, worst === 'info' ? 'i' : '!'),
      );
      g.append(badge);
    }
    g.append(s('title', {}, [`${node.type} “${node.id}”`, ...problems.map((p) => `${p.severity === 'error' ? '⛔' : p.severity === 'warning' ? '⚠' : 'ℹ'} ${p.message}`)].join('\n')));

    // Semantic zoom: zoomed far out, only this chip (the short type name, large) is drawn (CSS).
    g.append(s('text', { class: 'node-chip', x: box.width / 2, y: box.height / 2, 'text-anchor': 'middle', 'dominant-baseline': 'central' }, clipped(typeName, 8)));

    // Ports: inputs on top (one per input for merges), the output at the bottom; left and right across.
    const across = data.layout.direction === 'LR';
    const maxInputs = spec?.maxInputs ?? 1;
    if (maxInputs > 0) {
      const count = Math.max(1, Math.min(this.shownInputs(node.id).length + (maxInputs > 1 ? 1 : 0), 8));
      for (let i = 0; i < count; i++) {
        const at = across ? { cx: 0, cy: (box.height * (i + 1)) / (count + 1) } : { cx: (box.width * (i + 1)) / (count + 1), cy: 0 };
        g.append(s('circle', { class: 'port port-in', ...at, r: 4.5, 'data-id': node.id }));
      }
    }
    g.append(s('circle', { class: 'port port-out', ...(across ? { cx: box.width, cy: box.height / 2 } : { cx: box.width / 2, cy: box.height }), r: 5, 'data-id': node.id }));
    return g;
  }

  /** A drawn node's inputs as drawn (a collapsed block in place of its layers, each once). */
  private shownInputs(id: string): readonly string[] {
    return this.data!.blocks.graph.byId.get(id)?.inputs ?? [];
  }

  private inputPortPoint(toId: string, fromId: string): Point {
    const box = this.boxOf(toId)!;
    const node = this.data!.blocks.graph.byId.get(toId)!;
    const spec = getLayerSpec(node.type);
    const maxInputs = spec?.maxInputs ?? 1;
    const count = Math.max(1, Math.min(this.shownInputs(toId).length + (maxInputs > 1 ? 1 : 0), 8));
    // Ports are handed out left to right in the order of the producers' positions, so edges into a
    // merge do not cross (the input order itself is in the inspector and the file).
    const across = this.data!.layout.direction === 'LR';
    const centre = (id: string): number => {
      const b = this.boxOf(id);
      return b ? (across ? b.y + b.height / 2 : b.x + b.width / 2) : 0;
    };
    const ordered = this.shownInputs(toId).filter((i) => this.data!.blocks.graph.byId.has(i)).sort((a, b) => centre(a) - centre(b));
    const i = Math.min(Math.max(0, ordered.indexOf(fromId)), count - 1);
    return across ? { x: box.x, y: box.y + (box.height * (i + 1)) / (count + 1) } : { x: box.x + (box.width * (i + 1)) / (count + 1), y: box.y };
  }

  private drawEdge(from: string, to: string): SVGGElement {
    const data = this.data!;
    const key = edgeKey(from, to);
    const src = this.boxOf(from)!;
    const across = data.layout.direction === 'LR';
    const p0 = across ? { x: src.x + src.width, y: src.y + src.height / 2 } : { x: src.x + src.width / 2, y: src.y + src.height };
    const p1 = this.inputPortPoint(to, from);
    const routed = this.dragPositions.size === 0 ? data.layout.edgePoints.get(key) : undefined;
    const points = routed ? [p0, ...routed.slice(1, -1), p1] : null;
    const d = points ? smoothPath(points) : across ? bezierAcross(p0, p1) : bezier(p0, p1);
    const mid = points ? points[Math.floor(points.length / 2)]! : { x: (p0.x + p1.x) / 2, y: (p0.y + p1.y) / 2 };
    const shape = data.nodeAnalysis.get(data.blocks.edgeSource.get(key) ?? from)?.outputShape ?? null;
    const label = formatShape(shape);
    const selected = data.selectedEdge === key;
    // An edge into or out of a collapsed block stands for one or more connections: no "+" or selection.
    const ofGroup = data.blocks.collapsed.has(from) || data.blocks.collapsed.has(to);
    const g = s('g', { class: `edge${selected ? ' selected' : ''}${ofGroup ? ' group-edge' : ''}`, 'data-from': from, 'data-to': to });
    g.append(
      s('path', { class: 'edge-hit', d }),
      s('path', { class: 'edge-line', d }),
    );
    if (shape) {
      const w = label.length * 6.4 + 10;
      g.append(
        s(
          'g',
          { class: 'edge-label', transform: `translate(${mid.x + 8} ${mid.y - 9})` },
          s('rect', { width: w, height: 17, rx: 3 }),
          s('text', { x: 5, y: 12.5 }, label),
        ),
      );
    }
    if (!data.readOnly && !ofGroup) {
      g.append(
        s(
          'g',
          { class: 'edge-add', transform: `translate(${mid.x} ${mid.y})`, 'data-from': from, 'data-to': to },
          s('title', {}, `Insert a layer between ${from} and ${to}`),
          s('circle', { r: 9 }),
          s('path', { d: 'M -4.5 0 H 4.5 M 0 -4.5 V 4.5' }),
        ),
      );
    }
    return g;
  }

  /* ---------------------------------------------------------------------------------------------- */
  /* events                                                                                         */
  /* ---------------------------------------------------------------------------------------------- */

  private toGraph(clientX: number, clientY: number): Point {
    const rect = this.svg.getBoundingClientRect();
    return { x: (clientX - rect.left - this.camera.panX) / this.camera.zoom, y: (clientY - rect.top - this.camera.panY) / this.camera.zoom };
  }

  private wireEvents(): void {
    this.svg.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const rect = this.svg.getBoundingClientRect();
        if (e.ctrlKey || e.metaKey || Math.abs(e.deltaY) >= Math.abs(e.deltaX)) {
          // Wheel and pinch zoom around the pointer.
          this.zoomBy(Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)), { x: e.clientX - rect.left, y: e.clientY - rect.top });
        } else {
          this.setCamera({ ...this.camera, panX: this.camera.panX - e.deltaX });
        }
      },
      { passive: false },
    );

    this.svg.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    // Pointer capture sends the mousedown to the <svg>, and a click re-draws the node it lands on, so
    // the browser's own focusing would pick the wrong element: focus is moved explicitly instead
    // (to the redrawn node, or the canvas).
    this.svg.addEventListener('mousedown', (e) => e.preventDefault());
    this.svg.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.svg.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.svg.addEventListener('pointercancel', () => this.cancelGesture());
    this.svg.addEventListener('dblclick', (e) => {
      // Under pointer capture the event's target is the <svg>: look at what is under the pointer.
      const node = document.elementFromPoint(e.clientX, e.clientY)?.closest('g.node');
      if (node) this.callbacks.activate(node.getAttribute('data-id')!);
    });
    // Enter or Space on a collapsed block's card or an expanded block's tab opens or closes it.
    this.svg.addEventListener('keydown', (e) => {
      const block = (e.target as Element).closest('g.group-card, g.block-frame-tab')?.getAttribute('data-group');
      if (!block || (e.key !== 'Enter' && e.key !== ' ')) return;
      e.preventDefault();
      e.stopPropagation();
      this.callbacks.toggleBlock(block);
    });
    this.svg.addEventListener('click', (e) => {
      const add = (e.target as Element).closest('g.edge-add');
      if (add) {
        e.stopPropagation();
        this.callbacks.insertOnEdge(add.getAttribute('data-from')!, add.getAttribute('data-to')!);
      }
    });

    // Drops from the palette: onto an edge (insert there), a node (insert after it) or empty canvas.
    this.svg.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types.includes(LAYER_DRAG_MIME) || this.data?.readOnly) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      this.markDropTarget(e.target as Element);
    });
    this.svg.addEventListener('dragleave', () => this.markDropTarget(null));
    this.svg.addEventListener('drop', (e) => {
      const type = e.dataTransfer?.getData(LAYER_DRAG_MIME);
      this.markDropTarget(null);
      if (!type || this.data?.readOnly) return;
      e.preventDefault();
      this.callbacks.dropLayer(type, this.dropTargetAt(e.target as Element, e.clientX, e.clientY));
    });
  }

  private dropTargetAt(target: Element, clientX: number, clientY: number): DropTarget {
    const edge = target.closest('g.edge:not(.group-edge)');
    if (edge) return { kind: 'edge', from: edge.getAttribute('data-from')!, to: edge.getAttribute('data-to')! };
    const node = target.closest('g.node');
    if (node) return { kind: 'node', id: node.getAttribute('data-id')! };
    const p = this.toGraph(clientX, clientY);
    return { kind: 'canvas', at: { x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2 } };
  }

  private markDropTarget(target: Element | null): void {
    for (const el of this.svg.querySelectorAll('.drop-target')) el.classList.remove('drop-target');
    const hit = target?.closest('g.edge:not(.group-edge), g.node');
    hit?.classList.add('drop-target');
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0 || !this.data) return;
    const target = e.target as Element;
    if (target.closest('g.edge-add')) return; // handled on click
    const p = this.toGraph(e.clientX, e.clientY);
    const port = target.closest('circle.port-out');
    if (port && !this.data.readOnly) {
      this.gesture = { kind: 'connect', from: port.getAttribute('data-id')!, start: p, current: p };
      this.svg.setPointerCapture(e.pointerId);
      e.preventDefault();
      return;
    }
    // A block's card or tab: a click opens or closes it (on pointer up), a drag pans as the background does.
    const block = target.closest('g.group-card, g.block-frame-tab')?.getAttribute('data-group') ?? null;
    if (block) {
      this.gesture = { kind: 'pan', startX: e.clientX, startY: e.clientY, panX: this.camera.panX, panY: this.camera.panY, moved: false, block };
      this.svg.setPointerCapture(e.pointerId);
      return;
    }
    const nodeEl = target.closest('g.node');
    if (nodeEl) {
      const id = nodeEl.getAttribute('data-id')!;
      const additive = e.shiftKey || e.ctrlKey || e.metaKey;
      if (additive) this.callbacks.select([id], 'toggle');
      else if (!this.data.selection.has(id)) this.callbacks.select([id], 'replace');
      else this.callbacks.select([id], 'add'); // keep the group, move focus
      const ids = additive ? [] : this.data.selection.has(id) ? [...this.data.selection] : [id];
      const origins = new Map<string, Point>();
      for (const nid of ids) {
        const b = this.boxOf(nid);
        if (b) origins.set(nid, { x: b.x, y: b.y });
      }
      if (!this.data.readOnly && ids.length) {
        this.gesture = { kind: 'drag', ids, start: p, origins, moved: false };
        this.svg.setPointerCapture(e.pointerId);
      }
      return;
    }
    const edgeEl = target.closest('g.edge:not(.group-edge)');
    if (edgeEl) {
      this.svg.focus({ preventScroll: true });
      this.callbacks.selectEdge(edgeEl.getAttribute('data-from')!, edgeEl.getAttribute('data-to')!);
      return;
    }
    this.svg.focus({ preventScroll: true });
    if (e.shiftKey) this.gesture = { kind: 'box', start: p, current: p };
    else this.gesture = { kind: 'pan', startX: e.clientX, startY: e.clientY, panX: this.camera.panX, panY: this.camera.panY, moved: false, block: null };
    this.svg.setPointerCapture(e.pointerId);
  }

  private onPointerMove(e: PointerEvent): void {
    const g = this.gesture;
    if (g.kind === 'none') return;
    const p = this.toGraph(e.clientX, e.clientY);
    if (g.kind === 'pan') {
      const dx = e.clientX - g.startX;
      const dy = e.clientY - g.startY;
      if (!g.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      g.moved = true;
      this.element.classList.add('panning');
      this.setCamera({ zoom: this.camera.zoom, panX: g.panX + dx, panY: g.panY + dy }, false);
    } else if (g.kind === 'box') {
      g.current = p;
      this.drawOverlayRect(g.start, p);
    } else if (g.kind === 'drag') {
      const dx = p.x - g.start.x;
      const dy = p.y - g.start.y;
      if (!g.moved && Math.hypot(dx, dy) * this.camera.zoom < DRAG_THRESHOLD) return;
      g.moved = true;
      for (const [id, o] of g.origins) this.dragPositions.set(id, { x: Math.round(o.x + dx), y: Math.round(o.y + dy) });
      if (this.data) this.render(this.data);
    } else if (g.kind === 'connect') {
      g.current = p;
      clear(this.overlay);
      const src = this.boxOf(g.from);
      if (src) this.overlay.append(s('path', { class: 'connect-line', d: bezier({ x: src.x + src.width / 2, y: src.y + src.height }, p) }));
      this.markDropTarget(document.elementFromPoint(e.clientX, e.clientY)?.closest('g.node') ?? null);
    }
  }

  private onPointerUp(e: PointerEvent): void {
    const g = this.gesture;
    this.gesture = { kind: 'none' };
    if (this.svg.hasPointerCapture(e.pointerId)) this.svg.releasePointerCapture(e.pointerId);
    this.element.classList.remove('panning');
    clear(this.overlay);
    if (g.kind === 'pan') {
      if (g.moved) this.callbacks.cameraChanged(this.camera);
      else if (g.block) this.callbacks.toggleBlock(g.block);
      else this.callbacks.clearSelection();
    } else if (g.kind === 'box') {
      const x0 = Math.min(g.start.x, g.current.x);
      const x1 = Math.max(g.start.x, g.current.x);
      const y0 = Math.min(g.start.y, g.current.y);
      const y1 = Math.max(g.start.y, g.current.y);
      const hits: string[] = [];
      for (const [id, b] of this.data?.layout.nodes ?? []) {
        // A collapsed block selects its layers.
        if (b.x < x1 && b.x + b.width > x0 && b.y < y1 && b.y + b.height > y0) hits.push(...(this.data?.blocks.collapsed.get(id)?.block.members ?? [id]));
      }
      this.callbacks.select(hits, 'add');
    } else if (g.kind === 'drag') {
      if (g.moved && this.dragPositions.size) {
        const positions: Record<string, NodePosition> = {};
        for (const [id, pos] of this.dragPositions) positions[id] = { x: pos.x, y: pos.y };
        this.callbacks.moveNodes(positions);
        // Keep showing the dragged positions until the snapshot with the move arrives.
      }
    } else if (g.kind === 'connect') {
      this.markDropTarget(null);
      const under = document.elementFromPoint(e.clientX, e.clientY)?.closest('g.node');
      const to = under?.getAttribute('data-id');
      if (to && to !== g.from) this.callbacks.connect(g.from, to);
    }
  }

  /** Forget drag positions (a new snapshot holds the truth). */
  resetDrag(): void {
    this.dragPositions.clear();
  }

  private cancelGesture(): void {
    this.gesture = { kind: 'none' };
    this.dragPositions.clear();
    clear(this.overlay);
    if (this.data) this.render(this.data);
  }

  private drawOverlayRect(a: Point, b: Point): void {
    clear(this.overlay);
    this.overlay.append(
      s('rect', { class: 'box-select', x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) }),
    );
  }
}

function bezierAcross(a: Point, b: Point): string {
  const dx = Math.max(24, Math.abs(b.x - a.x) / 2);
  return `M ${a.x} ${a.y} C ${a.x + dx} ${a.y}, ${b.x - dx} ${b.y}, ${b.x} ${b.y}`;
}

function bezier(a: Point, b: Point): string {
  const dy = Math.max(24, Math.abs(b.y - a.y) / 2);
  return `M ${a.x} ${a.y} C ${a.x} ${a.y + dy}, ${b.x} ${b.y - dy}, ${b.x} ${b.y}`;
}

/** A smooth curve through routed points (Catmull-Rom as cubic Béziers). */
function smoothPath(pts: readonly Point[]): string {
  let d = `M ${pts[0]!.x} ${pts[0]!.y}`;
  for (let i = 0; i < pts.length - 1; i++) {
    const p0 = pts[Math.max(0, i - 1)]!;
    const p1 = pts[i]!;
    const p2 = pts[i + 1]!;
    const p3 = pts[Math.min(pts.length - 1, i + 2)]!;
    const c1 = { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 };
    const c2 = { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 };
    d += ` C ${c1.x} ${c1.y}, ${c2.x} ${c2.y}, ${p2.x} ${p2.y}`;
  }
  return d;
}
