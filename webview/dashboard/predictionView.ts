/** The last "Predict Image" result: the image and its top-k classes as bars. */
import type { DashboardState } from './state';
import { el, basename } from './dom';
import { drawPreview } from './tiles';
import { fmtPercent } from './chart';

export class PredictionView {
  readonly root: HTMLElement;

  constructor(parent: HTMLElement) {
    // Focusable (not in the tab order) so "Show" can move the keyboard and screen readers to it.
    this.root = el('section', { className: 'prediction', attrs: { 'aria-labelledby': 'pred-title', tabindex: '-1' } });
    parent.append(this.root);
  }

  render(s: DashboardState): void {
    const p = s.prediction;
    this.root.hidden = p === null;
    if (!p) return;
    const bars = el('ol', { className: 'bars' }, p.top.map((c) => {
      const bar = el('span', { className: 'bar' });
      bar.style.setProperty('--value', String(c.probability));
      return el('li', {}, [el('span', { className: 'bar-label', text: c.className }), bar, el('span', { className: 'bar-value', text: fmtPercent(c.probability) })]);
    }));
    const parts: HTMLElement[] = [el('h2', { text: `Prediction for ${basename(p.imagePath)}`, attrs: { id: 'pred-title' } })];
    const row = el('div', { className: 'pred-row' });
    if (p.image) {
      const c = el('canvas', { className: 'pixelated' });
      drawPreview(c, p.image, 96);
      row.append(c);
    }
    row.append(bars);
    this.root.replaceChildren(...parts, row);
  }

  /** Scrolls the prediction to the top of the view and gives it the focus. */
  reveal(): void {
    this.root.scrollIntoView({ block: 'start' });
    this.root.focus({ preventScroll: true });
  }
}
