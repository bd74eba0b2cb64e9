/**
 * Messages between the model designer webview (`webview/designer/`) and the extension host's custom
 * text editor for `*.cnn.json`.
 *
 * The text document owns the model; the webview is a view. The host parses the document and sends a
 * `snapshot` (on `ready`, on `requestSnapshot` and after every change of the document, including
 * undo/redo and edits made in the text editor). The webview runs `analyzeModel` itself on the
 * snapshot's model (shapes, params, diagnostics), so the inspector can validate as the user types.
 * The webview never changes its model on its own: it sends typed `ModelEdit`s and waits for the next
 * snapshot.
 *
 * Staleness: every message carries the document's URI (a per-document tag, so a message that reaches
 * the wrong panel is dropped), and every `edit` carries the `version` of the snapshot it was made
 * against. The host applies an edit only when `baseVersion === document.version`; otherwise it drops
 * it and answers `editRejected` + a fresh snapshot. The webview keeps at most one edit in flight.
 *
 * Types plus a runtime validator only: imported by the host and the webview (no vscode, no DOM).
 */
import type { LayerParams, ModelFile, ModelNode, NodePosition } from '../core/format';
import type { Diagnostic } from '../core/diagnostics';
import type { ModelEdit, SettingsEdit } from '../core/modelEdit';
import { settingsEditProblem } from '../core/settingsCheck';
import { isValidNodeId } from '../core/nodeIds';
import {
  isFiniteNumber as isFiniteNum,
  isInteger as isInt,
  isNonEmptyString as isNonEmptyStr,
  isParamValue,
  isRecord as isObj,
  isString as isStr,
} from '../core/guards';
import { resultOf, type ParseResult } from './parseResult';

/* ------------------------------------------------------------------------------------------------ */
/* Host -> webview                                                                                   */
/* ------------------------------------------------------------------------------------------------ */

/** What the document's text holds: a model (possibly with problems), or something the designer cannot show. */
export type DesignerContent =
  | {
      readonly kind: 'model';
      /** The model as loaded (migrated to the current format version). */
      readonly model: ModelFile;
      /** Problems the loader found (schema, unknown params, ...); the webview adds analysis diagnostics itself. */
      readonly loadDiagnostics: readonly Diagnostic[];
    }
  | {
      readonly kind: 'invalid';
      /** Why it cannot be shown, e.g. "Unexpected token } in JSON at line 12, column 3. Fix the JSON in the text editor." */
      readonly message: string;
      /** The loader's diagnostics (`invalid-json`, `not-a-model`, `unsupported-version`, ...). */
      readonly diagnostics: readonly Diagnostic[];
      /** 1-based position of the JSON syntax error, when known. */
      readonly line?: number;
      readonly column?: number;
    };

/** A VS Code command the host offers as a button in the designer's toolbar (no button for commands that do not exist). */
export interface DesignerCommandInfo {
  /** The VS Code command id, e.g. `cnnStudio.train`; it is run with the document's URI as its argument. */
  readonly id: string;
  /** Button label, e.g. "Train". */
  readonly title: string;
  /** A codicon name without `codicon-`, e.g. `play`; optional. */
  readonly icon?: string;
}

export interface SnapshotMessage {
  readonly type: 'snapshot';
  /** `document.uri.toString()`: the per-document tag every later message carries. */
  readonly documentUri: string;
  /** `document.version`: edits are made against this version. */
  readonly version: number;
  /** The document's full text, for the "not a valid model" view and for code that needs the raw JSON. */
  readonly text: string;
  readonly content: DesignerContent;
  /** Number of classes in the model's dataset when the host knows it (checked against the output layer). */
  readonly numClasses?: number;
  /** Commands the host offers as toolbar buttons. */
  readonly commands?: readonly DesignerCommandInfo[];
  /** True when the document cannot be edited (e.g. opened from a read-only file system). */
  readonly readOnly?: boolean;
}

/** The host refused an edit (stale `baseVersion`, the edit no longer applies, the file is read-only). */
export interface EditRejectedMessage {
  readonly type: 'editRejected';
  readonly documentUri: string;
  readonly baseVersion: number;
  /** Shown to the user; says what happened and what to do. */
  readonly message: string;
}

/** Select and scroll to a node (from the Problems panel, the outline, a code action). */
export interface RevealNodeMessage {
  readonly type: 'revealNode';
  readonly documentUri: string;
  readonly nodeId: string;
}

export type HostToDesigner = SnapshotMessage | EditRejectedMessage | RevealNodeMessage;

/* ------------------------------------------------------------------------------------------------ */
/* Webview -> host                                                                                   */
/* ------------------------------------------------------------------------------------------------ */

/** The page has loaded and listens: the host answers with a snapshot. */
export interface ReadyMessage {
  readonly type: 'ready';
}

export interface RequestSnapshotMessage {
  readonly type: 'requestSnapshot';
  readonly documentUri: string;
}

/** Apply one edit as one WorkspaceEdit (one undo step) if the document is still at `baseVersion`. */
export interface EditMessage {
  readonly type: 'edit';
  readonly documentUri: string;
  readonly baseVersion: number;
  readonly edit: ModelEdit;
}

/** Reopen the document in VS Code's text editor (the "Open as Text" button). */
export interface OpenAsTextMessage {
  readonly type: 'openAsText';
  readonly documentUri: string;
}

/** Show an error notification (something the webview cannot show itself, e.g. a failed paste). */
export interface ShowErrorMessage {
  readonly type: 'showError';
  readonly message: string;
}

/**
 * VS Code's undo/redo of the document, from the toolbar buttons. (Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z
 * outside text fields are not handled by the page: VS Code's webview forwards them to the workbench,
 * which undoes the custom text editor's document.)
 */
export interface UndoRedoMessage {
  readonly type: 'undo' | 'redo';
  readonly documentUri: string;
}

/** Run one of the snapshot's `commands` for this document. */
export interface RunCommandMessage {
  readonly type: 'runCommand';
  readonly documentUri: string;
  readonly command: string;
}

/**
 * The selected layers changed (sent debounced, only on a real change). The host uses it to follow the
 * selection elsewhere, e.g. narrowing an open training dashboard's feature maps to the selected layer.
 */
export interface SelectionChangedMessage {
  readonly type: 'selectionChanged';
  readonly documentUri: string;
  /** The selected node ids in selection order; empty when nothing (or only a connection) is selected. */
  readonly nodeIds: readonly string[];
}

/** A selection larger than this is not forwarded anywhere; the validator refuses it as malformed. */
export const MAX_SELECTION_IDS = 10_000;

export type DesignerToHost =
  | ReadyMessage
  | SelectionChangedMessage
  | RequestSnapshotMessage
  | EditMessage
  | OpenAsTextMessage
  | ShowErrorMessage
  | UndoRedoMessage
  | RunCommandMessage;

/* ------------------------------------------------------------------------------------------------ */
/* Runtime validation                                                                                */
/* ------------------------------------------------------------------------------------------------ */


/** Existing ids are whatever the file holds; edits only need a bounded string without control characters. */
// eslint-disable-next-line no-control-regex
const isNodeId = (v: unknown): v is string => isStr(v) && v.length > 0 && v.length <= 200 && !/[\u0000-\u001f]/.test(v);


function isLayerParams(v: unknown): v is LayerParams {
  return isObj(v) && Object.values(v).every(isParamValue);
}

function isPosition(v: unknown): v is NodePosition {
  return isObj(v) && isFiniteNum(v.x) && isFiniteNum(v.y);
}

export function isModelNode(v: unknown): v is ModelNode {
  return (
    isObj(v) &&
    isNodeId(v.id) &&
    isNonEmptyStr(v.type) &&
    isLayerParams(v.params) &&
    Array.isArray(v.inputs) &&
    v.inputs.every(isNodeId) &&
    (v.trainable === undefined || v.trainable === false) &&
    (v.position === undefined || isPosition(v.position))
  );
}

const MAX_BATCH_DEPTH = 4;

/** Checks the shape of a `ModelEdit` (not whether it applies to a given model: the host's apply step does that). */
export function isModelEdit(v: unknown, depth = 0): v is ModelEdit {
  if (!isObj(v) || !isStr(v.kind)) return false;
  switch (v.kind) {
    case 'addNode':
      return (
        isModelNode(v.node) &&
        (v.insertOnEdge === undefined || (isObj(v.insertOnEdge) && isNodeId(v.insertOnEdge.from) && isNodeId(v.insertOnEdge.to)))
      );
    case 'addNodes':
      return Array.isArray(v.nodes) && v.nodes.length > 0 && v.nodes.every(isModelNode);
    case 'removeNodes':
      return Array.isArray(v.ids) && v.ids.length > 0 && v.ids.every(isNodeId);
    case 'setParam':
      return isNodeId(v.id) && isNonEmptyStr(v.param) && (v.value === undefined || isParamValue(v.value));
    case 'setParams':
      return isNodeId(v.id) && isLayerParams(v.params);
    case 'connect':
      return isNodeId(v.from) && isNodeId(v.to) && (v.index === undefined || (isInt(v.index) && (v.index as number) >= 0));
    case 'disconnect':
      return isNodeId(v.from) && isNodeId(v.to);
    case 'moveNodes':
      return isObj(v.positions) && Object.keys(v.positions).every(isNodeId) && Object.values(v.positions).every(isPosition);
    case 'renameNode':
      return isNodeId(v.id) && isStr(v.newId) && isValidNodeId(v.newId);
    case 'setTrainable':
      return Array.isArray(v.ids) && v.ids.length > 0 && v.ids.every(isNodeId) && typeof v.trainable === 'boolean';
    case 'setCompileSettings':
    case 'setTrainingSettings':
      // The values are checked by the model schema's rules (as the loader would), with defaults for the rest.
      return isObj(v.settings) && settingsEditProblem({ kind: v.kind, settings: v.settings } as SettingsEdit) === null;
    case 'setDataset':
      return (v.dataset === null || isObj(v.dataset)) && settingsEditProblem({ kind: 'setDataset', dataset: v.dataset } as SettingsEdit) === null;
    case 'setName':
      return isStr(v.name);
    case 'batch':
      return (
        depth < MAX_BATCH_DEPTH &&
        isStr(v.label) &&
        Array.isArray(v.edits) &&
        v.edits.length > 0 &&
        v.edits.every((e) => isModelEdit(e, depth + 1))
      );
    default:
      return false;
  }
}

/**
 * Validates a message from the designer webview. The host calls this before touching the document;
 * anything unknown or malformed is refused (with the reason) and must be ignored.
 */
export function parseDesignerToHost(raw: unknown): ParseResult<DesignerToHost> {
  return resultOf(designerToHostOrNull(raw), raw, 'designer');
}

function designerToHostOrNull(raw: unknown): DesignerToHost | null {
  if (!isObj(raw) || !isStr(raw.type)) return null;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'requestSnapshot':
    case 'openAsText':
    case 'undo':
    case 'redo':
      return isStr(raw.documentUri) ? ({ type: raw.type, documentUri: raw.documentUri } as DesignerToHost) : null;
    case 'edit':
      if (!isStr(raw.documentUri) || !isInt(raw.baseVersion) || !isModelEdit(raw.edit)) return null;
      return { type: 'edit', documentUri: raw.documentUri, baseVersion: raw.baseVersion as number, edit: raw.edit };
    case 'showError':
      return isNonEmptyStr(raw.message) ? { type: 'showError', message: raw.message.slice(0, 2000) } : null;
    case 'runCommand':
      return isStr(raw.documentUri) && isNonEmptyStr(raw.command)
        ? { type: 'runCommand', documentUri: raw.documentUri, command: raw.command }
        : null;
    case 'selectionChanged':
      return isStr(raw.documentUri) && Array.isArray(raw.nodeIds) && raw.nodeIds.length <= MAX_SELECTION_IDS && raw.nodeIds.every(isNodeId)
        ? { type: 'selectionChanged', documentUri: raw.documentUri, nodeIds: [...(raw.nodeIds as string[])] }
        : null;
    default:
      return null;
  }
}

/**
 * Validates a message from the host (the webview's side of the same check). Only the envelope is
 * checked deeply; the model inside a snapshot comes from the host's own loader.
 */
export function parseHostToDesigner(raw: unknown): ParseResult<HostToDesigner> {
  return resultOf(hostToDesignerOrNull(raw), raw, 'host');
}

function hostToDesignerOrNull(raw: unknown): HostToDesigner | null {
  if (!isObj(raw) || !isStr(raw.type) || !isStr(raw.documentUri)) return null;
  switch (raw.type) {
    case 'snapshot': {
      if (!isInt(raw.version) || !isStr(raw.text) || !isObj(raw.content)) return null;
      const c = raw.content;
      if (c.kind === 'model') {
        if (!isObj(c.model) || !Array.isArray(c.model.nodes) || !Array.isArray(c.loadDiagnostics)) return null;
      } else if (c.kind === 'invalid') {
        if (!isStr(c.message) || !Array.isArray(c.diagnostics)) return null;
      } else return null;
      return raw as unknown as SnapshotMessage;
    }
    case 'editRejected':
      return isInt(raw.baseVersion) && isStr(raw.message) ? (raw as unknown as EditRejectedMessage) : null;
    case 'revealNode':
      return isStr(raw.nodeId) ? (raw as unknown as RevealNodeMessage) : null;
    default:
      return null;
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Building a snapshot                                                                               */
/* ------------------------------------------------------------------------------------------------ */

/**
 * The snapshot's `content` from `parseModelText(document.getText())` (src/core/loader.ts), so the
 * host and the browser tests build it the same way.
 */
export function designerContentFromParse(result: { readonly model: ModelFile | null; readonly diagnostics: readonly Diagnostic[] }): DesignerContent {
  if (result.model) return { kind: 'model', model: result.model, loadDiagnostics: result.diagnostics };
  const first = result.diagnostics.find((d) => d.severity === 'error') ?? result.diagnostics[0];
  const message = first?.message ?? 'The file could not be read as a CNN Studio model. Open it as text to see what is wrong.';
  const at = /line (\d+), column (\d+)/.exec(message);
  return at
    ? { kind: 'invalid', message, diagnostics: result.diagnostics, line: Number(at[1]), column: Number(at[2]) }
    : { kind: 'invalid', message, diagnostics: result.diagnostics };
}
