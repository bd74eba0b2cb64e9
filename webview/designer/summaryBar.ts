/** The summary bar: total params (and, with frozen layers, the trainable ones), multiply-adds, activation memory, training memory and problems (click: next problem). */
import type { ModelTotals } from '../../src/core/analysis';
import type { Diagnostic } from '../../src/core/diagnostics';
import { describeTrainingMemory, type TrainingMemoryEstimate } from '../../src/core/trainingMemory';
import { clear, h } from '../common/dom';
import { formatBytes, formatCompact, formatCount } from '../common/format';

export class SummaryBar {
  readonly element: HTMLElement;

  constructor(private readonly onNextProblem: () => void) {
    this.element = h('footer', { class: 'summary-bar', role: 'status', 'aria-live': 'polite' });
  }

  render(totals: ModelTotals | null, diagnostics: readonly Diagnostic[], layerCount: number, training: TrainingMemoryEstimate | null, frozenLayers = 0): void {
    clear(this.element);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    const item = (cls: string, label: string, value: string, title: string): HTMLElement =>
      h('span', { class: `summary-item ${cls}`, title }, h('span', { class: 'summary-label' }, label), h('span', { class: 'summary-value' }, value));
    this.element.append(
      item('summary-params', 'Params', totals ? formatCount(totals.params) : '—', totals ? `${formatCount(totals.trainableParams)} trainable, ${formatCount(totals.nonTrainableParams)} non-trainable` : 'Not known until the problems are fixed'),
      item('summary-flops', 'Mult-adds', totals ? formatCompact(totals.flops) : '—', 'Multiply-adds for one sample’s forward pass'),
      item('summary-memory', 'Activations', totals ? formatBytes(totals.activationBytes) : '—', 'Memory of all layer outputs for one sample (float32)'),
      training
        ? item('summary-training-memory', 'Training', formatBytes(training.totalBytes), `Memory to train: ${describeTrainingMemory(training)}`)
        : item('summary-training-memory', 'Training', '—', 'Not known until every layer has a shape'),
      item('summary-layers', 'Layers', formatCount(layerCount), 'Number of layers'),
    );
    // With frozen layers, what training will change is the figure that matters (Keras' "Trainable params").
    if (frozenLayers > 0 && totals) {
      this.element.insertBefore(
        item('summary-trainable', 'Trainable', formatCount(totals.trainableParams), `${formatCount(totals.nonTrainableParams)} non-trainable: ${frozenLayers} frozen layer${frozenLayers === 1 ? '' : 's'} (and any BatchNormalization statistics)`),
        this.element.querySelector('.summary-flops'),
      );
    }
    const total = diagnostics.length;
    const text = total === 0 ? 'No problems' : [errors ? `${errors} error${errors > 1 ? 's' : ''}` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : '', total - errors - warnings ? `${total - errors - warnings} info` : ''].filter(Boolean).join(', ');
    const cls = errors ? 'has-errors' : warnings ? 'has-warnings' : total ? 'has-info' : 'no-problems';
    const button = h(
      'button',
      {
        class: `summary-problems ${cls}`,
        type: 'button',
        disabled: total === 0,
        title: total ? 'Go to the next layer with a problem (F8)' : 'Shapes check out',
        'aria-label': total ? `${text}. Go to the next problem.` : 'No problems',
      },
      h('span', { class: 'sev-icon', 'aria-hidden': 'true' }, total ? '!' : '✓'),
      ` ${text}`,
    );
    button.addEventListener('click', () => this.onNextProblem());
    this.element.append(button);
  }
}

