#!/usr/bin/env node
// The extension-host test bundle (out/test/index.js, the same mocha suites scripts/test-vscode.sh runs
// inside code-server) under desktop VS Code, through @vscode/test-electron 2.5.x:
//   npm run test:electron
// test-electron downloads VS Code from update.code.visualstudio.com into .cache/vscode-test-electron/ unless
// VSCODE_EXECUTABLE_PATH points at an installed one. Machines without a route to that server (like the
// CI that runs scripts/test.sh) cannot run this; they run the same suites in code-server instead.
// On Linux without a display, run it under xvfb-run.
import { runTests } from '@vscode/test-electron';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const testsEntry = join(repo, 'out', 'test', 'index.js');
if (!existsSync(testsEntry) || !existsSync(join(repo, 'dist', 'extension.js'))) {
  console.error('Build first: npm run -s build (makes dist/extension.js and out/test/index.js).');
  process.exit(2);
}
mkdirSync(join(repo, 'test-results'), { recursive: true });
const workspace = mkdtempSync(join(tmpdir(), 'cnn-studio-electron-'));

try {
  const exitCode = await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
    // Downloads stay in the repo's gitignored cache, beside code-server.
    cachePath: join(repo, '.cache', 'vscode-test-electron'),
    extensionDevelopmentPath: repo,
    extensionTestsPath: testsEntry,
    // Only CNN Studio (and VS Code's built-ins) in a fresh profile, on a scratch workspace.
    launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust'],
  });
  console.log(exitCode === 0 ? 'extension-host tests passed under desktop VS Code' : `extension-host tests failed (exit code ${exitCode})`);
  process.exit(exitCode);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`Could not run desktop VS Code: ${message}`);
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|getaddrinfo|download/i.test(message)) {
    console.error(
      'VS Code could not be downloaded from update.code.visualstudio.com. Set VSCODE_EXECUTABLE_PATH to an installed VS Code ' +
        '(1.100 or newer), or run the same suites in code-server: bash scripts/test-vscode.sh',
    );
  }
  process.exit(1);
}
