/**
 * Copy, cut and paste of layers through the system clipboard, as JSON text marked with a key of ours so
 * pasting other JSON (or text into a field) is left alone. Pasted layers get new ids and an offset.
 */
import type { ModelFile, ModelNode } from '../../src/core/format';
import { isModelNode } from '../../src/protocol/designer';
import { isTyping } from '../common/dom';

/** Clipboard payload marker, so pasting other JSON does nothing. */
const CLIPBOARD_KEY = 'cnnStudioNodes';

export interface ClipboardTarget {
  /** The model shown, or null when there is none. */
  model(): ModelFile | null;
  selectedIds(): ReadonlySet<string>;
  readOnly(): boolean;
  paste(nodes: readonly ModelNode[]): void;
  deleteSelection(): void;
}

export function wireClipboard(target: ClipboardTarget): void {
  const copy = (e: ClipboardEvent, cut: boolean): void => {
    const model = target.model();
    const selected = target.selectedIds();
    if (isTyping(e.target) || !model || !selected.size) return;
    const nodes = model.nodes.filter((n) => selected.has(n.id));
    if (!nodes.length || !e.clipboardData) return;
    e.preventDefault();
    e.clipboardData.setData('text/plain', JSON.stringify({ [CLIPBOARD_KEY]: nodes }, null, 2));
    if (cut) target.deleteSelection();
  };
  document.addEventListener('copy', (e) => copy(e, false));
  document.addEventListener('cut', (e) => copy(e, true));
  document.addEventListener('paste', (e) => {
    if (isTyping(e.target) || !target.model() || target.readOnly()) return;
    const text = e.clipboardData?.getData('text/plain');
    if (!text) return;
    const nodes = layersIn(text);
    if (!nodes) return; // not ours: leave it alone
    e.preventDefault();
    target.paste(nodes);
  });
}

/** The layers a clipboard text of ours holds, or null for any other text. */
function layersIn(text: string): ModelNode[] | null {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const list = parsed?.[CLIPBOARD_KEY];
    if (Array.isArray(list) && list.length && list.every(isModelNode)) return list as ModelNode[];
  } catch {
    // not JSON: not ours
  }
  return null;
}
