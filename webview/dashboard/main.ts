/**
 * The training dashboard webview (entry → dist/webview/dashboard.js + dashboard.css). It asks the host for a
 * snapshot (`ready` → `hydrate`), then applies deltas; redraws are coalesced so a fast metric stream costs
 * the page at most a few draws per second.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption } from '@vscode/webview-ui-toolkit';
import './dashboard.css';
import type { HostToDashboard } from '../../src/protocol/dashboard';
import { DashboardState, type Section } from './state';
import { RedrawScheduler } from './scheduler';
import { HeaderView } from './header';
import { TrainingView } from './trainingView';
import { FeatureMapsView } from './featureMapsView';
import { EvaluationView } from './evaluationView';
import { CompareView } from './compareView';
import { PredictionView } from './predictionView';
import { button, emptyState } from './dom';
import { onHostMessage, postToHost } from './vscodeApi';
import { onThemeChange } from './theme';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption());

const app = document.getElementById('app')!;
const state = new DashboardState();
const noRun = emptyState('No run yet — press Train to train the open model.', button('Train', () => postToHost({ type: 'train' }), { id: 'train-empty' }));
noRun.classList.add('no-run');
app.append(noRun);
const header = new HeaderView(app);
const prediction = new PredictionView(app);
const training = new TrainingView(app);
const featureMaps = new FeatureMapsView(app);
const evaluation = new EvaluationView(app);
const compare = new CompareView(app);

const dirty = new Set<Section>(['header', 'charts', 'featureMaps', 'evaluation', 'compare', 'prediction']);

function draw(): void {
  noRun.hidden = state.run !== null;
  if (dirty.has('header')) header.render(state);
  if (dirty.has('charts')) training.render(state);
  if (dirty.has('featureMaps')) featureMaps.render(state);
  if (dirty.has('evaluation')) evaluation.render(state);
  if (dirty.has('compare')) compare.render(state);
  if (dirty.has('prediction')) prediction.render(state);
  if (state.revealPrediction && state.prediction) {
    state.revealPrediction = false;
    prediction.reveal();
  }
  dirty.clear();
  document.body.dataset['draws'] = String(scheduler.draws + 1);
}

// At most one redraw per second: curves of a training run need no more, and training keeps the CPU
// (bench/dashboard.ts measures what a redraw costs). Snapshots (hydrate, evaluation) draw at once.
const scheduler = new RedrawScheduler(draw, 1000);

/** For the tests and the overhead benchmark: work done by the page so far. */
(window as unknown as { dashboardStats: () => object }).dashboardStats = () => ({
  draws: scheduler.draws,
  busyMs: scheduler.busyMs,
  messages,
  messageMs,
  dropped: state.dropped,
  pending: scheduler.isPending || dirty.size > 0,
});
let messages = 0;
let messageMs = 0;

onHostMessage((m: HostToDashboard) => {
  const t0 = performance.now();
  messages++;
  for (const s of state.apply(m)) dirty.add(s);
  if (m.type === 'hydrate' || m.type === 'evaluation' || m.type === 'runsForCompare' || m.type === 'prediction') scheduler.flush();
  else if (dirty.size > 0) scheduler.request();
  messageMs += performance.now() - t0;
});

onThemeChange(() => {
  training.themeChanged();
  compare.themeChanged();
});

draw();
postToHost({ type: 'ready' });
