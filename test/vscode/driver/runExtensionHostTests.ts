/**
 * Runs the mocha suites INSIDE code-server's extension host, the way @vscode/test-electron's
 * `extensionTestsPath` does for desktop VS Code: the workbench URL carries a `payload` with the
 * extension's development path and the tests' entry, and the workbench calls
 * `window.codeAutomationExit(code, logs)` when the run ends. The extension under test is the one
 * installed from the VSIX (its installed folder is the development path), so the packaged files are
 * what gets tested.
 *
 *   node --import tsx test/vscode/driver/runExtensionHostTests.ts <baseUrl> <extensionDir> <testsEntry> <workspace> <outDir>
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchWorkbenchBrowser, remoteUri, stopwatch } from './browser';

const [baseUrl, extensionDir, testsEntry, workspace, outDir] = process.argv.slice(2) as [string, string, string, string, string];
const TIMEOUT_MS = Number(process.env['EXTHOST_TEST_TIMEOUT_MS'] ?? 180_000);

async function main(): Promise<number> {
  const log = stopwatch();
  const { context, page } = await launchWorkbenchBrowser(outDir);
  let finish: (code: number | 'timeout') => void = () => undefined;
  const finished = new Promise<number | 'timeout'>((resolve) => (finish = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number, logs?: { relativePath: string; contents: string }[]) => {
    for (const l of logs ?? []) writeFileSync(join(outDir, `exthost-log-${String(l.relativePath).replace(/[\\/]/g, '_')}`), l.contents);
    finish(code);
  });
  // The workbench routes its log service (which carries the extension host's console, i.e. mocha's
  // output) here; only the extension host's lines are the test report.
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (/\[(Extension Host|exthost)\]/i.test(line) || line.includes('[cnn-studio-test]')) console.log(line.replace(/%c/g, '').replace(/ ?color: [^ ]*/g, ''));
  });
  // Errors inside webviews (designer, side bar, dashboard pages) go to the report: a page that throws
  // while loading never says `ready`, and this is the only place that shows why.
  page.on('console', (m) => {
    const url = m.location().url;
    if (m.type() === 'error' && /webview|vscode-resource|vscode-cdn/.test(url)) console.log(`[webview console error] ${m.text()} (${url.split('/').pop()})`);
  });
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  // code-server has no flag for developmentOptions.enableSmokeTestDriver, which newer workbenches
  // require before honouring `payload`: set it where the workbench reads its configuration.
  await page.addInitScript({
    content: `(() => {
      const original = Element.prototype.getAttribute;
      Element.prototype.getAttribute = function (name) {
        const value = original.call(this, name);
        if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && value) {
          const config = JSON.parse(value);
          config.developmentOptions = Object.assign({}, config.developmentOptions, { enableSmokeTestDriver: true });
          return JSON.stringify(config);
        }
        return value;
      };
    })();`,
  });
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remoteUri(baseUrl, extensionDir)],
    ['extensionTestsPath', remoteUri(baseUrl, testsEntry)],
  ]);
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  log('workbench opened with the test payload');
  const timer = setTimeout(() => finish('timeout'), TIMEOUT_MS);
  const code = await finished;
  clearTimeout(timer);
  log(`extension-host tests finished: exit code ${code}`);
  if (code !== 0) await page.screenshot({ path: join(outDir, 'exthost-tests-failed.png') }).catch(() => undefined);
  await context.close();
  return code === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('extension-host test driver failed:', err);
    process.exit(2);
  },
);
