/**
 * Edits of a model as typed change objects. The designer webview sends these; the extension host turns
 * each into one minimal WorkspaceEdit of the document's JSON text, so it becomes exactly one step on
 * VS Code's undo stack. Selection, hover and zoom are view state and never become edits.
 */
import type { CompileSettings, DatasetReference, LayerParams, ModelNode, NodePosition, ParamValue, TrainingSettings } from './format';

/** Add a node. With `insertOnEdge`, the node goes between `from` and `to`: its input is `from`, and `to` now reads from it. */
export interface AddNodeEdit { kind: 'addNode'; node: ModelNode; insertOnEdge?: { from: string; to: string } }
/** Add several nodes at once (paste, duplicate); their ids must be new. */
export interface AddNodesEdit { kind: 'addNodes'; nodes: ModelNode[] }
/**
 * Remove nodes. A removed node with exactly one input is bridged: its consumers read from that input
 * instead, so deleting a layer from a chain keeps the chain connected.
 */
export interface RemoveNodesEdit { kind: 'removeNodes'; ids: string[] }
/** Set a param; `undefined` removes it from the file so the catalogue default applies. */
export interface SetParamEdit { kind: 'setParam'; id: string; param: string; value: ParamValue | undefined }
/** Replace all params of a node at once (the inspector's "reset to defaults"). */
export interface SetParamsEdit { kind: 'setParams'; id: string; params: LayerParams }
/** Make `to` read from `from`: appended to its inputs, or at `index` when given. */
export interface ConnectEdit { kind: 'connect'; from: string; to: string; index?: number }
export interface DisconnectEdit { kind: 'disconnect'; from: string; to: string }
export interface MoveNodesEdit { kind: 'moveNodes'; positions: Record<string, NodePosition> }
/** Freeze (`trainable: false`) or unfreeze layers; one edit for a whole selection. */
export interface SetTrainableEdit { kind: 'setTrainable'; ids: string[]; trainable: boolean }
/** Rename a node id; every input reference to it follows. */
export interface RenameNodeEdit { kind: 'renameNode'; id: string; newId: string }
/**
 * Change compile settings: the given fields replace the model's, the others stay. The merged settings
 * must pass the model schema's rules for `compile`, or the edit is refused when it is made (not on the
 * next parse).
 */
export interface SetCompileSettingsEdit { kind: 'setCompileSettings'; settings: Partial<CompileSettings> }
/** Change training settings the same way (a nested group such as `earlyStopping` is given whole). */
export interface SetTrainingSettingsEdit { kind: 'setTrainingSettings'; settings: Partial<TrainingSettings> }
/** Set the dataset the model trains on, or remove it with `null`. */
export interface SetDatasetEdit { kind: 'setDataset'; dataset: DatasetReference | null }
export interface SetNameEdit { kind: 'setName'; name: string }
/** Several edits applied as one undo step. */
export interface BatchEdit { kind: 'batch'; label: string; edits: ModelEdit[] }

export type ModelEdit =
  | AddNodeEdit
  | AddNodesEdit
  | RemoveNodesEdit
  | SetParamEdit
  | SetParamsEdit
  | ConnectEdit
  | DisconnectEdit
  | MoveNodesEdit
  | SetTrainableEdit
  | RenameNodeEdit
  | SetCompileSettingsEdit
  | SetTrainingSettingsEdit
  | SetDatasetEdit
  | SetNameEdit
  | BatchEdit;

/** The edits that change model-level settings (everything but the graph and the name). */
export type SettingsEdit = SetCompileSettingsEdit | SetTrainingSettingsEdit | SetDatasetEdit;

export type ModelEditKind = ModelEdit['kind'];
