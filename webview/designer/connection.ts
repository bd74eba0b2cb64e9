/** The designer page's typed connection to the host (messages both ways and the saved view state). */
import type { DesignerToHost, HostToDesigner } from '../../src/protocol/designer';
import type { HostConnection } from '../common/vscodeApi';
import type { DesignerViewState } from './viewState';

export type DesignerConnection = HostConnection<DesignerToHost, HostToDesigner, DesignerViewState>;
