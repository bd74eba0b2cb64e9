/** Loss and accuracy (per batch raw + EMA, per epoch training and validation), learning rate, throughput. */
import type { DashboardState } from './state';
import { MetricChart, fmtNum, fmtPercent, type SeriesSpec } from './chart';
import { batchSeries, trainingSeries } from './series';
import { smoothingWeightFor } from './smoothing';
import { el } from './dom';

const epochFmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2));

function metricSeries(name: string, format?: (v: number) => string): SeriesSpec[] {
  return [
    { label: `${name} (batch)`, colour: (c) => c.trainFaint, width: 1, format },
    { label: `${name} (smoothed)`, colour: (c) => c.train, width: 2, format },
    { label: `${name} (epoch)`, colour: (c) => c.extra, width: 1.5, points: true, dash: [4, 3], format },
    { label: `validation ${name}`, colour: (c) => c.validation, width: 2, points: true, format },
  ];
}

export class TrainingView {
  private readonly loss: MetricChart;
  private readonly accuracy: MetricChart;
  private readonly learningRate: MetricChart;
  private readonly throughput: MetricChart;
  readonly root: HTMLElement;

  constructor(parent: HTMLElement) {
    const logToggle = document.createElement('vscode-checkbox');
    logToggle.id = 'log-scale';
    logToggle.textContent = 'Log scale for loss';
    this.root = el('section', { className: 'training', attrs: { 'aria-labelledby': 'training-title' } }, [
      el('div', { className: 'section-head' }, [el('h2', { text: 'Training', attrs: { id: 'training-title' } }), logToggle]),
    ]);
    const big = el('div', { className: 'chart-grid' });
    const small = el('div', { className: 'chart-grid small' });
    this.root.append(big, small);
    parent.append(this.root);
    const wait = 'Waiting for the first batch…';
    this.loss = new MetricChart(big, { title: 'Loss', xLabel: 'epoch', series: metricSeries('loss'), height: 220, xFormat: epochFmt, syncKey: 'train' }, wait);
    this.accuracy = new MetricChart(big, { title: 'Accuracy', xLabel: 'epoch', series: metricSeries('accuracy', fmtPercent), height: 220, xFormat: epochFmt, yFormat: fmtPercent, syncKey: 'train' }, wait);
    this.learningRate = new MetricChart(small, { title: 'Learning rate', xLabel: 'epoch', series: [{ label: 'learning rate', colour: (c) => c.palette[3]!, format: fmtNum }], height: 120, xFormat: epochFmt, syncKey: 'train' }, wait);
    this.throughput = new MetricChart(small, { title: 'Throughput', xLabel: 'epoch', series: [{ label: 'samples/s', colour: (c) => c.palette[2]!, format: (v) => Math.round(v).toString() }], height: 120, xFormat: epochFmt, syncKey: 'train' }, wait);
    logToggle.addEventListener('change', () => {
      this.loss.setLogScale((logToggle as HTMLInputElement).checked);
    });
  }

  render(s: DashboardState): void {
    this.root.hidden = s.run === null;
    if (!s.run) return;
    const bpe = s.run.batchesPerEpoch;
    const w = smoothingWeightFor(bpe);
    this.loss.setData(trainingSeries(s.batches, s.epochs, bpe, 'loss', w));
    this.accuracy.setData(trainingSeries(s.batches, s.epochs, bpe, 'accuracy', w));
    this.learningRate.setData(batchSeries(s.batches, bpe, 'learningRate'));
    this.throughput.setData(batchSeries(s.batches, bpe, 'samplesPerSec'));
  }

  themeChanged(): void {
    for (const c of [this.loss, this.accuracy, this.learningRate, this.throughput]) c.rebuild();
  }
}
