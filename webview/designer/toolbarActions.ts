/**
 * Which actions the toolbar offers for a snapshot: adding and zooming only when there is a model (and
 * a graph), undo/redo and adding only when it can be edited, the host's commands (train, …) as given.
 */
import type { DesignerToHost, SnapshotMessage } from '../../src/protocol/designer';
import type { ToolbarAction } from './toolbar';

/** Short faces for the codicons host commands name (codicons themselves are not bundled). */
const CODICON_GLYPHS: Readonly<Record<string, string>> = { play: '▶', 'debug-start': '▶', 'run-all': '▶', 'debug-stop': '■', refresh: '↻' };

export interface ToolbarHandlers {
  openPicker(): void;
  zoomBy(factor: number): void;
  fitToView(): void;
  post(message: DesignerToHost): void;
  openAsText(): void;
  toggleShortcuts(): void;
}

export function designerToolbarActions(snap: SnapshotMessage, run: ToolbarHandlers): ToolbarAction[] {
  const readOnly = snap.readOnly === true;
  const actions: ToolbarAction[] = [];
  // overflowRank: what moves into the ⋯ menu first when the editor is very narrow (lowest first).
  const add = (group: string, overflowRank: number, action: string, label: string, title: string, text: string, short: string | undefined, handler: () => void): void => {
    actions.push({ group, overflowRank, action, label, title, text, ...(short !== undefined ? { short } : {}), run: handler });
  };
  if (snap.content.kind === 'model') {
    if (!readOnly) add('add', 90, 'add-layer', 'Add Layer…', 'Add a layer after the selection (A)', '+ Add Layer…', '+ Add', () => run.openPicker());
    if (snap.content.model.nodes.length) {
      add('view', 30, 'zoom-out', 'Zoom out', 'Zoom out (-)', '−', undefined, () => run.zoomBy(1 / 1.25));
      add('view', 40, 'zoom-in', 'Zoom in', 'Zoom in (+)', '+', undefined, () => run.zoomBy(1.25));
      add('view', 60, 'fit', 'Fit to view', 'Fit the whole model in view (F)', 'Fit', undefined, () => run.fitToView());
    }
    if (!readOnly) {
      add('history', 70, 'undo', 'Undo', 'Undo (Ctrl+Z)', '↶', undefined, () => run.post({ type: 'undo', documentUri: snap.documentUri }));
      add('history', 50, 'redo', 'Redo', 'Redo (Ctrl+Y)', '↷', undefined, () => run.post({ type: 'redo', documentUri: snap.documentUri }));
    }
    for (const c of snap.commands ?? []) {
      const glyph = c.icon ? CODICON_GLYPHS[c.icon] : undefined;
      add('commands', 80, `command:${c.id}`, c.title, c.title, c.title, glyph, () => run.post({ type: 'runCommand', documentUri: snap.documentUri, command: c.id }));
    }
  }
  add('text', 20, 'open-as-text-toolbar', 'Open as Text', 'Open the JSON in the text editor', 'Open as Text', '{ }', () => run.openAsText());
  add('text', 10, 'shortcuts', 'Keyboard shortcuts', 'Keyboard shortcuts (?)', '?', undefined, () => run.toggleShortcuts());
  return actions;
}

/** The toolbar's title: the model's name, or why there is none. */
export function toolbarTitle(snap: SnapshotMessage): string {
  return snap.content.kind === 'model' ? snap.content.model.name || 'Untitled model' : 'Invalid model file';
}
