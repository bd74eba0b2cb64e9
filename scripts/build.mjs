// One esbuild script, one bundle per runtime. `node scripts/build.mjs [--watch] [--minify]`.
// Runtimes whose entry file does not exist yet are skipped, so the tree builds at every step.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, cpSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderIcon } from './icon.mjs';
import { buildNative } from './build-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

// Native or optional modules stay outside the bundles and are loaded from node_modules at run time.
const nodeExternals = ['vscode', 'sharp', '@tensorflow/tfjs-node', 'webgpu'];

/** @type {Array<{name: string, entry: string, outfile: string, platform: 'node' | 'browser', banner?: string}>} */
const runtimes = [
  { name: 'extension host', entry: 'src/extension/main.ts', outfile: 'dist/extension.js', platform: 'node' },
  { name: 'engine process', entry: 'src/engine/process/main.ts', outfile: 'dist/engine.js', platform: 'node' },
  { name: 'cli', entry: 'src/cli/main.ts', outfile: 'dist/cli.js', platform: 'node', banner: '#!/usr/bin/env node' },
  { name: 'designer webview', entry: 'webview/designer/main.ts', outfile: 'dist/webview/designer.js', platform: 'browser' },
  { name: 'sidebar webview', entry: 'webview/sidebar/main.ts', outfile: 'dist/webview/sidebar.js', platform: 'browser' },
  { name: 'dashboard webview', entry: 'webview/dashboard/main.ts', outfile: 'dist/webview/dashboard.js', platform: 'browser' },
  { name: 'extension-host tests', entry: 'test/vscode/index.ts', outfile: 'out/test/index.js', platform: 'node' },
];

function optionsFor(rt) {
  const common = {
    entryPoints: [join(root, rt.entry)],
    outfile: join(root, rt.outfile),
    bundle: true,
    sourcemap: true,
    minify,
    logLevel: 'warning',
    // mocha (bundled into the extension-host tests) resolves its parallel-mode files at run time; we run serially.
    logOverride: { 'require-resolve-not-external': 'silent' },
    target: rt.platform === 'node' ? 'node20' : 'chrome120',
    loader: { '.css': 'css', '.ttf': 'file', '.woff2': 'file' },
  };
  if (rt.platform === 'node') {
    return { ...common, platform: 'node', format: 'cjs', external: nodeExternals, banner: rt.banner ? { js: rt.banner } : undefined };
  }
  return { ...common, platform: 'browser', format: 'iife' };
}

/** tfjs' wasm backend loads its .wasm binaries from disk at run time: ship them beside the bundles. */
function copyWasmBinaries() {
  const src = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  const dest = join(root, 'dist/wasm');
  mkdirSync(dest, { recursive: true });
  for (const f of readdirSync(src)) if (f.endsWith('.wasm')) cpSync(join(src, f), join(dest, f));
}

const active = runtimes.filter((rt) => existsSync(join(root, rt.entry)));
const started = Date.now();
copyWasmBinaries();
await renderIcon(root);
console.log(buildNative(root));
if (watch) {
  for (const rt of active) {
    const ctx = await esbuild.context(optionsFor(rt));
    await ctx.watch();
  }
  console.log(`watching ${active.length} bundles`);
} else {
  await Promise.all(active.map((rt) => esbuild.build(optionsFor(rt))));
  console.log(`built ${active.map((r) => r.name).join(', ')} in ${Date.now() - started} ms`);
}
