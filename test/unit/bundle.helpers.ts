/**
 * Builds one runtime entry the way scripts/build.mjs does (node, cjs, natives external), for tests that
 * run a real process from a fresh bundle instead of a possibly stale dist/.
 */
import { join } from 'node:path';
import { build } from 'esbuild';

const repo = join(__dirname, '..', '..');

export async function bundleNodeEntry(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(repo, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'sharp', '@tensorflow/tfjs-node', 'webgpu'],
    logLevel: 'error',
    // A bundle outside the repo still resolves the external modules from the repo's node_modules.
    nodePaths: [join(repo, 'node_modules')],
  });
}
