/**
 * Edits of a model as typed change objects. The designer webview sends these; the extension host turns
 * each into one minimal WorkspaceEdit of the document's JSON text, so it becomes exactly one step on
 * VS Code's undo stack. Selection, hover and zoom are view state and never become edits.
 */
import type { LayerParams, ModelNode, NodePosition, ParamValue } from './format';

export type ModelEdit =
  /** Add a node. With `insertOnEdge`, the node goes between `from` and `to`: its input is `from`, and `to` now reads from it. */
  | { kind: 'addNode'; node: ModelNode; insertOnEdge?: { from: string; to: string } }
  /** Add several nodes at once (paste, duplicate); their ids must be new. */
  | { kind: 'addNodes'; nodes: ModelNode[] }
  /**
   * Remove nodes. A removed node with exactly one input is bridged: its consumers read from that input
   * instead, so deleting a layer from a chain keeps the chain connected.
   */
  | { kind: 'removeNodes'; ids: string[] }
  /** Set a param; `undefined` removes it from the file so the catalogue default applies. */
  | { kind: 'setParam'; id: string; param: string; value: ParamValue | undefined }
  /** Replace all params of a node at once (the inspector's "reset to defaults"). */
  | { kind: 'setParams'; id: string; params: LayerParams }
  /** Make `to` read from `from`: appended to its inputs, or at `index` when given. */
  | { kind: 'connect'; from: string; to: string; index?: number }
  | { kind: 'disconnect'; from: string; to: string }
  | { kind: 'moveNodes'; positions: Record<string, NodePosition> }
  /** Freeze (`trainable: false`) or unfreeze layers; one edit for a whole selection. */
  | { kind: 'setTrainable'; ids: string[]; trainable: boolean }
  /** Rename a node id; every input reference to it follows. */
  | { kind: 'renameNode'; id: string; newId: string }
  /** Change a model-level setting, e.g. `['training', 'epochs']` or `['compile', 'learningRate']`. */
  | { kind: 'setSetting'; path: readonly string[]; value: unknown }
  | { kind: 'setName'; name: string }
  /** Several edits applied as one undo step. */
  | { kind: 'batch'; label: string; edits: ModelEdit[] };

export type ModelEditKind = ModelEdit['kind'];
