/**
 * Registers the `@vscode/webview-ui-toolkit` components the webviews use (buttons, fields, dropdowns,
 * checkboxes, dividers). Called once per page before any of them is created.
 *
 * Not `vscode-badge`: its template writes a `style` attribute, which a strict CSP (no
 * 'unsafe-inline' styles) blocks and reports; use a styled <span> instead.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDivider(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeTextField(),
  );
}
