/** Two or more runs: validation loss and accuracy per epoch overlaid, and the settings that differ. */
import type { DashboardState } from './state';
import { postToHost } from './vscodeApi';
import { MetricChart, fmtPercent, type SeriesSpec } from './chart';
import { compareSeries, differingSettings } from './series';
import { button, el, emptyState } from './dom';

export class CompareView {
  readonly root: HTMLElement;
  private readonly charts = el('div', { className: 'chart-grid' });
  private readonly table = el('div', { className: 'compare-table' });
  private readonly empty = emptyState(
    'Compare this run with earlier ones: curves overlaid and the settings that differ.',
    button('Compare runs…', () => postToHost({ type: 'compareRuns' }), { id: 'compare-empty', secondary: true }),
  );
  private loss: MetricChart | null = null;
  private accuracy: MetricChart | null = null;
  private shownFor = '';

  constructor(parent: HTMLElement) {
    this.root = el('section', { className: 'compare', attrs: { 'aria-labelledby': 'compare-title' } }, [
      el('div', { className: 'section-head' }, [
        el('h2', { text: 'Compare runs', attrs: { id: 'compare-title' } }),
        button('Choose runs…', () => postToHost({ type: 'compareRuns' }), { id: 'compare-pick', secondary: true }),
      ]),
      this.empty,
      this.charts,
      this.table,
    ]);
    parent.append(this.root);
  }

  render(s: DashboardState): void {
    const runs = s.compare;
    const has = runs.length > 0;
    this.empty.hidden = has;
    this.charts.hidden = !has;
    this.table.hidden = !has;
    this.root.querySelector<HTMLElement>('#compare-pick')!.hidden = !has;
    if (!has) return;
    const key = runs.map((r) => r.runId).join('|');
    if (key !== this.shownFor) {
      // Series depend on the run list, so new runs need new charts.
      this.shownFor = key;
      this.charts.replaceChildren();
      const series = (fmt?: (v: number) => string): SeriesSpec[] =>
        runs.map((r, i) => ({ label: r.label, colour: (c) => c.palette[i % c.palette.length]!, width: 2, points: true, format: fmt }));
      this.loss = new MetricChart(this.charts, { title: 'Validation loss', xLabel: 'epoch', series: series(), height: 200, syncKey: 'compare', integerX: true }, 'No epochs in these runs.');
      this.accuracy = new MetricChart(this.charts, { title: 'Validation accuracy', xLabel: 'epoch', series: series(fmtPercent), height: 200, yFormat: fmtPercent, syncKey: 'compare', integerX: true }, 'No epochs in these runs.');
    }
    this.loss!.setData(compareSeries(runs, 'loss'));
    this.accuracy!.setData(compareSeries(runs, 'accuracy'));

    const diff = differingSettings(runs);
    // The run's own best epoch, as the Models tree and the evaluation of its best checkpoint show it.
    const bestAcc = (i: number): string => {
      const r = runs[i]!;
      return r.bestValAccuracy === null || r.bestEpoch === null ? '–' : `${fmtPercent(r.bestValAccuracy)} (epoch ${r.bestEpoch})`;
    };
    const headRow = el('tr', {}, [el('th', { text: 'Setting', attrs: { scope: 'col' } }), ...runs.map((r) => el('th', { text: r.label, attrs: { scope: 'col' } }))]);
    const rows = diff.map((k) => el('tr', { attrs: { 'data-setting': k } }, [el('th', { text: k, attrs: { scope: 'row' } }), ...runs.map((r) => el('td', { text: r.settings[k] ?? '—' }))]));
    const results = [
      el('tr', { className: 'result' }, [el('th', { text: 'epochs done', attrs: { scope: 'row' } }), ...runs.map((r) => el('td', { text: String(r.epochs.length) }))]),
      el('tr', { className: 'result' }, [el('th', { text: 'best epoch: validation accuracy', attrs: { scope: 'row' } }), ...runs.map((_r, i) => el('td', { text: bestAcc(i) }))]),
    ];
    const note = diff.length === 0 ? [el('p', { className: 'hint', text: 'These runs used the same settings.' })] : [];
    this.table.replaceChildren(...note, el('table', { attrs: { 'aria-label': 'Settings that differ between the runs' } }, [el('thead', {}, [headRow]), el('tbody', {}, [...rows, ...results])]));
  }

  themeChanged(): void {
    this.loss?.rebuild();
    this.accuracy?.rebuild();
  }
}
