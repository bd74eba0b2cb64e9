/**
 * Evaluation of a run: confusion matrix (a cell lists its samples), per-class precision/recall/F1, and a
 * gallery of misclassified samples. Only misclassified samples are listed by the engine, so a diagonal
 * cell says how many were right instead of listing them.
 */
import type { DashboardState } from './state';
import type { EvaluationReport, MisclassifiedSample, SampleRef } from '../../src/protocol/engine';
import { postToHost } from './vscodeApi';
import { button, el, emptyState, linkButton, basename } from './dom';
import { drawPreview } from './tiles';
import { fmtPercent } from './chart';

/** Which data the figures come from; older evaluation files have no label and are described from their split. */
export function evaluatedDataText(ev: EvaluationReport): string {
  if (ev.dataLabel) return ev.dataLabel;
  return ev.split === 'validation' ? 'Validation split' : `${ev.split === 'test' ? 'Test set' : 'All of'}: ${ev.dataPath} (${ev.numSamples.toLocaleString('en-US')} images)`;
}

export class EvaluationView {
  readonly root: HTMLElement;
  private readonly body = el('div', { className: 'eval-body' });
  private readonly cellList = el('div', { className: 'cell-samples', attrs: { id: 'cell-samples', 'aria-live': 'polite' } });
  private readonly empty = emptyState(
    'No evaluation yet. Evaluate the run to see its confusion matrix and per-class scores.',
    button('Evaluate run', () => postToHost({ type: 'evaluate' }), { id: 'evaluate-empty' }),
  );
  private state: DashboardState | null = null;

  constructor(parent: HTMLElement) {
    this.root = el('section', { className: 'evaluation', attrs: { 'aria-labelledby': 'eval-title' } }, [
      el('div', { className: 'section-head' }, [el('h2', { text: 'Evaluation', attrs: { id: 'eval-title' } })]),
      this.empty,
      this.body,
    ]);
    parent.append(this.root);
  }

  render(s: DashboardState): void {
    this.state = s;
    this.root.hidden = s.run === null;
    const ev = s.evaluation;
    const live = s.status === 'running' || s.status === 'paused';
    this.empty.hidden = ev !== null;
    this.empty.querySelector('vscode-button')!.toggleAttribute('hidden', live);
    this.empty.querySelector('p')!.textContent = live
      ? 'Evaluation is available when training ends.'
      : 'No evaluation yet. Evaluate the run to see its confusion matrix and per-class scores.';
    this.body.hidden = ev === null;
    if (!ev) return;
    this.cellList.replaceChildren();
    const summary = el('p', {
      className: 'facts',
      text: `Accuracy ${fmtPercent(ev.accuracy)} · loss ${ev.loss.toFixed(4)} on ${ev.numSamples} ${ev.split === 'validation' ? 'validation' : ev.split === 'test' ? 'test' : ''} samples (${ev.checkpoint} checkpoint)`,
    });
    this.body.replaceChildren(
      el('p', { className: 'eval-source', text: evaluatedDataText(ev), attrs: { 'data-role': 'eval-source' } }),
      summary,
      el('div', { className: 'eval-grid' }, [this.matrix(), this.classTable()]),
      this.cellList,
      this.gallery(),
    );
  }

  private matrix(): HTMLElement {
    const ev = this.state!.evaluation!;
    const names = ev.classNames;
    const table = el('table', { className: 'confusion', attrs: { 'aria-label': 'Confusion matrix: rows are true classes, columns predicted classes' } });
    const head = el('tr', {}, [el('th', { className: 'corner', text: 'true \\ predicted' }), ...names.map((n) => el('th', { text: n, attrs: { scope: 'col' } }))]);
    table.append(el('thead', {}, [head]));
    const body = el('tbody');
    ev.confusionMatrix.forEach((row, t) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      const tr = el('tr', {}, [el('th', { text: names[t] ?? String(t), attrs: { scope: 'row' } })]);
      row.forEach((count, p) => {
        const b = el('button', {
          className: t === p ? 'cell diag' : 'cell',
          text: String(count),
          attrs: { type: 'button', 'data-true': String(t), 'data-pred': String(p), 'aria-label': `true ${names[t]}, predicted ${names[p]}: ${count} samples` },
        });
        // Shade by the share of the true class (CSSOM property, allowed under the CSP).
        b.style.setProperty('--share', String(count / total));
        b.addEventListener('click', () => this.showCell(t, p, count));
        tr.append(el('td', {}, [b]));
      });
      body.append(tr);
    });
    table.append(body);
    return el('figure', { className: 'matrix' }, [table, el('figcaption', { text: 'Click a cell to list its samples.' })]);
  }

  private showCell(t: number, p: number, count: number): void {
    const ev = this.state!.evaluation!;
    const names = ev.classNames;
    const title = `True ${names[t]}, predicted ${names[p]}: ${count} sample${count === 1 ? '' : 's'}`;
    if (t === p) {
      this.cellList.replaceChildren(el('h3', { text: title }), el('p', { text: 'These were classified correctly; the evaluation lists only misclassified samples.' }));
      return;
    }
    const samples = ev.misclassified.filter((m) => m.trueClass === names[t] && m.predictedClass === names[p]);
    const list = el('ul', { className: 'sample-list' }, samples.map((m) => this.sampleItem(m)));
    const note = samples.length < count ? [el('p', { className: 'hint', text: `Showing ${samples.length} (the evaluation keeps the ${ev.misclassified.length} worst mistakes).` })] : [];
    this.cellList.replaceChildren(el('h3', { text: title }), ...note, samples.length ? list : el('p', { text: 'No samples listed for this cell.' }));
    this.cellList.querySelector<HTMLElement>('button')?.focus();
  }

  private sampleItem(m: MisclassifiedSample): HTMLElement {
    const li = el('li');
    const thumb = this.state!.thumbnails.get(m.index);
    if (thumb) {
      const c = el('canvas', { className: 'pixelated thumb' });
      drawPreview(c, thumb.image, 40);
      li.append(c);
    }
    li.append(el('span', { text: `${m.path ? basename(m.path) : `#${m.index}`} · ${fmtPercent(m.confidence)} ${m.predictedClass}` }));
    if (m.path) {
      const path = m.path;
      li.append(linkButton('Open file', () => postToHost({ type: 'openFile', path }), path));
    }
    const sample = this.sampleRef(m);
    if (sample) li.append(linkButton('Show feature maps', () => postToHost({ type: 'pickSample', sample })));
    return li;
  }

  /**
   * How the host finds a mistake again: its index in the validation split, or its file. A sample of
   * another set without a file of its own (a row of a test CSV) cannot be shown.
   */
  private sampleRef(m: MisclassifiedSample): SampleRef | null {
    if (this.state!.evaluation!.split === 'validation') return { datasetIndex: m.index };
    return m.path ? { imagePath: m.path } : null;
  }

  private classTable(): HTMLElement {
    const ev = this.state!.evaluation!;
    const rows = ev.perClass.map((c) =>
      el('tr', {}, [
        el('th', { text: c.className, attrs: { scope: 'row' } }),
        el('td', { text: fmtPercent(c.precision) }),
        el('td', { text: fmtPercent(c.recall) }),
        el('td', { text: c.f1.toFixed(3) }),
        el('td', { text: String(c.support) }),
      ]),
    );
    return el('table', { className: 'per-class', attrs: { 'aria-label': 'Per-class scores' } }, [
      el('thead', {}, [el('tr', {}, ['Class', 'Precision', 'Recall', 'F1', 'Support'].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))]),
      el('tbody', {}, rows),
    ]);
  }

  private gallery(): HTMLElement {
    const ev = this.state!.evaluation!;
    if (ev.misclassified.length === 0) return el('p', { className: 'hint', text: 'No misclassified samples.' });
    const items = ev.misclassified.slice(0, 48).map((m) => {
      const canShow = this.sampleRef(m) !== null;
      const b = el('button', { className: 'gallery-item', attrs: { type: 'button', title: `${m.path ?? `#${m.index}`}: ${canShow ? 'show its feature maps' : 'no file of its own, so no feature maps'}` } });
      const thumb = this.state!.thumbnails.get(m.index);
      if (thumb) {
        const c = el('canvas', { className: 'pixelated' });
        drawPreview(c, thumb.image, 64);
        b.append(c);
      }
      b.append(el('span', { text: `${m.trueClass} → ${m.predictedClass}` }), el('span', { className: 'hint', text: fmtPercent(m.confidence) }));
      const sample = this.sampleRef(m);
      if (sample) b.addEventListener('click', () => postToHost({ type: 'pickSample', sample }));
      else b.disabled = true;
      return b;
    });
    return el('div', {}, [el('h3', { text: `Misclassified (${ev.misclassified.length})` }), el('div', { className: 'gallery' }, items)]);
  }
}
