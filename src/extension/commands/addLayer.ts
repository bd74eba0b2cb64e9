/**
 * "Add Layer…": pick a layer type from the catalogue and the layer it should follow; it is inserted
 * into the model document as one edit (one undo step), which every open designer then shows.
 */
import * as vscode from 'vscode';
import { CATEGORY_ORDER, LAYER_CATALOGUE, type LayerSpec } from '../../core/catalogue';
import { ModelGraph } from '../../core/graph';
import { parseModelText } from '../../core/loader';
import type { ModelEdit } from '../../core/modelEdit';
import type { DesignerEditorProvider } from '../editor/designerEditorProvider';
import { applyModelEditToDocument } from '../model/documentEdit';
import { resolveModelUri } from '../model/modelResolver';
import { insertLayerAfterEdit } from '../../core/quickFixEdit';
import { UserFacingError } from '../userFacingError';

/** Optional arguments (the sidebar's palette and tests pass them to skip the pickers). */
export interface AddLayerArgs {
  readonly uri?: vscode.Uri;
  readonly layerType?: string;
  readonly afterNodeId?: string;
}

export async function addLayer(arg: unknown, designers: DesignerEditorProvider): Promise<string | undefined> {
  const args: AddLayerArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as AddLayerArgs) : {};
  const uri = resolveModelUri(args.uri ?? arg, designers);
  const document = await vscode.workspace.openTextDocument(uri);
  const { model } = parseModelText(document.getText());
  if (!model) throw new UserFacingError('Layers can only be added to a model that loads: fix the problems shown in the Problems panel first.');
  const layerType = args.layerType ?? (await pickLayerType());
  if (!layerType) return undefined;
  if (!LAYER_CATALOGUE.has(layerType)) throw new UserFacingError(`"${layerType}" is not a layer type CNN Studio knows.`);
  const afterNodeId = args.afterNodeId ?? (await pickPredecessor(model.nodes.map((n) => n.id), new ModelGraph(model.nodes).sinks()));
  if (!afterNodeId) return undefined;
  const edit = insertLayerAfterEdit(model, afterNodeId, layerType);
  await applyModelEditToDocument(document, edit);
  return addedNodeId(edit);
}

async function pickLayerType(): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { type?: string })[] = [];
  for (const category of CATEGORY_ORDER) {
    const specs: LayerSpec[] = [...LAYER_CATALOGUE.values()].filter((s) => s.category === category && s.type !== 'Input');
    if (specs.length === 0) continue;
    items.push({ label: category, kind: vscode.QuickPickItemKind.Separator });
    for (const s of specs) items.push({ label: s.type, description: s.kerasName !== s.type ? s.kerasName : undefined, detail: s.description, type: s.type });
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Add Layer', placeHolder: 'Layer type', matchOnDetail: true });
  return picked?.type;
}

async function pickPredecessor(ids: readonly string[], outputs: readonly string[]): Promise<string | undefined> {
  if (ids.length === 0) throw new UserFacingError('The model has no layers yet: add an Input layer in the designer first.');
  // Most layers are added before the output layer, so the node feeding an output comes first.
  const picked = await vscode.window.showQuickPick(
    ids.map((id) => ({ label: id, description: outputs.includes(id) ? 'output' : undefined })).reverse(),
    { title: 'Add Layer', placeHolder: 'Insert after which layer?' },
  );
  return picked?.label;
}

/** The id of the layer an insert edit adds (a lone add, or the first add of a rewiring batch). */
function addedNodeId(edit: ModelEdit): string | undefined {
  if (edit.kind === 'addNode') return edit.node.id;
  if (edit.kind === 'batch') return edit.edits.map(addedNodeId).find((id) => id !== undefined);
  return undefined;
}
