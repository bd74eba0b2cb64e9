/**
 * Entry of the side bar view (bundled to dist/webview/sidebar.js with sidebar.css). It draws the
 * host's state (see src/protocol/sidebar.ts) and sends intents; it keeps no model of its own.
 */
import './sidebar.css';
import { analyzeModel } from '../../src/core/shapeInference';
import { CATEGORY_ORDER, LAYER_CATALOGUE } from '../../src/core/catalogue';
import type { ModelFile } from '../../src/core/format';
import {
  checkSettingValue,
  parseHostToSidebar,
  sidebarDatasetKey,
  type HostToSidebar,
  type SidebarDatasetMessage,
  SIDEBAR_SETTINGS,
  type SidebarModelInfo,
  type SidebarSettingName,
  type SidebarStateMessage,
  type SidebarToHost,
} from '../../src/protocol/sidebar';
import { clear, h } from '../common/dom';
import { registerToolkit } from '../common/toolkit';
import { connectToHost } from '../common/vscodeApi';
import { datasetPanel } from './datasetPanel';
import { inputShapeOf } from '../../src/core/modelFacts';

registerToolkit();
const root = document.getElementById('app')!;
const conn = connectToHost<SidebarToHost, HostToSidebar, Record<string, never>>(parseHostToSidebar, () => undefined);
/** The engine's latest answer about each document's dataset. */
const datasetAnswers = new Map<string, SidebarDatasetMessage>();
let lastState: SidebarStateMessage | null = null;

function button(label: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'secondary', disabled = false): HTMLElement {
  const b = h('vscode-button', { appearance, disabled });
  b.textContent = label;
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

function shapeText(shape: readonly number[] | null | undefined): string {
  return shape ? shape.join('×') : '?';
}

function outline(info: SidebarModelInfo, model: ModelFile): HTMLElement {
  const analysis = analyzeModel(model);
  const problemNodes = new Set(analysis.diagnostics.filter((d) => d.severity === 'error' && d.nodeId).map((d) => d.nodeId));
  const list = h('ul', { class: 'outline', 'aria-label': 'Layers of the model' });
  const order = [...analysis.order, ...model.nodes.map((n) => n.id).filter((id) => !analysis.order.includes(id))];
  for (const id of order) {
    const node = model.nodes.find((n) => n.id === id);
    if (!node) continue;
    const a = analysis.nodes.get(id);
    const item = h(
      'li',
      { tabindex: 0, class: problemNodes.has(id) ? 'has-problem' : undefined, title: `Show ${id} in the designer` },
      h('span', { class: 'type' }, node.type),
      h('span', { class: 'id' }, id),
      h('span', { class: 'shape' }, shapeText(a?.outputShape)),
    );
    const reveal = () => conn.post({ type: 'revealNode', documentUri: info.documentUri, nodeId: id });
    item.addEventListener('click', reveal);
    item.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        reveal();
      }
    });
    list.append(item);
  }
  const total = analysis.totals.params.toLocaleString('en-US');
  return h('div', {}, list, h('p', { class: 'muted' }, `${model.nodes.length} layers · ${total} params`));
}

function palette(info: SidebarModelInfo): HTMLElement {
  const el = h('div', { class: 'palette', role: 'group', 'aria-label': 'Add a layer' });
  for (const category of CATEGORY_ORDER) {
    const specs = [...LAYER_CATALOGUE.values()].filter((s) => s.category === category && s.type !== 'Input');
    if (!specs.length) continue;
    el.append(h('p', { class: 'category' }, category));
    for (const spec of specs) {
      const chip = h('button', { class: 'chip', type: 'button', title: `${spec.description} Adds it after a layer you choose.` }, spec.type);
      chip.addEventListener('click', () => conn.post({ type: 'addLayer', documentUri: info.documentUri, layerType: spec.type }));
      el.append(chip);
    }
  }
  return el;
}

function settings(info: SidebarModelInfo, model: ModelFile): HTMLElement {
  const values: Record<SidebarSettingName, number> = {
    epochs: model.training.epochs,
    batchSize: model.training.batchSize,
    learningRate: model.compile.learningRate,
  };
  const box = h('div', {});
  for (const name of Object.keys(SIDEBAR_SETTINGS) as SidebarSettingName[]) {
    const spec = SIDEBAR_SETTINGS[name];
    const field = h('vscode-text-field', { value: String(values[name]), 'aria-label': spec.label }) as HTMLElement & { value: string };
    field.textContent = spec.label;
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    field.addEventListener('change', () => {
      const value = Number(field.value.trim());
      const problem = field.value.trim() === '' ? `${spec.label} cannot be empty.` : checkSettingValue(name, value);
      error.hidden = problem === null;
      error.textContent = problem ?? '';
      if (problem === null && value !== values[name]) {
        conn.post({ type: 'setSetting', documentUri: info.documentUri, baseVersion: info.version, setting: name, value });
      }
    });
    box.append(h('label', { class: 'field' }, field), error);
  }
  return box;
}

function render(state: SidebarStateMessage): void {
  clear(root);
  const info = state.model;
  if (!info) {
    root.append(
      h('p', { class: 'muted' }, 'Open a *.cnn.json model to see its layers, dataset and training settings here.'),
      h('div', { class: 'buttons' }, button('New Model from Template…', () => conn.post({ type: 'command', command: 'newModel' }), 'primary')),
    );
    return;
  }
  // The view's own title already says "Model": the name comes first here.
  if (info.content.kind === 'invalid') {
    root.append(
      h('p', { class: 'file-name' }, info.fileName),
      h('p', { class: 'error' }, info.content.message),
      h('div', { class: 'buttons' }, button('Open as Text', () => conn.post({ type: 'command', command: 'openAsText', documentUri: info.documentUri }))),
    );
    return;
  }
  const model = info.content.model;
  root.append(h('p', { class: 'model-name' }, model.name), h('p', { class: 'file-name' }, info.fileName));

  // What is used most comes first: training, then the dataset; the layer lists fold away.
  root.append(h('h2', {}, 'Training'), settings(info, model));
  if (state.training) {
    const t = state.training;
    const controls = h('div', { class: 'buttons' });
    if (t.state === 'idle') controls.append(button('Train', () => conn.post({ type: 'command', command: 'train', documentUri: info.documentUri }), 'primary'));
    if (t.state === 'running') controls.append(button('Pause', () => conn.post({ type: 'command', command: 'pause' })));
    if (t.state === 'paused') controls.append(button('Resume', () => conn.post({ type: 'command', command: 'resume' }), 'primary'));
    if (t.state !== 'idle') controls.append(button('Stop', () => conn.post({ type: 'command', command: 'stop' })));
    root.append(controls, h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }, t.status));
  } else if (state.trainingNote) {
    root.append(h('p', { class: 'muted' }, state.trainingNote));
  }

  root.append(h('h2', {}, 'Dataset'));
  const ds = model.dataset;
  const chooseFolder = h('div', { class: 'buttons' }, button(ds ? 'Change Folder…' : 'Choose Folder…', () => conn.post({ type: 'chooseDataset', documentUri: info.documentUri })));
  if (ds) {
    const input = model.nodes.find((n) => n.type === 'Input');
    const shape = input ? inputShapeOf(input) : undefined;
    const key = sidebarDatasetKey(ds, shape && shape.length === 3 ? [shape[0]!, shape[1]!, shape[2]!] : null, model.training.validationSplit, model.training.augmentation);
    const answer = datasetAnswers.get(info.documentUri);
    root.append(
      chooseFolder,
      datasetPanel({
        documentUri: info.documentUri,
        version: info.version,
        dataset: ds,
        augmentation: model.training.augmentation,
        validationSplit: model.training.validationSplit,
        info: answer?.datasetKey === key ? answer.info : undefined,
        post: (m) => conn.post(m),
        button,
      }),
    );
  } else {
    root.append(h('p', { class: 'muted' }, 'No dataset yet: choose a folder with one sub-folder of images per class.'), chooseFolder);
  }

  root.append(
    foldable('layers', `Layers (${model.nodes.length})`, outline(info, model), true),
    foldable('palette', 'Add layer', palette(info), false),
  );
}

/** A section that folds; whether it is open survives re-renders (the state arrives on every edit). */
const openSections = new Map<string, boolean>();
function foldable(key: string, title: string, body: HTMLElement, openByDefault: boolean): HTMLElement {
  const details = h('details', { open: openSections.get(key) ?? openByDefault }, h('summary', {}, h('h2', { class: 'inline' }, title)), body);
  details.addEventListener('toggle', () => openSections.set(key, details.open));
  return details;
}

conn.onMessage((message) => {
  if (message.type === 'dataset') {
    datasetAnswers.set(message.documentUri, message);
    if (lastState?.model?.documentUri === message.documentUri) render(lastState);
    return;
  }
  lastState = message;
  render(message);
});
conn.post({ type: 'ready' });
