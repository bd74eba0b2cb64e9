/**
 * Entry of the designer webview (bundled to dist/webview/designer.js with designer.css beside it).
 * See src/protocol/designer.ts for the conversation with the extension host.
 */
import './designer.css';
import { parseHostToDesigner, type DesignerToHost, type HostToDesigner } from '../../src/protocol/designer';
import { connectToHost } from '../common/vscodeApi';
import { registerToolkit } from '../common/toolkit';
import { DesignerApp } from './app';
import { parseViewState, type DesignerViewState } from './viewState';

registerToolkit();
const root = document.getElementById('app');
if (root) {
  const conn = connectToHost<DesignerToHost, HostToDesigner, DesignerViewState>(parseHostToDesigner, parseViewState);
  new DesignerApp(root, conn);
}
