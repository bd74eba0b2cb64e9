/**
 * Turns the user's gestures (palette click, drop, drag-to-connect, quick fix, Delete, duplicate, paste,
 * the layer picker, a template) into `ModelEdit`s for the edit channel, with the layers to select once
 * the host has applied them. Reads the current view; changes nothing itself.
 */
import { getLayerSpec } from '../../src/core/catalogue';
import type { QuickFix } from '../../src/core/diagnostics';
import type { ModelNode } from '../../src/core/format';
import type { ModelEdit } from '../../src/core/modelEdit';
import { createModelFromTemplate } from '../../src/core/templates';
import type { DropTarget } from './canvas';
import type { DesignerView } from './derive';
import { addLayerEdit, connectEdit, copiesOf, insertAfterEdit, newNode, quickFixEdit } from './editBuilders';
import { edgeKey } from './graph';
import { neighbourInDirection } from './keyboardNav';
import type { LayerQuickPick } from './quickPick';
import type { Selection } from './selection';

export type PickerPlace = { kind: 'after'; id: string | null } | { kind: 'edge'; from: string; to: string };

export interface EditActionsContext {
  view(): DesignerView | null;
  readOnly(): boolean;
  readonly selection: Selection;
  readonly quickPick: LayerQuickPick;
  send(edit: ModelEdit, selectAfter?: string[]): void;
  toast(message: string): void;
}

export class EditActions {
  constructor(private readonly c: EditActionsContext) {}

  addLayer(type: string): void {
    const d = this.c.view();
    if (!d) return;
    const edit = addLayerEdit(d.model, d.graph, type, this.c.selection.anchor);
    this.c.send(edit, idsOf(addedId(edit)));
  }

  /** Fills an empty model with a template's layers and compile settings (training and dataset stay the user's). */
  useTemplate(id: string): void {
    const d = this.c.view();
    if (!d || d.model.nodes.length) return;
    const template = createModelFromTemplate(id);
    this.c.send(
      {
        kind: 'batch',
        label: `Start from template ${id}`,
        edits: [
          { kind: 'addNodes', nodes: template.nodes },
          { kind: 'setCompileSettings', settings: template.compile },
        ],
      },
      [],
    );
  }

  dropLayer(type: string, target: DropTarget): void {
    const d = this.c.view();
    const spec = getLayerSpec(type);
    if (!d || !spec) return;
    const standalone = spec.maxInputs === 0;
    let edit: ModelEdit;
    if (target.kind === 'edge' && !standalone) edit = { kind: 'addNode', node: newNode(d.model, type, []), insertOnEdge: { from: target.from, to: target.to } };
    else if (target.kind === 'node' && !standalone) edit = insertAfterEdit(d.model, d.graph, target.id, type);
    else edit = { kind: 'addNode', node: newNode(d.model, type, [], {}, target.kind === 'canvas' ? target.at : undefined) };
    this.c.send(edit, idsOf(addedId(edit)));
  }

  connect(from: string, to: string): void {
    const d = this.c.view();
    if (!d) return;
    const edit = connectEdit(d.graph, from, to);
    if (typeof edit === 'string') this.c.toast(edit);
    else this.c.send(edit);
  }

  applyFix(fix: QuickFix): void {
    const d = this.c.view();
    if (!d) return;
    const edit = quickFixEdit(d.model, d.graph, fix);
    if (!edit) {
      this.c.toast(`The fix “${fix.title}” no longer applies to this model.`);
      return;
    }
    const added = addedId(edit);
    this.c.send(edit, added ? [added] : undefined);
  }

  deleteSelection(): void {
    const d = this.c.view();
    if (!d) return;
    const sel = this.c.selection;
    if (sel.edge) {
      const e = d.graph.edges.find((x) => edgeKey(x.from, x.to) === sel.edge);
      if (e) this.c.send({ kind: 'disconnect', from: e.from, to: e.to });
      sel.edge = null;
      return;
    }
    const ids = [...sel.ids].filter((id) => d.graph.byId.has(id));
    if (!ids.length) return;
    // Keep the keyboard user in the graph: focus moves to the deleted layer's producer (or consumer).
    const anchor = ids[0]!;
    const next = neighbourInDirection(d.graph, d.layout, anchor, 'up') ?? neighbourInDirection(d.graph, d.layout, anchor, 'down');
    this.c.send({ kind: 'removeNodes', ids }, next && !ids.includes(next) ? [next] : []);
  }

  duplicateSelection(): void {
    const d = this.c.view();
    if (!d) return;
    this.addCopies(d.model.nodes.filter((n) => this.c.selection.ids.has(n.id)));
  }

  /** Pasted or duplicated layers: new ids, offset so they do not hide the originals, then selected. */
  addCopies(nodes: readonly ModelNode[]): void {
    const d = this.c.view();
    if (!d || !nodes.length) return;
    const copies = copiesOf(d.model, nodes, { x: 40, y: 40 });
    this.c.send({ kind: 'addNodes', nodes: copies }, copies.map((c) => c.id));
  }

  openPicker(where: PickerPlace): void {
    const d = this.c.view();
    if (!d || this.c.readOnly()) return;
    const title =
      where.kind === 'edge'
        ? `Insert a layer between ${where.from} and ${where.to}`
        : where.id && d.graph.byId.has(where.id)
          ? `Add a layer after ${where.id}`
          : d.model.nodes.length
            ? 'Add a layer at the end of the model'
            : 'Add the first layer';
    this.c.quickPick.open(title, (type) => {
      const now = this.c.view();
      if (!now) return;
      let edit: ModelEdit;
      if (where.kind === 'edge' && getLayerSpec(type)?.maxInputs !== 0) {
        edit = { kind: 'addNode', node: newNode(now.model, type, []), insertOnEdge: { from: where.from, to: where.to } };
      } else edit = addLayerEdit(now.model, now.graph, type, where.kind === 'after' ? where.id : null);
      this.c.send(edit, idsOf(addedId(edit)));
    });
  }
}

function addedId(edit: ModelEdit): string | null {
  if (edit.kind === 'addNode') return edit.node.id;
  if (edit.kind === 'batch') {
    for (const e of edit.edits) {
      const id = addedId(e);
      if (id) return id;
    }
  }
  return null;
}

function idsOf(id: string | null): string[] {
  return id === null ? [] : [id];
}
