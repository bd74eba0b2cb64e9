"""Checks the VSIX that `npm run package` made is ready to publish (Marketplace and Open VSX).

    python3 test/vscode/check_vsix.py <file.vsix>        (run by scripts/test-vscode.sh)

Present: the manifest, LICENSE, CHANGELOG, README, a 128x128 PNG icon, every bundle the build made, the
native kernel addon the build made, the wasm binaries and sharp with its native binary. Absent: sources, tests, caches, source maps, screenshots
and the JS dependencies that the bundles already contain. The manifest points at the repository, and
every relative link of the README was rewritten to an absolute URL naming a file that is in the repository.
Prints the size; exits 1 with the list of problems otherwise.
"""
import glob
import json
import os
import re
import struct
import subprocess
import sys
import zipfile

vsix = sys.argv[1]
repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
archive = zipfile.ZipFile(vsix)
names = archive.namelist()
problems = []


def read(name):
    return archive.read(name) if name in names else b''


def relpaths(pattern):
    return ['extension/' + os.path.relpath(p, repo) for p in glob.glob(os.path.join(repo, pattern))]


must = ['extension/package.json', 'extension/LICENSE.txt', 'extension/changelog.md', 'extension/readme.md',
        'extension/media/cnn-studio.svg', 'extension/node_modules/sharp/package.json']
must += relpaths('dist/*.js') + relpaths('dist/webview/*.js') + relpaths('dist/webview/*.css') + relpaths('dist/wasm/*.wasm')
# the native kernel addon, wherever the build made one (linux-x64 with libopenblas-dev; CI always)
must += relpaths('dist/native/*.node')
problems += [f'missing {m}' for m in must if m not in names]
if len([n for n in names if n.startswith('extension/dist/wasm/') and n.endswith('.wasm')]) < 3:
    problems.append('fewer than 3 wasm binaries in dist/wasm')
if not any(re.match(r'extension/node_modules/@img/sharp-[^/]+/lib/sharp-.*\.node$', n) for n in names):
    problems.append("sharp's native binary (node_modules/@img/sharp-<platform>/lib/*.node) is missing")

never = [r'^extension/(src|test|webview|bench|scripts|out|\.cache|test-results|\.ci|\.vscode)/',
         r'^extension/media/screenshots/', r'\.map$', r'(?<!\.d)\.ts$', r'\.vsix$', r'^extension/tsconfig',
         r'^extension/node_modules/(@tensorflow|typescript|playwright-core|esbuild|@esbuild|mocha|tsx|@vscode)/']
leaked = sorted(n for n in names if any(re.search(p, n) for p in never))
problems += [f'should not ship {n}' for n in leaked[:20]]

manifest = json.loads(read('extension/package.json') or b'{}')
icon = 'extension/' + manifest.get('icon', '')
if icon not in names:
    problems.append(f'package.json names the icon {manifest.get("icon")!r}, which is not in the VSIX')
else:
    png = read(icon)
    if png[:8] != b'\x89PNG\r\n\x1a\n' or struct.unpack('>II', png[16:24]) != (128, 128):
        problems.append(f'{manifest["icon"]} is not a 128x128 PNG')
for field in ('repository', 'bugs', 'homepage', 'galleryBanner'):
    if not manifest.get(field):
        problems.append(f'package.json has no {field}')
if manifest.get('license') != 'MIT' or b'MIT License' not in read('extension/LICENSE.txt'):
    problems.append('package.json and LICENSE do not both say MIT')

# vsce rewrites the README's relative links against the repository: .../raw/HEAD/<path> for images,
# .../blob/HEAD/<path> for links. Each must name a file that is in this checkout.
readme = read('extension/readme.md').decode('utf-8')
repository = manifest.get('repository') or ''
repo_url = re.sub(r'\.git$', '', repository['url'] if isinstance(repository, dict) else repository)
targets = re.findall(r'\]\(([^)\s]+)', readme) + re.findall(r'<img[^>]+src="([^"]+)"', readme)
images = 0
for target in targets:
    if target.startswith('#') or target.startswith('mailto:'):
        continue
    m = re.match(re.escape(repo_url) + r'/(?:raw|blob)/HEAD/(.+)$', target)
    if m:
        images += '/raw/' in target
        tracked = subprocess.run(['git', '-C', repo, 'ls-files', '--error-unmatch', m.group(1)], capture_output=True).returncode == 0
        if not tracked:
            problems.append(f'the README links {target}, but {m.group(1)} is not committed to the repository')
    elif not re.match(r'https://', target):
        problems.append(f'the README link {target} will not resolve when published')
if images == 0:
    problems.append('the README shows no image from the repository (is the screenshot link gone?)')

size = os.path.getsize(vsix)
print(f'VSIX {os.path.basename(vsix)}: {len(names)} files, {size / 1e6:.1f} MB compressed, '
      f'{sum(i.file_size for i in archive.infolist()) / 1e6:.1f} MB unpacked; README images: {images}')
if problems:
    print('VSIX is not ready to publish:\n  ' + '\n  '.join(problems))
    sys.exit(1)
print('VSIX check passed')
