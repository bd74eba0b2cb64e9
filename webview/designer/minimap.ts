/**
 * An overview of the whole graph in the canvas' corner: every layer as a small box in its category's
 * colour (the selection highlighted) and a frame around the part on screen. Clicking or dragging in it
 * moves the view there. Shown only when the graph does not fit on screen at a readable size.
 */
import { s } from '../common/dom';
import { categoryClass } from './categoryStyle';
import { getLayerSpec } from '../../src/core/catalogue';
import type { ModelNode } from '../../src/core/format';
import type { GraphLayout } from './layout';

const WIDTH = 168;
const HEIGHT = 120;
const PAD = 4;

type Rect = { x: number; y: number; width: number; height: number };

export class Minimap {
  readonly element: SVGSVGElement;
  private readonly content: SVGGElement;
  private readonly frame: SVGRectElement;
  private layout: GraphLayout | null = null;
  private scale = 1;
  private offset = { x: 0, y: 0 };

  constructor(private readonly jump: (graphPoint: { x: number; y: number }) => void) {
    this.content = s('g', {});
    this.frame = s('rect', { class: 'minimap-frame' });
    this.element = s('svg', { class: 'minimap', width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': 'Overview of the whole model: click to move the view there' }, s('rect', { class: 'minimap-bg', width: WIDTH, height: HEIGHT, rx: 3 }), this.content, this.frame);
    const move = (e: PointerEvent): void => {
      if (!this.layout) return;
      const r = this.element.getBoundingClientRect();
      // In minimap units (CSS may draw it smaller than its viewBox in narrow editors).
      const mx = ((e.clientX - r.left) * WIDTH) / r.width;
      const my = ((e.clientY - r.top) * HEIGHT) / r.height;
      this.jump({ x: (mx - this.offset.x) / this.scale, y: (my - this.offset.y) / this.scale });
    };
    this.element.addEventListener('pointerdown', (e) => {
      e.stopPropagation();
      this.element.setPointerCapture(e.pointerId);
      move(e);
    });
    this.element.addEventListener('pointermove', (e) => {
      if (this.element.hasPointerCapture(e.pointerId)) move(e);
    });
  }

  render(layout: GraphLayout, nodes: readonly ModelNode[], selection: ReadonlySet<string>): void {
    this.layout = layout;
    const types = new Map(nodes.map((n) => [n.id, n.type]));
    const b = layout.bounds;
    this.scale = Math.min((WIDTH - 2 * PAD) / Math.max(1, b.width), (HEIGHT - 2 * PAD) / Math.max(1, b.height));
    this.offset = { x: (WIDTH - b.width * this.scale) / 2 - b.x * this.scale, y: (HEIGHT - b.height * this.scale) / 2 - b.y * this.scale };
    this.content.replaceChildren(
      ...[...layout.nodes].map(([id, n]) =>
        s('rect', {
          class: `minimap-node ${categoryClass(getLayerSpec(types.get(id) ?? '')?.category ?? 'unknown')}${selection.has(id) ? ' selected' : ''}`,
          x: n.x * this.scale + this.offset.x,
          y: n.y * this.scale + this.offset.y,
          width: Math.max(1.5, n.width * this.scale),
          height: Math.max(1.5, n.height * this.scale),
        }),
      ),
    );
  }

  /** Frames the part of the graph on screen; hides the minimap when all of it is. */
  showView(visible: Rect): void {
    const b = this.layout?.bounds;
    const all = !b || (visible.x <= b.x && visible.y <= b.y && visible.x + visible.width >= b.x + b.width && visible.y + visible.height >= b.y + b.height);
    this.element.classList.toggle('minimap-hidden', all);
    this.frame.setAttribute('x', String(visible.x * this.scale + this.offset.x));
    this.frame.setAttribute('y', String(visible.y * this.scale + this.offset.y));
    this.frame.setAttribute('width', String(visible.width * this.scale));
    this.frame.setAttribute('height', String(visible.height * this.scale));
  }
}
