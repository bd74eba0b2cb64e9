/**
 * What the designer remembers across being hidden or reloaded (`vscode.setState`): selection, the
 * camera, the layout direction and which blocks are collapsed. View state only: it never becomes an edit of the document.
 */

import type { LayoutDirection } from './layout';

export interface Camera {
  /** Screen = graph * zoom + pan. */
  readonly zoom: number;
  readonly panX: number;
  readonly panY: number;
}

export interface DesignerViewState {
  readonly documentUri: string;
  readonly selection: readonly string[];
  readonly camera: Camera | null;
  readonly paletteFilter: string;
  /** Narrow editors show the inspector below the graph; the user can fold it away. */
  readonly inspectorCollapsed: boolean;
  /** Top-down or left-to-right (long models read better across a wide editor). */
  readonly layoutDirection: LayoutDirection;
  /** The collapsed blocks' ids; null until the user opened or closed one (then a large model shows them collapsed). */
  readonly collapsedBlocks: readonly string[] | null;
}

export const MIN_ZOOM = 0.2;
export const MAX_ZOOM = 2.5;

export function parseViewState(raw: unknown): DesignerViewState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.documentUri !== 'string') return undefined;
  const selection = Array.isArray(r.selection) ? r.selection.filter((s): s is string => typeof s === 'string') : [];
  let camera: Camera | null = null;
  const c = r.camera as Record<string, unknown> | null | undefined;
  if (c && typeof c.zoom === 'number' && typeof c.panX === 'number' && typeof c.panY === 'number' && [c.zoom, c.panX, c.panY].every(Number.isFinite)) {
    camera = { zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, c.zoom)), panX: c.panX, panY: c.panY };
  }
  return {
    documentUri: r.documentUri,
    selection,
    camera,
    paletteFilter: typeof r.paletteFilter === 'string' ? r.paletteFilter : '',
    inspectorCollapsed: r.inspectorCollapsed === true,
    layoutDirection: r.layoutDirection === 'LR' ? 'LR' : 'TB',
    collapsedBlocks: Array.isArray(r.collapsedBlocks) ? r.collapsedBlocks.filter((s): s is string => typeof s === 'string') : null,
  };
}
