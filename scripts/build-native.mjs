// Builds CNN Studio's native kernel addon (native/, N-API on OpenBLAS) with node-gyp and puts it beside
// the bundles as dist/native/cnn_native.node. Called by scripts/build.mjs. Linux x64 only for now (see
// docs/native-kernels.md for macOS and Windows). Without libopenblas-dev the addon is skipped with a
// note and the engine runs on plain wasm, except in CI, where a missing addon is an error (its tests
// must run). Rebuilds only when a source is newer than the built addon.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const CBLAS_HEADERS = ['/usr/include/x86_64-linux-gnu/cblas.h', '/usr/include/cblas.h', '/usr/include/openblas/cblas.h'];

function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && existsSync(c));
}

/** Node's own headers, when installed next to the binary (Debian/NodeSource packages): no download. */
function nodeDir() {
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function newestSource(dir) {
  let t = statSync(join(dir, 'binding.gyp')).mtimeMs;
  for (const f of readdirSync(join(dir, 'src'))) t = Math.max(t, statSync(join(dir, 'src', f)).mtimeMs);
  return t;
}

/** @returns {string} what happened, for the build's log line */
export function buildNative(root) {
  const dir = join(root, 'native');
  const built = join(dir, 'build', 'Release', 'cnn_native.node');
  const dest = join(root, 'dist', 'native', 'cnn_native.node');
  const skip = (why) => {
    if (process.env.CI === 'true') throw new Error(`native kernels: ${why}`);
    return `native kernels skipped: ${why}`;
  };
  if (process.platform !== 'linux' || process.arch !== 'x64') return skip(`not built on ${process.platform}-${process.arch} yet`);
  if (!CBLAS_HEADERS.some((h) => existsSync(h))) return skip('cblas.h not found (install libopenblas-dev: bash scripts/install.sh)');
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource(dir)) {
    const gyp = nodeGypScript();
    if (!gyp) return skip('node-gyp not found (it comes with npm)');
    const args = [gyp, 'rebuild', '--silent'];
    const nd = nodeDir();
    if (nd) args.push(`--nodedir=${nd}`);
    try {
      execFileSync(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      const stderr = String(err.stderr ?? err.message).trim().split('\n').slice(-8).join('\n');
      return skip(`node-gyp failed:\n${stderr}`);
    }
  }
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(built, dest);
  return 'native kernels built (dist/native/cnn_native.node)';
}
