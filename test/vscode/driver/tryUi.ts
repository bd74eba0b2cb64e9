/**
 * The one-command try (`scripts/try.sh`), as a user without VS Code runs it: it starts code-server with
 * the VSIX and prints a URL. This test waits for that URL, opens it in chromium, checks the designer
 * shows the prepared model with its parameter total (from the CLI's summary of the same file), saves a
 * screenshot, then presses "Ctrl+C" (SIGINT to the script's process group, as a terminal does) and checks
 * that nothing the script started is left running. A second start is stopped with SIGTERM (as a process
 * supervisor does) and checked the same way.
 *
 *   node --import tsx test/vscode/driver/tryUi.ts <vsix> <workDir> <outDir>
 * The VSIX is the one scripts/test-vscode.sh has just built (TRY_VSIX skips install, build and package).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { launchWorkbenchBrowser, stopwatch, webviewFrame } from './browser';

const [vsix, work, outDir] = process.argv.slice(2) as [string, string, string];
const repo = resolve(__dirname, '../../..');
const workspace = join(work, 'try-workspace');
const profile = join(work, 'try-profile');
const log = stopwatch();

interface TryRun {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port free right now: two test runs on one machine must not both take try.sh's default (8123). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/** Starts try.sh in a process group of its own (like a terminal's foreground job) in code-server mode. */
function startTry(port: number): TryRun {
  let output = '';
  const child = spawn('bash', [join(repo, 'scripts/try.sh'), workspace], {
    cwd: repo,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TRY_PORT: String(port), TRY_VSIX: vsix, TRY_PROFILE: profile, TRY_CODE_SERVER: '1', TRY_NO_BROWSER: '1' },
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const line of chunk.toString().split('\n')) if (line.trim()) console.log(`  [try.sh] ${line}`);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return { child, output: () => output, exited };
}

async function waitForUrl(run: TryRun, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  let exitedEarly = false;
  void run.exited.then(() => (exitedEarly = true));
  for (;;) {
    const url = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(run.output())?.[1];
    if (url) return url;
    if (exitedEarly) throw new Error('try.sh exited before printing the URL');
    if (Date.now() > until) throw new Error(`try.sh printed no URL within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Processes whose command line or working folder names the try profile or workspace: what try.sh started. */
function leftovers(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cmdline.includes(profile) || cmdline.includes(workspace) || cwd.startsWith(workspace)) found.push(`${pid}: ${cmdline.slice(0, 160)}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

async function expectStopped(run: TryRun, how: string, expectedCode: number, port: number): Promise<void> {
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000));
  const result = await Promise.race([run.exited, timeout]);
  if (result === 'timeout') throw new Error(`try.sh did not exit within 30 s of ${how}`);
  if (result.code !== expectedCode) throw new Error(`try.sh exited with ${result.code ?? result.signal} after ${how}, expected ${expectedCode}`);
  if (!run.output().includes('code-server stopped.')) throw new Error(`try.sh did not say it stopped code-server after ${how}`);
  const left = leftovers();
  if (left.length) throw new Error(`still running after ${how}:\n${left.join('\n')}`);
  if (await portOpen(port)) throw new Error(`port ${port} still accepts connections after ${how}`);
  log(`${how}: try.sh exited ${expectedCode}, code-server and everything it started are gone, port ${port} closed`);
}

/** The model's parameter total as the CLI reports it, formatted as the designer shows it (4,195). */
function expectedParams(): string {
  const r = spawnSync(process.execPath, [join(repo, 'dist/cli.js'), 'summary', join(workspace, 'shapes.cnn.json'), '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cnn-studio summary failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { totalParams: number }).totalParams.toLocaleString('en-US');
}

async function main(): Promise<void> {
  const runs: TryRun[] = [];
  try {
    // 1. Start, open the printed URL, see the designer; Ctrl+C.
    const first = startTry(await freePort());
    runs.push(first);
    const url = await waitForUrl(first, 180_000);
    const port = Number(new URL(url).port);
    log(`try.sh printed ${url}`);
    const params = expectedParams();
    const { context, page } = await launchWorkbenchBrowser(outDir);
    try {
      await page.goto(url);
      await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
      log('workbench loaded');
      await page.locator('.tabs-container .tab.active', { hasText: 'shapes.cnn.json' }).waitFor({ timeout: 60_000 });
      const designer = await webviewFrame(page, '.summary-bar', 60_000);
      const until = Date.now() + 30_000;
      let summary = '';
      // The prepared model is ready to train: its params, and no problems (dataset and output agree).
      while (!(summary.includes(params) && summary.includes('No problems'))) {
        if (Date.now() > until) throw new Error(`the designer's summary bar shows "${summary}", not the model's ${params} params and no problems`);
        summary = (await designer.locator('.summary-bar').innerText().catch(() => '')).replace(/\s+/g, ' ');
        await new Promise((r) => setTimeout(r, 200));
      }
      log(`designer: ${summary}`);
      await page.screenshot({ path: join(outDir, 'try-designer.png') });
      log(`screenshot ${join(outDir, 'try-designer.png')}`);
    } catch (err) {
      await page.screenshot({ path: join(outDir, 'try-failed.png') }).catch(() => undefined);
      throw err;
    } finally {
      await context.close();
    }
    process.kill(-first.child.pid!, 'SIGINT');
    await expectStopped(first, 'Ctrl+C (SIGINT to its process group)', 130, port);

    // 2. Again with the workspace kept; SIGTERM to the script alone.
    const second = startTry(await freePort());
    runs.push(second);
    const url2 = await waitForUrl(second, 180_000);
    if (!second.output().includes('kept from an earlier run')) throw new Error('the second run did not keep the workspace');
    process.kill(second.child.pid!, 'SIGTERM');
    await expectStopped(second, 'SIGTERM to try.sh', 143, Number(new URL(url2).port));
  } finally {
    // Whatever happened above, leave nothing running.
    for (const run of runs) {
      try {
        process.kill(-run.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const line of leftovers()) {
      try {
        process.kill(Number(line.split(':')[0]), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

main().then(
  () => {
    console.log('try test passed');
    process.exit(0);
  },
  (err: unknown) => {
    console.error('try test FAILED:', err);
    process.exit(1);
  },
);
