/**
 * package.json's contributions agree with the code: menus and keybindings name contributed commands,
 * the custom editor and views use the ids the extension registers, and the activation events cover
 * them. (That every contributed command is registered at run time is checked in the real extension
 * host: test/vscode/suites/commands.suite.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BACKEND_PREFERENCES } from '../../src/protocol/engine';

interface Manifest {
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string | boolean } };
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    customEditors: { viewType: string; selector: { filenamePattern: string }[]; priority: string }[];
    views: Record<string, { id: string; type?: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string }[];
    configuration: { properties: Record<string, { enum?: string[] }> };
  };
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;
const source = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('menus and keybindings only name contributed commands; every command has the CNN Studio category', () => {
  const ids = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
    for (const item of items) assert.ok(ids.has(item.command), `menu ${menu} names ${item.command}, which is not contributed`);
  }
  for (const k of manifest.contributes.keybindings) assert.ok(ids.has(k.command), `keybinding for ${k.command}, which is not contributed`);
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'CNN Studio', `${c.command} has no category`);
});

test('the custom editor, views and activation events match what the extension registers', () => {
  const [editor] = manifest.contributes.customEditors;
  assert.equal(editor?.viewType, 'cnnStudio.designer');
  assert.match(source('src/extension/editor/designerEditorProvider.ts'), /DESIGNER_VIEW_TYPE = 'cnnStudio\.designer'/);
  assert.deepEqual(editor?.selector, [{ filenamePattern: '*.cnn.json' }]);
  assert.equal(editor?.priority, 'default');
  const views = manifest.contributes.views['cnnStudio'] ?? [];
  assert.ok(manifest.contributes.viewsContainers.activitybar.some((c) => c.id === 'cnnStudio' && c.icon.endsWith('.svg')));
  assert.ok(views.some((v) => v.id === 'cnnStudio.sidebar' && v.type === 'webview'));
  assert.ok(views.some((v) => v.id === 'cnnStudio.models'));
  assert.match(source('src/extension/sidebar/sidebarViewProvider.ts'), /SIDEBAR_VIEW_ID = 'cnnStudio\.sidebar'/);
  assert.match(source('src/extension/tree/modelsTreeProvider.ts'), /MODELS_VIEW_ID = 'cnnStudio\.models'/);
  for (const event of ['workspaceContains:**/*.cnn.json', 'onCustomEditor:cnnStudio.designer', 'onView:cnnStudio.sidebar', 'onView:cnnStudio.models']) {
    assert.ok(manifest.activationEvents.includes(event), `activation event ${event}`);
  }
});

test('untrusted folders get limited support and the backend setting offers every backend', () => {
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(manifest.contributes.configuration.properties['cnnStudio.backend']?.enum, BACKEND_PREFERENCES);
});

test("the Models view's welcome does not repeat the Model view's New Model from Template… button", () => {
  const welcome = (JSON.parse(source('package.json')) as { contributes: { viewsWelcome: { view: string; contents: string }[] } }).contributes.viewsWelcome;
  const models = welcome.filter((w) => w.view === 'cnnStudio.models').map((w) => w.contents).join('\n');
  // The side bar's Model view shows that button whenever no model is open (webview/sidebar/main.ts).
  assert.match(source('webview/sidebar/main.ts'), /button\('New Model from Template…'/);
  assert.doesNotMatch(models, /command:cnnStudio\.newModelFromTemplate/);
  assert.match(models, /\[Import a Keras or TF\.js Model…\]\(command:cnnStudio\.import\)/);
});
