// Platform VSIXs: `node scripts/package-targets.mjs [target ...]` (default: every target below) builds once,
// then packages one VSIX per VS Code target into vsix/, each carrying only ITS native binaries: Dawn's
// dawn.node (the optional `webgpu` package ships all five, ~21 MB each) and sharp's prebuilt libvips.
// Prints each VSIX's size.
//
// How: each target is packaged from a staging folder holding what .vscodeignore lets into the VSIX plus
// that target's binaries. Its package.json declares only the runtime packages that stay outside the
// bundles (sharp, webgpu), so vsce's `npm list --production` sees exactly those. sharp's binaries for a
// platform other than this machine's come from the npm registry (`npm pack`, cached in .cache/vsix-deps).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** VS Code target -> the folder of node_modules/webgpu/dist holding its dawn.node. */
const TARGETS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-universal',
  'darwin-arm64': 'darwin-universal',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};
/** CNN Studio's own N-API kernels are built for the build machine only (scripts/build-native.mjs). */
const NATIVE_KERNELS_TARGET = `${process.platform}-${process.arch}`;

const wanted = process.argv.slice(2);
for (const t of wanted) if (!(t in TARGETS)) throw new Error(`unknown target '${t}': choose from ${Object.keys(TARGETS).join(', ')}`);
const targets = wanted.length ? wanted : Object.keys(TARGETS);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const sharpPkg = JSON.parse(readFileSync(join(root, 'node_modules/sharp/package.json'), 'utf8'));
const webgpuPkg = JSON.parse(readFileSync(join(root, 'node_modules/webgpu/package.json'), 'utf8'));
const outDir = join(root, 'vsix');
const cacheDir = join(root, '.cache/vsix-deps');
mkdirSync(outDir, { recursive: true });
mkdirSync(cacheDir, { recursive: true });

const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

run('npm', ['run', '-s', 'build'], root);

/** node_modules/<name> of a sharp platform package: from this machine's install, else from the registry. */
function sharpPlatformPackage(name, version) {
  const local = join(root, 'node_modules', name);
  if (existsSync(join(local, 'package.json')) && JSON.parse(readFileSync(join(local, 'package.json'), 'utf8')).version === version) return local;
  const unpacked = join(cacheDir, `${name.replace('/', '+')}@${version}`);
  if (!existsSync(join(unpacked, 'package.json'))) {
    const tgz = run('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', cacheDir], cacheDir).trim().split('\n').pop();
    mkdirSync(unpacked, { recursive: true });
    run('tar', ['-xzf', join(cacheDir, tgz), '-C', unpacked, '--strip-components=1'], cacheDir);
    rmSync(join(cacheDir, tgz));
  }
  return unpacked;
}

const sizes = [];
for (const target of targets) {
  const stage = join(root, '.cache/vsix-stage', target);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'node_modules/@img'), { recursive: true });
  for (const f of ['README.md', 'LICENSE', 'LICENSE.md', 'CHANGELOG.md', '.vscodeignore', 'dist', 'media']) {
    if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
  }
  if (target !== NATIVE_KERNELS_TARGET) rmSync(join(stage, 'dist/native'), { recursive: true, force: true });

  // The runtime packages outside the bundles, for this target only.
  for (const dep of ['sharp', 'detect-libc', 'semver', '@img/colour']) cpSync(join(root, 'node_modules', dep), join(stage, 'node_modules', dep), { recursive: true });
  const sharpBinaries = Object.entries(sharpPkg.optionalDependencies).filter(([name]) => name === `@img/sharp-${target}` || name === `@img/sharp-libvips-${target}`);
  for (const [name, version] of sharpBinaries) cpSync(sharpPlatformPackage(name, version), join(stage, 'node_modules', name), { recursive: true });
  const dawnDir = `dist/${TARGETS[target]}`;
  for (const f of ['index.js', 'LICENSE.md', dawnDir]) cpSync(join(root, 'node_modules/webgpu', f), join(stage, 'node_modules/webgpu', f), { recursive: true });
  // index.js needs only Node's own modules at run time; its dependencies (types, build tools) stay out.
  const { dependencies: _wd, scripts: _ws, ...webgpuManifest } = webgpuPkg;
  writeFileSync(join(stage, 'node_modules/webgpu/package.json'), JSON.stringify(webgpuManifest, null, 2));

  const { devDependencies: _dev, optionalDependencies: _opt, dependencies: _deps, scripts: _scripts, ...manifest } = pkg;
  manifest.dependencies = { sharp: sharpPkg.version };
  manifest.optionalDependencies = { webgpu: webgpuPkg.version };
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
  // .vscodeignore keeps node_modules out except sharp's; let this target's Dawn in too.
  const ignore = readFileSync(join(stage, '.vscodeignore'), 'utf8');
  writeFileSync(
    join(stage, '.vscodeignore'),
    `${ignore}\n# Dawn for WebGPU, this target's build only (scripts/package-targets.mjs)\n` +
      `!node_modules/webgpu/package.json\n!node_modules/webgpu/index.js\n!node_modules/webgpu/LICENSE.md\n!node_modules/webgpu/${dawnDir}/**\n`,
  );

  const out = join(outDir, `cnn-studio-${pkg.version}-${target}.vsix`);
  run(join(root, 'node_modules/.bin/vsce'), ['package', '--target', target, '--out', out], stage);
  const mb = statSync(out).size / 1048576;
  sizes.push(`${target.padEnd(14)}${mb.toFixed(1).padStart(7)} MB  ${out}`);
}
process.stdout.write(`VSIX per target:\n${sizes.join('\n')}\n`);
