/**
 * The inspector: fields for the selected layer generated from its catalogue param specs (toolkit text
 * fields, dropdowns and checkboxes with defaults, ranges and help), validated as the user types
 * (invalid text shows why and is not sent), the id (rename), the layer's shapes and costs, and its
 * problems with quick-fix buttons. With nothing selected it shows the model overview.
 */
import { getLayerSpec, paramOrDefault, type LayerSpec, type ParamSpec } from '../../src/core/catalogue';
import type { ModelTotals, NodeAnalysis } from '../../src/core/analysis';
import type { Diagnostic, QuickFix } from '../../src/core/diagnostics';
import type { ModelFile, ModelNode, ParamValue } from '../../src/core/format';
import type { ModelEdit } from '../../src/core/modelEdit';
import { isValidNodeId, NODE_ID_RULE } from '../../src/core/nodeIds';
import { clear, h } from '../common/dom';
import { formatBytes, formatCompact, formatCount, formatShape } from '../common/format';
import { CATEGORY_LABELS, categoryClass } from './categoryStyle';
import { paramToText, parseParamText, rangeHint, sameParamValue } from './paramText';

export interface InspectorCallbacks {
  edit(edit: ModelEdit): void;
  /** A valid value being typed: show its effect (shapes, params) without sending it. `null` ends the preview. */
  preview(edit: ModelEdit | null): void;
  applyFix(fix: QuickFix): void;
  select(id: string): void;
  deleteSelection(): void;
  duplicateSelection(): void;
  /** The user folded or unfolded the inspector (narrow layout). */
  collapsedChanged(collapsed: boolean): void;
}

export interface InspectorData {
  /** What is shown: the document's model, with a value being typed applied. */
  readonly model: ModelFile;
  /** The document's model as in the last snapshot. */
  readonly snapshotModel: ModelFile;
  readonly selection: readonly string[];
  readonly nodeAnalysis: ReadonlyMap<string, NodeAnalysis>;
  readonly totals: ModelTotals | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly readOnly: boolean;
}

type FieldElement = HTMLElement & { value: string; checked?: boolean };

export class Inspector {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  /** What the form was built for; a snapshot for the same layer updates values in place (keeps focus and caret). */
  private builtFor = '';
  private data: InspectorData | null = null;
  /** The last value sent per param and the model it was sent against: Enter then blur sends once. */
  private readonly sentFor = new Map<string, string>();
  private sentModel: ModelFile | null = null;

  constructor(
    private readonly callbacks: InspectorCallbacks,
    collapsed = false,
  ) {
    this.body = h('div', { class: 'inspector-body', id: 'inspector-body' });
    this.toggleDetail = h('span', { class: 'inspector-toggle-detail' });
    // Shown only when the editor is narrow (the inspector then sits below the graph and can fold away).
    this.toggle = h(
      'button',
      { type: 'button', class: 'inspector-toggle', 'aria-controls': 'inspector-body', 'aria-expanded': 'true', title: 'Show or hide the inspector' },
      h('span', { class: 'inspector-chevron', 'aria-hidden': 'true' }, '▾'),
      h('span', { class: 'inspector-toggle-title' }, 'Inspector'),
      this.toggleDetail,
    );
    this.toggle.addEventListener('click', () => this.setCollapsed(!this.collapsed, true));
    this.element = h('aside', { class: 'inspector', 'aria-label': 'Inspector' }, this.toggle, this.body);
    this.setCollapsed(collapsed, false);
  }

  private readonly toggle: HTMLElement;
  private readonly toggleDetail: HTMLElement;
  private isCollapsed = false;

  get collapsed(): boolean {
    return this.isCollapsed;
  }

  /** Folds the inspector away (only has an effect in the narrow layout, where its toggle shows). */
  setCollapsed(collapsed: boolean, notify: boolean): void {
    this.isCollapsed = collapsed;
    this.element.classList.toggle('collapsed', collapsed);
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    if (notify) this.callbacks.collapsedChanged(collapsed);
  }

  private expand(): void {
    if (this.isCollapsed) this.setCollapsed(false, true);
  }

  /** Focuses the first field (Enter on a selected node), unfolding the inspector first. */
  focusFirstField(): void {
    this.expand();
    const field = this.body.querySelector<HTMLElement>('[data-param], [data-field]');
    (field ?? this.body.querySelector<HTMLElement>('vscode-button, button'))?.focus();
  }

  focusIdField(): void {
    this.expand();
    this.body.querySelector<HTMLElement>('[data-field="id"]')?.focus();
  }

  render(data: InspectorData): void {
    this.data = data;
    const sel = data.selection.filter((id) => data.model.nodes.some((n) => n.id === id));
    const node = sel.length === 1 ? data.model.nodes.find((n) => n.id === sel[0]) : undefined;
    const key = node ? `node:${node.id}:${node.type}:${data.readOnly}` : sel.length > 1 ? `multi:${sel.join(',')}` : 'model';
    if (key === this.builtFor && node) {
      this.updateNodeForm(node);
      return;
    }
    this.builtFor = key;
    this.toggleDetail.textContent = node ? `${node.id} · ${node.type}` : sel.length > 1 ? `${sel.length} layers selected` : 'Model overview';
    clear(this.body);
    if (node) this.buildNodeForm(node);
    else if (sel.length > 1) this.buildMulti(sel);
    else this.buildOverview();
  }

  /* ---------------------------------------------------------------------------------------------- */

  private buildOverview(): void {
    const data = this.data!;
    const t = data.totals;
    this.body.append(h('div', { class: 'panel-title' }, 'Model'), h('h2', { class: 'inspector-heading' }, data.model.name || 'Untitled model'));
    if (data.model.description) this.body.append(h('p', { class: 'muted' }, data.model.description));
    if (t) {
      this.body.append(
        statsTable([
          ['Layers', formatCount(data.model.nodes.length)],
          ['Parameters', formatCount(t.params)],
          ['Trainable', formatCount(t.trainableParams)],
          ['Non-trainable', formatCount(t.nonTrainableParams)],
          ['Multiply-adds', formatCompact(t.flops)],
          ['Activations', formatBytes(t.activationBytes)],
          ['Optimizer', `${data.model.compile.optimizer}, lr ${data.model.compile.learningRate}`],
          ['Loss', data.model.compile.loss],
        ]),
      );
    }
    const problems = data.diagnostics;
    this.body.append(h('div', { class: 'section-title' }, problems.length ? `Problems (${problems.length})` : 'Problems'));
    if (!problems.length) this.body.append(h('p', { class: 'ok-line' }, h('span', { class: 'ok-icon', 'aria-hidden': 'true' }, '✓'), ' No problems found.'));
    else this.body.append(this.problemList(problems, true));
    this.body.append(h('p', { class: 'muted hint' }, 'Select a layer to edit it. Press A to add a layer, ? for all shortcuts.'));
  }

  private buildMulti(ids: readonly string[]): void {
    const data = this.data!;
    const params = ids.reduce((sum, id) => sum + (data.nodeAnalysis.get(id)?.params ?? 0), 0);
    const del = h('vscode-button', { appearance: 'secondary', 'data-action': 'delete' }, 'Delete');
    const dup = h('vscode-button', { appearance: 'secondary', 'data-action': 'duplicate' }, 'Duplicate');
    del.addEventListener('click', () => this.callbacks.deleteSelection());
    dup.addEventListener('click', () => this.callbacks.duplicateSelection());
    this.body.append(
      h('div', { class: 'panel-title' }, 'Selection'),
      h('h2', { class: 'inspector-heading' }, `${ids.length} layers selected`),
      statsTable([['Parameters', formatCount(params)]]),
    );
    if (!data.readOnly) {
      // One button that freezes the whole selection, or unfreezes it when every layer in it is frozen.
      const layers = ids.filter((id) => data.model.nodes.find((n) => n.id === id)?.type !== 'Input');
      const allFrozen = layers.length > 0 && layers.every((id) => data.model.nodes.find((n) => n.id === id)?.trainable === false);
      const freeze = h(
        'vscode-button',
        { appearance: 'secondary', 'data-action': allFrozen ? 'unfreeze' : 'freeze', title: FREEZE_HELP, disabled: layers.length === 0 },
        allFrozen ? 'Unfreeze' : 'Freeze',
      );
      freeze.addEventListener('click', () => this.callbacks.edit({ kind: 'setTrainable', ids: layers, trainable: allFrozen }));
      this.body.append(h('div', { class: 'button-row' }, freeze, dup, del));
    }
    this.body.append(h('p', { class: 'muted hint' }, ids.join(', ')));
  }

  private buildNodeForm(node: ModelNode): void {
    const data = this.data!;
    const spec = getLayerSpec(node.type);
    const header = h(
      'div',
      { class: `inspector-header ${categoryClass(spec?.category ?? 'unknown')}` },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      h(
        'div',
        {},
        h('h2', { class: 'inspector-heading' }, node.type),
        h('div', { class: 'muted' }, spec ? CATEGORY_LABELS[spec.category] : 'Unknown layer type'),
        h('div', { class: 'header-stats' }),
      ),
    );
    this.body.append(h('div', { class: 'panel-title' }, 'Layer'), header);
    if (spec) this.body.append(h('p', { class: 'muted description' }, spec.description));

    // id
    const idField = h('vscode-text-field', { 'data-field': 'id', value: node.id, readonly: data.readOnly }, 'Id') as FieldElement;
    const idError = h('p', { class: 'field-error', role: 'alert', hidden: true });
    idField.addEventListener('input', () => {
      const msg = this.idProblem(node.id, idField.value);
      showError(idField, idError, msg);
    });
    idField.addEventListener('change', () => {
      const newId = idField.value.trim();
      if (newId === node.id) return;
      const msg = this.idProblem(node.id, newId);
      showError(idField, idError, msg);
      if (!msg) this.callbacks.edit({ kind: 'renameNode', id: node.id, newId });
    });
    this.body.append(h('div', { class: 'field' }, idField, idError));
    if (node.type !== 'Input') this.body.append(this.freezeField(node));
    // Problems come first: they are what needs doing (and carry the quick fixes).
    this.body.append(h('div', { class: 'node-problems' }));

    if (spec) {
      const names = Object.keys(spec.params);
      if (names.length) this.body.append(h('div', { class: 'section-title' }, 'Parameters'));
      for (const name of names) this.body.append(this.paramField(node, spec, name, spec.params[name]!));
      if (!data.readOnly && names.length) {
        const reset = h('vscode-button', { appearance: 'secondary', 'data-action': 'reset', title: 'Remove every parameter from the file, so the defaults apply' }, 'Reset to defaults');
        reset.addEventListener('click', () => this.callbacks.edit({ kind: 'setParams', id: node.id, params: {} }));
        this.body.append(h('div', { class: 'button-row reset-row' }, reset));
      }
    }

    this.body.append(h('div', { class: 'section-title' }, 'Shapes and cost'), h('div', { class: 'node-stats' }));
    if (!data.readOnly) {
      const dup = h('vscode-button', { appearance: 'secondary', 'data-action': 'duplicate' }, 'Duplicate');
      const del = h('vscode-button', { appearance: 'secondary', 'data-action': 'delete' }, 'Delete layer');
      dup.addEventListener('click', () => this.callbacks.duplicateSelection());
      del.addEventListener('click', () => this.callbacks.deleteSelection());
      this.body.append(h('div', { class: 'button-row bottom' }, dup, del));
    }
    this.updateNodeForm(node);
  }

  /** "Frozen": the layer keeps its weights while training (transfer learning); one edit of `trainable`. */
  private freezeField(node: ModelNode): HTMLElement {
    const box = h('vscode-checkbox', { 'data-field': 'trainable', disabled: this.data!.readOnly }, 'Frozen') as FieldElement;
    box.addEventListener('change', () => {
      const frozen = Boolean(box.checked);
      if ((this.currentSnapshotNode(node.id)?.trainable === false) === frozen) return;
      this.callbacks.edit({ kind: 'setTrainable', ids: [node.id], trainable: !frozen });
    });
    const help = h('p', { class: 'help' }, FREEZE_HELP);
    return h('div', { class: 'field field-bool' }, box, help);
  }

  private idProblem(oldId: string, newId: string): string | null {
    const id = newId.trim();
    if (id === oldId) return null;
    if (!isValidNodeId(id)) return `An id must ${NODE_ID_RULE}.`;
    if (this.data!.model.nodes.some((n) => n.id === id)) return `“${id}” is already used by another layer.`;
    return null;
  }

  private paramField(node: ModelNode, spec: LayerSpec, name: string, ps: ParamSpec): HTMLElement {
    const readOnly = this.data!.readOnly;
    const help = h('p', { class: 'help' }, ps.help);
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const current = (): ParamValue => paramOrDefault(spec, this.currentNode(node.id)?.params ?? {}, name);
    const commit = (value: ParamValue): void => {
      const live = this.currentSnapshotNode(node.id);
      if (!live) return;
      // A value equal to the default is removed from the file, so the file keeps only what differs.
      const stored = sameParamValue(ps.default as ParamValue, value) ? undefined : value;
      const has = Object.prototype.hasOwnProperty.call(live.params, name);
      if (stored === undefined ? !has : has && sameParamValue(live.params[name], stored)) {
        this.callbacks.preview(null); // nothing changes
        return;
      }
      const key = `${node.id}|${JSON.stringify(stored ?? null)}`;
      if (this.sentFor.get(name) === key && this.sentModel === this.data!.snapshotModel) return; // already on its way
      this.sentFor.set(name, key);
      this.sentModel = this.data!.snapshotModel;
      // The preview stays until the snapshot with this edit arrives, so the graph does not flicker back.
      this.callbacks.edit({ kind: 'setParam', id: node.id, param: name, value: stored });
    };

    let control: FieldElement;
    if (ps.kind === 'bool') {
      control = h('vscode-checkbox', { 'data-param': name, disabled: readOnly }, labelFor(name)) as FieldElement;
      control.addEventListener('change', () => commit(Boolean(control.checked)));
      return h('div', { class: 'field field-bool' }, control, help);
    }
    if (ps.kind === 'enum') {
      control = h('vscode-dropdown', { 'data-param': name, disabled: readOnly, position: 'below' }) as FieldElement;
      for (const v of ps.values) control.append(h('vscode-option', { value: v }, v === ps.default ? `${v} (default)` : v));
      control.addEventListener('change', () => commit(control.value));
      return h('div', { class: 'field' }, h('label', { class: 'field-label' }, labelFor(name)), control, help);
    }
    control = h('vscode-text-field', { 'data-param': name, placeholder: rangeHint(ps), readonly: readOnly }, labelFor(name)) as FieldElement;
    control.addEventListener('input', () => {
      const parsed = parseParamText(ps, control.value);
      showError(control, error, parsed.ok ? null : parsed.message);
      this.callbacks.preview(parsed.ok ? { kind: 'setParam', id: node.id, param: name, value: parsed.value } : null);
    });
    const commitText = (): void => {
      const parsed = parseParamText(ps, control.value);
      showError(control, error, parsed.ok ? null : parsed.message);
      if (parsed.ok) commit(parsed.value);
      else this.callbacks.preview(null);
    };
    // Enter commits right away; leaving the field (change) commits too. Sending the same value twice
    // before the snapshot arrives is prevented in commit().
    control.addEventListener('change', commitText);
    control.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') commitText();
      else if (e.key === 'Escape') {
        control.value = paramToText(ps, current());
        showError(control, error, null);
        this.callbacks.preview(null);
      }
    });
    return h('div', { class: 'field' }, control, error, help);
  }

  private currentNode(id: string): ModelNode | undefined {
    return this.data?.model.nodes.find((n) => n.id === id);
  }

  /** The node as the document has it (without a value being previewed). */
  private currentSnapshotNode(id: string): ModelNode | undefined {
    return this.data?.snapshotModel.nodes.find((n) => n.id === id);
  }

  /** Puts the snapshot's values into the fields, except a field being typed in that already means the same. */
  private updateNodeForm(node: ModelNode): void {
    const data = this.data!;
    const spec = getLayerSpec(node.type);
    if (spec) {
      for (const field of this.body.querySelectorAll<FieldElement>('[data-param]')) {
        const name = field.dataset.param!;
        const ps = spec.params[name];
        if (!ps) continue;
        const value = paramOrDefault(spec, node.params, name);
        if (ps.kind === 'bool') field.checked = value === true;
        else if (ps.kind === 'enum') field.value = String(value);
        else if (!field.matches(':focus-within')) {
          // Never under the user's cursor; a refused text left behind is replaced by the real value.
          field.value = paramToText(ps, value);
          const error = field.parentElement?.querySelector<HTMLElement>('.field-error');
          if (error) showError(field, error, null);
        }
        field.classList.toggle('is-default', !Object.prototype.hasOwnProperty.call(node.params, name));
      }
    }
    const idField = this.body.querySelector<FieldElement>('[data-field="id"]');
    if (idField && !idField.matches(':focus-within')) idField.value = node.id;
    const freezeBox = this.body.querySelector<FieldElement>('[data-field="trainable"]');
    if (freezeBox) freezeBox.checked = node.trainable === false;

    const a = data.nodeAnalysis.get(node.id);
    const headerStats = this.body.querySelector('.header-stats');
    if (headerStats) headerStats.textContent = a ? `→ ${formatShape(a.outputShape)} · ${formatCount(a.params)} params` : '';
    const resetRow = this.body.querySelector<HTMLElement>('.reset-row');
    if (resetRow) resetRow.hidden = Object.keys(node.params).length === 0;
    const stats = this.body.querySelector('.node-stats');
    if (stats) {
      clear(stats);
      stats.append(
        a
          ? statsTable([
              ['Output', formatShape(a.outputShape)],
              ['Input', a.inputShapes.length ? a.inputShapes.map(formatShape).join(' + ') : '—'],
              ...(node.inputs.length > 1 ? [['Inputs from', node.inputs.join(', ')] as const] : []),
              ['Parameters', a.nonTrainableParams ? `${formatCount(a.params)} (${formatCount(a.nonTrainableParams)} non-trainable)` : formatCount(a.params)],
              ['Multiply-adds', formatCompact(a.flops)],
              ['Activation memory', formatBytes(a.activationBytes)],
            ])
          : h('p', { class: 'muted' }, 'Not analysed: fix the problems below first.'),
      );
    }
    const problemsEl = this.body.querySelector('.node-problems');
    if (problemsEl) {
      clear(problemsEl);
      const mine = data.diagnostics.filter((d) => d.nodeId === node.id);
      if (mine.length) problemsEl.append(h('div', { class: 'section-title' }, `Problems (${mine.length})`), this.problemList(mine, false));
    }
  }

  private problemList(problems: readonly Diagnostic[], withGoTo: boolean): HTMLElement {
    const list = h('ul', { class: 'problem-list' });
    for (const p of problems) {
      const icon = h('span', { class: `sev-icon sev-${p.severity}`, 'aria-label': p.severity }, p.severity === 'info' ? 'i' : '!');
      const item = h('li', { class: `problem sev-${p.severity}` }, icon, h('div', { class: 'problem-text' }, h('span', {}, p.message)));
      const actions = h('div', { class: 'problem-actions' });
      if (withGoTo && p.nodeId) {
        const go = h('vscode-button', { appearance: 'secondary', 'data-action': 'go-to' }, `Show ${p.nodeId}`);
        const id = p.nodeId;
        go.addEventListener('click', () => this.callbacks.select(id));
        actions.append(go);
      }
      if (!this.data!.readOnly) {
        for (const fix of p.fixes ?? []) {
          const b = h('vscode-button', { appearance: 'primary', 'data-action': 'quick-fix' }, fix.title);
          b.addEventListener('click', () => this.callbacks.applyFix(fix));
          actions.append(b);
        }
      }
      if (actions.childElementCount) item.querySelector('.problem-text')!.append(actions);
      list.append(item);
    }
    return list;
  }
}

const FREEZE_HELP = 'A frozen layer keeps its weights while training (transfer learning: freeze a pretrained base, train a new head). A frozen BatchNormalization uses its stored statistics.';

function labelFor(name: string): string {
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function showError(field: HTMLElement, errorEl: HTMLElement, message: string | null): void {
  errorEl.textContent = message ?? '';
  errorEl.hidden = message === null;
  field.classList.toggle('invalid', message !== null);
  if (message === null) field.removeAttribute('aria-invalid');
  else field.setAttribute('aria-invalid', 'true');
}

function statsTable(rows: readonly (readonly [string, string])[]): HTMLElement {
  const dl = h('dl', { class: 'stats' });
  for (const [k, v] of rows) dl.append(h('dt', {}, k), h('dd', {}, v));
  return dl;
}
