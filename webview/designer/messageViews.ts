/**
 * Whole-page states that are not a graph: a document that is not a valid model (with the parser's
 * message, the lines around the error and "Open as Text"), and an empty model.
 */
import type { SnapshotMessage } from '../../src/protocol/designer';
import { templateDetail, TEMPLATES } from '../../src/core/templates';
import { h } from '../common/dom';

export function invalidDocumentView(snapshot: SnapshotMessage, onOpenAsText: () => void): HTMLElement {
  const content = snapshot.content;
  if (content.kind !== 'invalid') throw new Error('invalidDocumentView needs an invalid snapshot');
  const button = h('vscode-button', { appearance: 'primary', 'data-action': 'open-as-text' }, 'Open as Text');
  button.addEventListener('click', onOpenAsText);
  const view = h(
    'section',
    { class: 'message-view invalid-view', role: 'alert', 'aria-labelledby': 'invalid-title' },
    h('div', { class: 'message-icon sev-error', 'aria-hidden': 'true' }, '!'),
    h('h1', { id: 'invalid-title' }, 'This file cannot be shown as a model'),
    h('p', { class: 'invalid-message' }, content.message),
  );
  const others = content.diagnostics.filter((d) => d.message !== content.message).slice(0, 5);
  if (others.length) view.append(h('ul', { class: 'invalid-more' }, ...others.map((d) => h('li', {}, d.message))));
  if (content.line !== undefined) view.append(excerpt(snapshot.text, content.line, content.column));
  view.append(
    h('div', { class: 'button-row' }, button),
    h('p', { class: 'muted' }, 'The designer shows the model again as soon as the text is valid. Nothing is changed until then.'),
  );
  return view;
}

function excerpt(text: string, line: number, column: number | undefined): HTMLElement {
  const lines = text.split('\n');
  const from = Math.max(1, line - 3);
  const to = Math.min(lines.length, line + 2);
  const pre = h('pre', { class: 'code-excerpt', 'aria-label': `Lines ${from} to ${to} of the file` });
  for (let n = from; n <= to; n++) {
    const row = h('div', { class: n === line ? 'code-line error-line' : 'code-line' }, h('span', { class: 'line-no' }, String(n)), h('span', {}, lines[n - 1] ?? ''));
    pre.append(row);
    if (n === line && column !== undefined) {
      pre.append(h('div', { class: 'code-line caret-line', 'aria-hidden': 'true' }, h('span', { class: 'line-no' }, ''), h('span', {}, `${' '.repeat(Math.max(0, column - 1))}^`)));
    }
  }
  return pre;
}

export interface EmptyModelActions {
  addInput(): void;
  openPicker(): void;
  useTemplate(id: string): void;
}

export function emptyModelView(actions: EmptyModelActions, readOnly: boolean): HTMLElement {
  const templates = h('div', { class: 'template-list', role: 'list', 'aria-label': 'Templates' });
  for (const t of TEMPLATES) {
    const use = h('vscode-button', { appearance: 'secondary', 'data-action': `template:${t.id}`, 'aria-label': `Start from ${t.title}` }, 'Use');
    use.addEventListener('click', () => actions.useTemplate(t.id));
    templates.append(
      h('div', { class: 'template-item', role: 'listitem' }, h('div', { class: 'template-text' }, h('strong', {}, t.title), h('span', { class: 'muted' }, templateDetail(t))), use),
    );
  }
  const add = h('vscode-button', { appearance: 'primary', 'data-action': 'add-input' }, 'Add an Input layer');
  const pick = h('vscode-button', { appearance: 'secondary', 'data-action': 'add-layer' }, 'Add Layer…');
  add.addEventListener('click', actions.addInput);
  pick.addEventListener('click', actions.openPicker);
  return h(
    'section',
    { class: 'message-view empty-view', 'aria-labelledby': 'empty-title' },
    h('h1', { id: 'empty-title' }, 'This model has no layers yet'),
    h(
      'p',
      {},
      'Start with an Input layer for your images, then add layers with Add Layer… (A)',
      // The palette is not shown in narrower editors (designer.css): say so only when it is there.
      h('span', { class: 'palette-mention' }, ' or from the palette on the left (drag them here or double-click)'),
      '.',
    ),
    readOnly ? h('p', { class: 'muted' }, 'The file is read-only.') : h('div', { class: 'button-row' }, add, pick),
    readOnly ? null : h('h2', { class: 'template-heading' }, 'Or start from a template'),
    readOnly ? null : templates,
  );
}
