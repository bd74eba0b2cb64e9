/**
 * Messages between the CNN Studio side bar view (`webview/sidebar/`) and the extension host
 * (`src/extension/sidebar/`). The side bar shows the model of the active editor (designer or text):
 * its layers, a palette to add more, the dataset and the training settings, and, when training is
 * available, Train / Pause / Stop with the current run's status.
 *
 * The host sends the whole state (small) whenever it changes; the view sends intents. Settings edits
 * carry the document version they were made against, like the designer's edits, and are applied as
 * one undo step of the model document.
 *
 * Types plus a runtime validator only (no vscode, no DOM).
 */
import type { AugmentationSettings } from '../core/format';
import type { DesignerContent } from './designer';
import type { ModelEdit } from '../core/modelEdit';
import { isBoundedString as isStr, isRecord as isObj } from '../core/guards';
import { resultOf, type ParseResult } from './parseResult';
import type { DatasetDescription } from './engine';

export interface SidebarModelInfo {
  /** `document.uri.toString()`. */
  readonly documentUri: string;
  readonly fileName: string;
  readonly version: number;
  readonly content: DesignerContent;
}

export type SidebarTrainingState = 'idle' | 'running' | 'paused';

export interface SidebarTrainingInfo {
  readonly state: SidebarTrainingState;
  /** One line about the current or last run, e.g. "Epoch 3/10 · loss 0.52 · val acc 81.0%". */
  readonly status: string;
}

export interface SidebarStateMessage {
  readonly type: 'state';
  /** The active model, or null when no model editor is open. */
  readonly model: SidebarModelInfo | null;
  /** Null when training is not offered here; `trainingNote` then says why (e.g. an untrusted folder). */
  readonly training: SidebarTrainingInfo | null;
  readonly trainingNote?: string;
}

/** What is known about the active model's dataset: sent apart from the state (it carries thumbnails). */
export type SidebarDatasetInfo =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly description: DatasetDescription }
  /** The data could not be read: the user-facing reason (names the path and the fix). */
  | { readonly status: 'error'; readonly message: string }
  /** Not looked at (an untrusted folder): why. */
  | { readonly status: 'unavailable'; readonly message: string };

export interface SidebarDatasetMessage {
  readonly type: 'dataset';
  readonly documentUri: string;
  /** The dataset section it describes, as JSON: the view drops an answer about a dataset it no longer shows. */
  readonly datasetKey: string;
  readonly info: SidebarDatasetInfo;
}

export type HostToSidebar = SidebarStateMessage | SidebarDatasetMessage;

/** The key a dataset answer belongs to: the dataset section plus what the description depends on. */
export function sidebarDatasetKey(dataset: unknown, inputShape: readonly number[] | null, validationSplit: number, augmentation: AugmentationSettings): string {
  return JSON.stringify([dataset, inputShape, validationSplit, augmentation]);
}

/** The augmentation settings the side bar edits, with their bounds (as the schema has them). */
export const AUGMENTATION_LIMITS = { translate: { min: 0, max: 0.5 }, brightness: { min: 0, max: 1 } } as const;

/** Settings the side bar edits (numbers only). */
export const SIDEBAR_SETTINGS = {
  epochs: { edit: (epochs: number): ModelEdit => ({ kind: 'setTrainingSettings', settings: { epochs } }), label: 'Epochs', min: 1, max: 100_000, integer: true },
  batchSize: { edit: (batchSize: number): ModelEdit => ({ kind: 'setTrainingSettings', settings: { batchSize } }), label: 'Batch size', min: 1, max: 65_536, integer: true },
  learningRate: { edit: (learningRate: number): ModelEdit => ({ kind: 'setCompileSettings', settings: { learningRate } }), label: 'Learning rate', min: 1e-8, max: 10, integer: false },
} as const;
export type SidebarSettingName = keyof typeof SIDEBAR_SETTINGS;

export type SidebarCommand = 'newModel' | 'openDesigner' | 'openAsText' | 'train' | 'pause' | 'resume' | 'stop';
const COMMANDS: readonly SidebarCommand[] = ['newModel', 'openDesigner', 'openAsText', 'train', 'pause', 'resume', 'stop'];

export type SidebarToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'addLayer'; readonly documentUri: string; readonly layerType: string }
  | { readonly type: 'revealNode'; readonly documentUri: string; readonly nodeId: string }
  | { readonly type: 'setSetting'; readonly documentUri: string; readonly baseVersion: number; readonly setting: SidebarSettingName; readonly value: number }
  | { readonly type: 'chooseDataset'; readonly documentUri: string }
  /** Set the Input layer (and the dataset's image size/colour) to the data's `[h, w, c]`. */
  | { readonly type: 'setInputToData'; readonly documentUri: string; readonly baseVersion: number; readonly shape: readonly [number, number, number] }
  | { readonly type: 'setAugmentation'; readonly documentUri: string; readonly baseVersion: number; readonly augmentation: AugmentationSettings }
  | { readonly type: 'command'; readonly command: SidebarCommand; readonly documentUri?: string };

/** Why a setting value is not acceptable, or null when it is. */
export function checkSettingValue(setting: SidebarSettingName, value: number): string | null {
  const spec = SIDEBAR_SETTINGS[setting];
  if (!Number.isFinite(value)) return `${spec.label} must be a number.`;
  if (spec.integer && !Number.isInteger(value)) return `${spec.label} must be a whole number.`;
  if (value < spec.min || value > spec.max) return `${spec.label} must be between ${spec.min} and ${spec.max}.`;
  return null;
}


/** Validates a message from the side bar; anything malformed is refused (with the reason) and ignored. */
export function parseSidebarToHost(raw: unknown): ParseResult<SidebarToHost> {
  return resultOf(sidebarToHostOrNull(raw), raw, 'side bar');
}

function sidebarToHostOrNull(raw: unknown): SidebarToHost | null {
  if (!isObj(raw) || typeof raw.type !== 'string') return null;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'addLayer':
      return isStr(raw.documentUri) && isStr(raw.layerType) ? { type: 'addLayer', documentUri: raw.documentUri, layerType: raw.layerType } : null;
    case 'revealNode':
      return isStr(raw.documentUri) && isStr(raw.nodeId) ? { type: 'revealNode', documentUri: raw.documentUri, nodeId: raw.nodeId } : null;
    case 'setSetting': {
      const setting = raw.setting;
      if (!isStr(raw.documentUri) || !Number.isInteger(raw.baseVersion) || typeof raw.value !== 'number') return null;
      if (typeof setting !== 'string' || !Object.prototype.hasOwnProperty.call(SIDEBAR_SETTINGS, setting)) return null;
      return { type: 'setSetting', documentUri: raw.documentUri, baseVersion: raw.baseVersion as number, setting: setting as SidebarSettingName, value: raw.value };
    }
    case 'chooseDataset':
      return isStr(raw.documentUri) ? { type: 'chooseDataset', documentUri: raw.documentUri } : null;
    case 'setInputToData': {
      const shape = raw.shape;
      const okShape = Array.isArray(shape) && shape.length === 3 && shape.every((n) => Number.isInteger(n) && (n as number) > 0 && (n as number) <= 65_536);
      if (!isStr(raw.documentUri) || !Number.isInteger(raw.baseVersion) || !okShape) return null;
      return { type: 'setInputToData', documentUri: raw.documentUri, baseVersion: raw.baseVersion as number, shape: shape as unknown as readonly [number, number, number] };
    }
    case 'setAugmentation': {
      const a = raw.augmentation;
      if (!isStr(raw.documentUri) || !Number.isInteger(raw.baseVersion) || !isObj(a)) return null;
      const inRange = (v: unknown, limits: { min: number; max: number }) => typeof v === 'number' && Number.isFinite(v) && v >= limits.min && v <= limits.max;
      if (typeof a.horizontalFlip !== 'boolean' || !inRange(a.translate, AUGMENTATION_LIMITS.translate) || !inRange(a.brightness, AUGMENTATION_LIMITS.brightness)) return null;
      return {
        type: 'setAugmentation',
        documentUri: raw.documentUri,
        baseVersion: raw.baseVersion as number,
        augmentation: { horizontalFlip: a.horizontalFlip, translate: a.translate as number, brightness: a.brightness as number },
      };
    }
    case 'command': {
      const command = raw.command as SidebarCommand;
      if (!COMMANDS.includes(command)) return null;
      if (raw.documentUri !== undefined && !isStr(raw.documentUri)) return null;
      return raw.documentUri === undefined ? { type: 'command', command } : { type: 'command', command, documentUri: raw.documentUri as string };
    }
    default:
      return null;
  }
}

/** The view's check of the host's message (the envelope; the model comes from the host's loader). */
export function parseHostToSidebar(raw: unknown): ParseResult<HostToSidebar> {
  return resultOf(hostToSidebarOrNull(raw), raw, 'host');
}

function hostToSidebarOrNull(raw: unknown): HostToSidebar | null {
  if (isObj(raw) && raw.type === 'dataset') {
    return isStr(raw.documentUri) && typeof raw.datasetKey === 'string' && isObj(raw.info) && typeof raw.info.status === 'string' ? (raw as unknown as SidebarDatasetMessage) : null;
  }
  if (!isObj(raw) || raw.type !== 'state') return null;
  if (raw.model !== null && !(isObj(raw.model) && isStr(raw.model.documentUri) && isObj(raw.model.content))) return null;
  if (raw.training !== null && !(isObj(raw.training) && typeof raw.training.state === 'string')) return null;
  return raw as unknown as SidebarStateMessage;
}
