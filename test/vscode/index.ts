/**
 * Entry of the extension-host test bundle (`out/test/index.js`, built by scripts/build.mjs). VS Code's
 * test runner (code-server's payload here, @vscode/test-electron on desktop) loads it inside the
 * extension host and awaits `run()`; a rejection is a failed run.
 *
 * The suites are functions that call mocha's tdd globals, registered after mocha has defined them
 * (the bundle cannot `require` test files one by one).
 */
import Mocha from 'mocha';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommandSuite } from './suites/commands.suite';
import { registerCustomEditorSuite } from './suites/customEditor.suite';
import { registerDiagnosticsSuite } from './suites/diagnostics.suite';
import { registerModelsTreeSuite } from './suites/modelsTree.suite';
import { registerSidebarSuite } from './suites/sidebar.suite';
import { registerUntrustedSuite } from './suites/untrusted.suite';
import { registerTrainingSuite } from './training.test';
import { registerExportImportSuite } from './suites/exportImport.suite';
import { registerJsonSchemaSuite } from './suites/jsonSchema.suite';

export async function run(): Promise<void> {
  // CNN_STUDIO_TEST_GREP (in code-server's environment) runs only the matching tests while developing.
  const grep = process.env['CNN_STUDIO_TEST_GREP'];
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  mocha.suite.emit('pre-require', globalThis, 'out/test/index.js', mocha);
  // The same bundle runs twice: in a trusted folder (everything) and in restricted mode (what must
  // still work there, and what must refuse).
  if (!vscode.workspace.isTrusted) {
    registerUntrustedSuite();
  } else {
    registerCustomEditorSuite();
    registerCommandSuite();
    registerDiagnosticsSuite();
    registerJsonSchemaSuite();
    registerSidebarSuite();
    registerModelsTreeSuite();
    registerTrainingSuite();
    registerExportImportSuite();
  }
  const failures: { title: string; error: string }[] = [];
  let passed = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => {
      passed++;
      console.log(`[cnn-studio-test] ok ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    runner.on('fail', (test, err: Error) => {
      failures.push({ title: test.fullTitle(), error: err.stack ?? err.message });
      console.log(`[cnn-studio-test] not ok ${test.fullTitle()}`);
    });
  });
  const summary = `${passed} passed, ${failures.length} failed`;
  console.log(`[cnn-studio-test] extension host: ${summary}`);
  for (const f of failures) console.log(`[cnn-studio-test] FAILED ${f.title}\n${f.error}`);
  // The bundle lives in <repo>/out/test; the report goes to <repo>/test-results/vscode for CI artefacts.
  const resultsDir = join(__dirname, '..', '..', 'test-results', 'vscode');
  mkdirSync(resultsDir, { recursive: true });
  // Named after the workspace folder, which scripts/test-vscode.sh makes unique per run.
  const workspaceName = vscode.workspace.workspaceFolders?.[0]?.name ?? 'no-folder';
  writeFileSync(join(resultsDir, `exthost-${workspaceName}.json`), JSON.stringify({ passed, failed: failures.length, failures }, null, 2));
  if (failures.length > 0) throw new Error(summary);
}
