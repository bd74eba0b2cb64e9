/**
 * A thin wrapper over one uPlot chart: theme colours, a size that follows its container, hover values in
 * uPlot's legend, and a log-scale switch (uPlot needs a new instance to change a scale's distribution).
 */
import uPlot from 'uplot';
import { chartColours } from './theme';

export interface SeriesSpec {
  readonly label: string;
  readonly colour: (c: ReturnType<typeof chartColours>) => string;
  readonly width?: number;
  readonly dash?: number[];
  /** Draw a dot on each point (per-epoch series have few points). */
  readonly points?: boolean;
  readonly format?: (v: number) => string;
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly series: readonly SeriesSpec[];
  readonly height: number;
  readonly yFormat?: (v: number) => string;
  readonly xFormat?: (v: number) => string;
  /** Charts with the same key move their hover cursor together. */
  readonly syncKey?: string;
  /** The x axis counts whole things (epochs): ticks only at integers. */
  readonly integerX?: boolean;
}

export class MetricChart {
  private plot: uPlot | null = null;
  private data: uPlot.AlignedData = [[]];
  private log = false;
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly empty: HTMLElement;

  constructor(
    parent: HTMLElement,
    private readonly spec: ChartSpec,
    emptyText: string,
  ) {
    this.root = document.createElement('figure');
    this.root.className = 'chart';
    this.root.dataset['chart'] = spec.title;
    const caption = document.createElement('figcaption');
    caption.textContent = spec.title;
    this.body = document.createElement('div');
    this.body.className = 'chart-body';
    this.empty = document.createElement('p');
    this.empty.className = 'empty';
    this.empty.textContent = emptyText;
    this.root.append(caption, this.body, this.empty);
    parent.append(this.root);
    new ResizeObserver(() => this.resize()).observe(this.body);
  }

  /** Number of x values currently plotted (the tests read it from `data-points`). */
  get pointCount(): number {
    return this.data[0].length;
  }

  setData(data: uPlot.AlignedData): void {
    this.data = data;
    const hasData = data[0].length > 0;
    this.root.dataset['points'] = String(data[0].length);
    this.root.classList.toggle('is-empty', !hasData);
    if (!hasData) return;
    if (!this.plot) this.create();
    else this.plot.setData(data);
  }

  setLogScale(log: boolean): void {
    if (log === this.log) return;
    this.log = log;
    this.rebuild();
  }

  /** New colours after a theme switch. */
  rebuild(): void {
    this.plot?.destroy();
    this.plot = null;
    if (this.data[0].length > 0) this.create();
  }

  private width(): number {
    return Math.max(200, Math.floor(this.body.clientWidth || 400));
  }

  private resize(): void {
    this.plot?.setSize({ width: this.width(), height: this.spec.height });
  }

  private create(): void {
    const c = chartColours();
    const axis = (fmt?: (v: number) => string): uPlot.Axis => ({
      stroke: c.foreground,
      grid: { stroke: c.grid, width: 1 },
      ticks: { stroke: c.grid, width: 1 },
      values: fmt ? (_u, splits) => splits.map((v) => (v == null ? '' : fmt(v))) : undefined,
    });
    const opts: uPlot.Options = {
      width: this.width(),
      height: this.spec.height,
      cursor: this.spec.syncKey ? { sync: { key: this.spec.syncKey } } : {},
      legend: { live: true },
      scales: {
        x: { time: false },
        y: this.log ? { distr: 3 } : { auto: true },
      },
      axes: [
        { ...axis(this.spec.xFormat), label: this.spec.xLabel, labelSize: 20, size: 36, ...(this.spec.integerX ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500] } : {}) },
        // Wide enough for "100.0%" and "0.00123".
        { ...axis(this.spec.yFormat), size: 58 },
      ],
      series: [
        { label: this.spec.xLabel, value: (_u, v) => (v == null ? '–' : (this.spec.xFormat ?? fmtNum)(v)) },
        ...this.spec.series.map(
          (s): uPlot.Series => ({
            label: s.label,
            stroke: s.colour(c),
            width: s.width ?? 1.5,
            dash: s.dash,
            spanGaps: true,
            points: { show: s.points ?? false, size: 5, fill: s.colour(c) },
            value: (_u, v) => (v == null ? '–' : (s.format ?? this.spec.yFormat ?? fmtNum)(v)),
          }),
        ),
      ],
    };
    this.plot = new uPlot(opts, this.data, this.body);
  }
}

export function fmtNum(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 1) return v.toFixed(3).replace(/\.?0+$/, '');
  // 0.00300 → "0.003": trailing zeros say nothing here.
  if (a >= 0.001) return String(Number(v.toPrecision(3)));
  return v.toExponential(2);
}

export function fmtPercent(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}
