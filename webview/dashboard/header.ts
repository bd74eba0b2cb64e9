/** Status header: model and status, epoch/batch/ETA/backend facts, and the run controls. */
import type { DashboardState } from './state';
import { postToHost } from './vscodeApi';
import { button, el, formatDuration } from './dom';
import { fmtNum } from './chart';

const STATUS_LABEL: Record<string, string> = {
  running: 'Running',
  paused: 'Paused',
  finished: 'Finished',
  stopped: 'Stopped',
  interrupted: 'Interrupted',
  failed: 'Failed',
};

export class HeaderView {
  private readonly title = el('h1');
  private readonly badge = el('span', { className: 'status' });
  private readonly facts = el('p', { className: 'facts' });
  private readonly message = el('p', { className: 'message', attrs: { role: 'status' } });
  private readonly pause = button('Pause', () => postToHost({ type: 'pause' }), { id: 'pause', title: 'Pause after the current batch' });
  private readonly resume = button('Resume', () => postToHost({ type: 'resume' }), { id: 'resume' });
  private readonly stop = button('Stop', () => postToHost({ type: 'stop' }), { id: 'stop', secondary: true, title: 'Stop and keep the checkpoints so far' });
  private readonly train = button('Train again', () => postToHost({ type: 'train' }), { id: 'train', secondary: true });
  private readonly evaluate = button('Evaluate', () => postToHost({ type: 'evaluate' }), { id: 'evaluate', secondary: true, title: 'Confusion matrix and per-class scores on the validation split' });
  private readonly predict = button('Predict image…', () => postToHost({ type: 'predict' }), { id: 'predict', secondary: true });
  private readonly csv = button('Export CSV', () => postToHost({ type: 'exportCsv' }), { id: 'export-csv', secondary: true });
  readonly root: HTMLElement;

  constructor(parent: HTMLElement) {
    this.root = el('header', { className: 'run-header' }, [
      el('div', { className: 'title-row' }, [this.title, this.badge]),
      this.facts,
      el('div', { className: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Run controls' } }, [
        this.pause,
        this.resume,
        this.stop,
        this.train,
        el('span', { className: 'spacer' }),
        this.evaluate,
        this.predict,
        this.csv,
      ]),
      this.message,
    ]);
    parent.append(this.root);
  }

  render(s: DashboardState): void {
    const run = s.run;
    this.root.hidden = run === null;
    if (!run) return;
    const status = s.status ?? run.status;
    this.title.textContent = run.modelName;
    this.badge.textContent = STATUS_LABEL[status] ?? status;
    this.badge.className = `status status-${status}`;
    const live = (status === 'running' || status === 'paused') && run.controllable !== false;
    this.pause.hidden = status !== 'running';
    this.resume.hidden = status !== 'paused';
    this.stop.hidden = !live;
    this.train.hidden = live;
    this.evaluate.hidden = live;
    this.predict.hidden = live;
    this.csv.hidden = s.epochs.length === 0 && s.batches.length === 0;

    const last = s.batches[s.batches.length - 1];
    const lastEpoch = s.epochs[s.epochs.length - 1];
    const parts: string[] = [];
    const epoch = last ? last.epoch : (lastEpoch?.epoch ?? 0);
    parts.push(`Epoch ${epoch}/${run.epochsPlanned}`);
    if (last && run.batchesPerEpoch > 0) parts.push(`batch ${last.batch}/${run.batchesPerEpoch}`);
    if (live && last && run.batchesPerEpoch > 0) {
      const remaining = (run.epochsPlanned - last.epoch) * run.batchesPerEpoch + (run.batchesPerEpoch - last.batch);
      const eta = last.samplesPerSec > 0 ? (remaining * run.batchSize) / last.samplesPerSec : NaN;
      parts.push(`ETA ${formatDuration(eta)}`);
    } else if (lastEpoch) {
      const total = s.epochs.reduce((a, e) => a + e.seconds, 0);
      parts.push(`took ${formatDuration(total)}`);
    }
    if (last) parts.push(`${Math.round(last.samplesPerSec).toLocaleString('en-US')} samples/s`, `lr ${fmtNum(last.learningRate)}`);
    parts.push(run.backend);
    this.facts.textContent = parts.join(' · ');
    const msg = s.error ?? s.activity ?? s.message ?? '';
    this.message.textContent = msg;
    this.message.hidden = msg === '';
    this.message.classList.toggle('is-error', s.error !== null || status === 'failed');
  }
}
