/**
 * Which designer selection narrows an open training dashboard to one layer's feature maps, and whether
 * a dashboard shows the selected model at all. Pure (no vscode) so the decision is unit-tested.
 */

import { FEATURE_MAP_LAYER_TYPES } from '../../core/catalogue';

export interface SelectedNode {
  readonly id: string;
  readonly type: string;
}

/** The layer to show when exactly one conv/pool node is selected; otherwise null (nothing to jump to). */
export function featureMapLayerFromSelection(selected: readonly SelectedNode[]): string | null {
  if (selected.length !== 1) return null;
  const only = selected[0]!;
  return FEATURE_MAP_LAYER_TYPES.has(only.type) ? only.id : null;
}

export interface DashboardModelState {
  /** A dashboard panel exists (visible or not). */
  readonly open: boolean;
  /** `uri.toString()` of the model the dashboard was opened for by training, if any. */
  readonly modelUri: string | undefined;
}

/**
 * True when an already open dashboard belongs to `modelUri`. A click in the designer never opens a
 * dashboard, and never retargets one that shows another model.
 */
export function dashboardShowsModel(dashboard: DashboardModelState, modelUri: string): boolean {
  return dashboard.open && dashboard.modelUri !== undefined && dashboard.modelUri === modelUri;
}
