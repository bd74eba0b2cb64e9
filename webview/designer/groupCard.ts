/**
 * How blocks are drawn: a collapsed block as one card (stacked, so it reads as several layers) with its
 * name, layer count, type sequence, output shape and parameter total, and the worst problem among its
 * layers as a badge; an expanded block as a frame around its layers with a tab that collapses it again.
 * Zoomed far out the card shows only its name, large (as a layer's chip does).
 */
import type { LayerBlock } from '../../src/core/layerBlocks';
import { s } from '../common/dom';
import { formatCompact, formatCount, formatShape } from '../common/format';
import type { GroupCardInfo } from './blockDisplay';
import type { LayoutDirection, NodeBox } from './layout';

/** The card's own height; the rest of its layout box shows the stack edges below it. */
const CARD_HEIGHT = 74;
const FRAME_PAD = 10;

const clipped = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function drawGroupCard(info: GroupCardInfo, box: NodeBox, state: { selected: boolean; focused: boolean }): SVGGElement {
  const { block } = info;
  const errors = info.problems.filter((p) => p.severity === 'error').length;
  const warnings = info.problems.filter((p) => p.severity === 'warning').length;
  const worst = errors ? 'error' : warnings ? 'warning' : info.problems.length ? 'info' : null;
  const count = `${block.members.length} layers`;
  const shape = info.outputShape ? formatShape(info.outputShape) : '?';
  const problemText = [errors ? `${errors} error${errors > 1 ? 's' : ''}` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ');
  const label = [`Block ${block.name}, collapsed`, count, info.summary, `output ${shape}`, `${formatCount(info.params)} params`, problemText ? `${problemText} inside` : '', 'Enter expands it'].filter(Boolean).join(', ');
  const g = s('g', {
    class: ['group-card', state.selected ? 'selected' : '', worst ? `problem-${worst}` : ''].filter(Boolean).join(' '),
    'data-group': block.id,
    transform: `translate(${box.x} ${box.y})`,
    role: 'button',
    'aria-expanded': 'false',
    'aria-label': label,
    tabindex: state.focused ? 0 : -1,
  });
  const w = box.width;
  const nameRoom = Math.floor((w - 40 - count.length * 6.6 - (worst ? 22 : 0)) / 8);
  g.append(
    s('rect', { class: 'group-stack', x: 8, y: 8, width: w - 16, height: CARD_HEIGHT, rx: 6 }),
    s('rect', { class: 'group-stack', x: 4, y: 4, width: w - 8, height: CARD_HEIGHT, rx: 6 }),
    s('rect', { class: 'group-body', width: w, height: CARD_HEIGHT, rx: 6 }),
    s('text', { class: 'group-name', x: 12, y: 21 }, `▸ ${clipped(block.name, nameRoom)}`),
    s('text', { class: 'group-count', x: w - (worst ? 34 : 12), y: 21, 'text-anchor': 'end' }, count),
    s('text', { class: 'group-summary', x: 12, y: 41 }, clipped(info.summary, Math.floor((w - 24) / 6.9))),
    s('line', { class: 'node-divider', x1: 10, x2: w - 10, y1: 51, y2: 51 }),
    s('text', { class: 'node-shape', x: 12, y: 66 }, `→ ${shape}`),
    s('text', { class: 'node-count', x: w - 12, y: 66, 'text-anchor': 'end' }, info.params > 0 ? `${formatCompact(info.params)} params` : 'no params'),
    s('text', { class: 'group-chip', x: w / 2, y: CARD_HEIGHT / 2, 'text-anchor': 'middle', 'dominant-baseline': 'central' }, clipped(block.name, 12)),
    s('title', {}, [`${block.name}: ${block.members.length} layers (click to expand)`, info.summary, ...info.problems.map((p) => `${p.severity === 'error' ? '⛔' : p.severity === 'warning' ? '⚠' : 'ℹ'} ${p.nodeId}: ${p.message}`)].join('\n')),
  );
  if (worst) {
    // The inner group is what CSS scales up when zoomed far out (the outer one's transform places it).
    const mark = s('g', { class: 'badge-mark' }, s('circle', { r: 9 }), s('text', { y: 4, 'text-anchor': 'middle' }, worst === 'info' ? 'i' : String(Math.min(errors || warnings, 9))));
    g.append(s('g', { class: `node-badge badge-${worst}`, transform: `translate(${w - 18} 16)` }, mark));
  }
  return g;
}

/** The frame around an expanded block's layers, with a tab (a button) that collapses it. */
export function drawBlockFrame(block: LayerBlock, boxes: readonly NodeBox[], direction: LayoutDirection): SVGGElement | null {
  if (!boxes.length) return null;
  const x0 = Math.min(...boxes.map((b) => b.x)) - FRAME_PAD;
  const y0 = Math.min(...boxes.map((b) => b.y)) - FRAME_PAD;
  const x1 = Math.max(...boxes.map((b) => b.x + b.width)) + FRAME_PAD;
  const y1 = Math.max(...boxes.map((b) => b.y + b.height)) + FRAME_PAD;
  const text = `▾ ${clipped(block.name, 16)} · ${block.members.length}`;
  const tabWidth = text.length * 7.4 + 16;
  // Top-down: the tab sits left of the frame's top (the edges run through the middle); across: above it.
  const tab = direction === 'TB' ? { x: x0 - tabWidth - 6, y: y0 } : { x: x0, y: y0 - 30 };
  return s(
    'g',
    { class: 'block-frame', 'data-group': block.id },
    s('rect', { class: 'block-frame-box', x: x0, y: y0, width: x1 - x0, height: y1 - y0, rx: 10 }),
    s(
      'g',
      { class: 'block-frame-tab', 'data-group': block.id, transform: `translate(${tab.x} ${tab.y})`, role: 'button', 'aria-expanded': 'true', tabindex: 0, 'aria-label': `Block ${block.name}, ${block.members.length} layers, expanded: Enter collapses it` },
      s('title', {}, `Collapse ${block.name} into one card`),
      s('rect', { width: tabWidth, height: 24, rx: 4 }),
      s('text', { x: 8, y: 16.5 }, text),
    ),
  );
}
