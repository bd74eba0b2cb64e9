/**
 * The dependency arrows of DEVELOPERS.md, checked by reading every import:
 * - core imports only core (no vscode, no DOM-only code, no tfjs, no Node built-ins), so it runs anywhere;
 * - protocol imports only core and protocol;
 * - webview code never imports vscode, the extension host, the engine, the CLI or Node built-ins;
 * - only src/extension imports `vscode`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import test from 'node:test';
import { LAYER_CATALOGUE } from '../../src/core/catalogue';

const root = resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file imports or requires. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re = /(?:^|[^.\w])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^.\w])require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return specs;
}

/** The repo-relative folder a relative import lands in, or the package name for a bare one. */
function target(file: string, spec: string): { kind: 'local'; path: string } | { kind: 'package'; name: string } {
  if (spec.startsWith('.')) return { kind: 'local', path: relative(root, resolve(dirname(file), spec)) };
  return { kind: 'package', name: spec };
}

const isNodeBuiltin = (name: string): boolean => name.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'zlib', 'crypto', 'url', 'util', 'events', 'stream'].includes(name);

function violations(dir: string, allowedLocal: (path: string) => boolean, allowedPackage: (name: string) => boolean): string[] {
  const bad: string[] = [];
  for (const file of sourceFiles(join(root, dir))) {
    for (const spec of importsOf(file)) {
      const t = target(file, spec);
      const ok = t.kind === 'local' ? allowedLocal(t.path) : allowedPackage(t.name);
      if (!ok) bad.push(`${relative(root, file)} imports '${spec}'`);
    }
  }
  return bad;
}

test('core imports only core (and ajv\'s runtime helpers for the precompiled validator)', () => {
  const bad = violations(
    'src/core',
    (p) => p.startsWith('src/core'),
    (name) => name === 'ajv' || name.startsWith('ajv/dist/runtime/'),
  );
  assert.deepEqual(bad, []);
});

test('protocol imports only core and protocol', () => {
  const bad = violations('src/protocol', (p) => p.startsWith('src/core') || p.startsWith('src/protocol'), () => false);
  assert.deepEqual(bad, []);
});

test('webview code never imports vscode, the host, the engine, the CLI or Node built-ins', () => {
  const bad = violations(
    'webview',
    (p) => p.startsWith('webview') || p.startsWith('src/core') || p.startsWith('src/protocol'),
    (name) => name !== 'vscode' && !isNodeBuiltin(name) && !name.startsWith('@tensorflow/'),
  );
  assert.deepEqual(bad, []);
});

test('only the extension host imports vscode', () => {
  const bad: string[] = [];
  for (const dir of ['src/core', 'src/protocol', 'src/engine', 'src/cli', 'webview']) {
    bad.push(...violations(dir, () => true, (name) => name !== 'vscode'));
  }
  assert.deepEqual(bad, []);
});

test('the engine and the CLI never import the extension host or webview code', () => {
  const bad: string[] = [];
  for (const dir of ['src/engine', 'src/cli']) {
    bad.push(...violations(dir, (p) => !p.startsWith('src/extension') && !p.startsWith('webview'), () => true));
  }
  assert.deepEqual(bad, []);
});

/* ------------------------------------------------------------------------------------------------ */
/* Single places: a rule that several layers need is written once, and everyone else imports it.      */
/* ------------------------------------------------------------------------------------------------ */

const SOURCE_DIRS = ['src', 'webview'];

/** Repo-relative source files (generated code left out) whose text matches `re`. */
function filesMatching(re: RegExp): string[] {
  return SOURCE_DIRS.flatMap((dir) => sourceFiles(join(root, dir)))
    .filter((file) => !file.includes(`${join('src', 'core', 'generated')}`) && re.test(readFileSync(file, 'utf8')))
    .map((file) => relative(root, file))
    .sort();
}

test('the node-id rule is written once, in core/nodeIds.ts (a pattern anchored on a leading letter)', () => {
  assert.deepEqual(filesMatching(/['"`/]\^\[A-Za-z/), ['src/core/nodeIds.ts']);
});

test('graph queries (order, readers, reachability, cycles) are written once, in core/graph.ts', () => {
  // The marks of a hand-written graph walk: Kahn's ready list or passes over "inputs all done", a
  // depth-first `visit` with a done set, Tarjan's low links, a consumers list being built, and scanning
  // every node's inputs to find who reads a node.
  const walks = [
    /\bready\.(?:splice|shift|pop)\(/,
    /\.inputs\.every\(\(\w+\) => done\.has/,
    /\bdone\.add\(\w+\)[\s\S]{0,200}\bvisit\(/,
    /\blow\.set\(/,
    /\bconsumers\.(?:set|push)\(/,
    /nodes\.(?:filter|some|find)\(\((\w+)\) => \1\.inputs\.(?:includes|some)\(/,
    /for \(const (\w+) of [\w.]*nodes\) if \(\1\.inputs\.includes\(/,
  ];
  for (const walk of walks) {
    const outside = filesMatching(walk).filter((f) => f !== 'src/core/graph.ts');
    assert.deepEqual(outside, [], `${String(walk)}: use ModelGraph from src/core/graph.ts`);
  }
});

test('"load, analyse, list each problem once" is written once, in core/checkModel.ts', () => {
  assert.deepEqual(filesMatching(/\$\{d\.code\}\|\$\{d\.nodeId\}/), ['src/core/checkModel.ts'], 'dedupe diagnostics with mergeDiagnostics');
  assert.deepEqual(filesMatching(/\.push\(\.\.\.analyzeModel\(/), [], 'merge load and analysis diagnostics with checkModel');
});

test('model facts (image format of the Input, "rescales itself") are written once, in core/modelFacts.ts', () => {
  assert.deepEqual(filesMatching(/'grayscale' : 'rgb'|'rgb' : 'grayscale'/), ['src/core/modelFacts.ts']);
  assert.deepEqual(filesMatching(/=== 'Rescaling'/), ['src/core/modelFacts.ts']);
});

test('each list of names is declared once beside its union (optimizers, losses, dataset kinds, backends)', () => {
  assert.deepEqual(filesMatching(/\['adam', 'sgd'/), ['src/core/format.ts']);
  assert.deepEqual(filesMatching(/'sparseCategoricalCrossentropy', 'categoricalCrossentropy'/), ['src/core/format.ts']);
  assert.deepEqual(filesMatching(/'imageFolder', 'mnistIdx'/), ['src/core/format.ts']);
  assert.deepEqual(filesMatching(/\['(?:auto', ')?tensorflow', '/), ['src/protocol/engine.ts']);
  assert.deepEqual(filesMatching(/\btype BackendPreference =/), ['src/protocol/engine.ts']);
});

test('the version is read from package.json, not written in the code', () => {
  assert.deepEqual(filesMatching(/VERSION\s*=\s*['"]\d+\.\d+\.\d+/), []);
});

test('model documents are written in one place, extension/model/documentEdit.ts', () => {
  assert.deepEqual(filesMatching(/new vscode\.WorkspaceEdit\(|workspace\.applyEdit\(/), ['src/extension/model/documentEdit.ts']);
  assert.deepEqual(filesMatching(/\bapplyModelEdit\(/).filter((f) => f.startsWith('src/extension')), ['src/extension/model/modelTextEdit.ts'], 'an edit is parsed and applied once, by modelTextEdit');
});

test('"insert a layer after" and the quick fixes are one rule, in core/quickFixEdit.ts', () => {
  assert.deepEqual(filesMatching(/consumersOf\(afterId\)/), ['src/core/quickFixEdit.ts']);
  assert.deepEqual(filesMatching(/case 'setCompile':/), ['src/core/quickFixEdit.ts']);
});

test("a layer's facts (Keras class and param names, id prefixes, short names, feature maps) are written once, in core/catalogue.ts", () => {
  const catalogue = 'src/core/catalogue.ts';
  const specs = [...LAYER_CATALOGUE.values()];
  const layerNames = [...new Set(specs.flatMap((s) => [s.type, s.kerasName, ...(s.kerasAliases ?? [])]))];
  const names = layerNames.join('|');
  // A per-layer table: three or more lines that map a layer name to a string (`Conv2D: 'conv',`,
  // `['Conv2D', 'conv'],`, `Convolution2D: 'Conv2D',`), or a list of three or more layer names.
  const tableLine = new RegExp(`^\\s*\\[?\\s*['"]?(?:${names})['"]?\\s*[:,]\\s*['"]`, 'gm');
  const nameList = new RegExp(`\\[(?:\\s*['"](?:${names})['"]\\s*,){2,}\\s*['"](?:${names})['"]`);
  const tables = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(root, dir)))
    .filter((file) => {
      const text = readFileSync(file, 'utf8');
      return (text.match(tableLine)?.length ?? 0) >= 3 || nameList.test(text);
    })
    .map((file) => relative(root, file))
    // Lists of what a rule does per layer, not facts of the layer: the generated schema validator's
    // enum, shape inference's value-preserving layers, the receptive-field walk's windowed layers.
    .filter((f) => ![catalogue, 'src/core/generated/modelSchemaValidator.js', 'src/core/shapeInference.ts', 'src/engine/eval/cellGeometry.ts'].includes(f));
  assert.deepEqual(tables, [], 'keep per-layer facts in the catalogue (LayerSpec fields) and read them with getLayerSpec');
  // A hand-written camelCase ↔ Keras snake_case mapping: a file naming both spellings of a param.
  const pairs = new Set(specs.flatMap((s) => Object.entries(s.params).filter(([n, p]) => p.keras.name !== n).map(([n, p]) => `${n} ${p.keras.name}`)));
  for (const pair of pairs) {
    const [camel, snake] = pair.split(' ') as [string, string];
    const mentions = (name: string): RegExp => new RegExp(`['"]${name}['"]|^\\s*${name}\\s*:|[{,]\\s*${name}\\s*:`, 'm');
    const both = filesMatching(mentions(snake)).filter((f) => f !== catalogue && mentions(camel).test(readFileSync(join(root, f), 'utf8')));
    assert.deepEqual(both, [], `${camel} ↔ ${snake}: read the Keras name from the catalogue (ParamSpec.keras.name)`);
  }
});

test('settings edits are typed: no untyped "path + value" setting edit, and one settings check (core/settingsCheck.ts)', () => {
  assert.deepEqual(filesMatching(/kind: 'setSetting'/), [], 'use setCompileSettings / setTrainingSettings / setDataset');
  assert.deepEqual(filesMatching(/generated\/settingsSchemaValidator'/), ['src/core/settingsCheck.ts']);
});

test('the designer page is split by job: only the edit channel posts edits, and app.ts stays a coordinator', () => {
  // The one-edit-in-flight protocol holds only if nothing else sends an edit past it.
  assert.deepEqual(filesMatching(/type: 'edit',/).filter((f) => f.startsWith('webview/')), ['webview/designer/editChannel.ts']);
  // Document-level listeners belong to the part they serve (keys, clipboard), not to the coordinator.
  const app = readFileSync(join(root, 'webview/designer/app.ts'), 'utf8');
  assert.doesNotMatch(app, /addEventListener\('(?:keydown|copy|cut|paste)'/);
  const lines = app.split('\n').length;
  assert.ok(lines <= 400, `webview/designer/app.ts has ${lines} lines: move a job into its own file (see editChannel, selection, derive, editActions, keys, clipboard)`);
});

test('"which model is meant" is decided once, in extension/model/modelResolver.ts', () => {
  assert.deepEqual(filesMatching(/TabInputCustom|window\.activeTextEditor|\.activeDocumentUri\(\)/).filter((f) => f.startsWith('src/extension')), [
    'src/extension/model/modelResolver.ts',
  ]);
  // A model file is recognised by isModelUri (case-insensitive), never by a suffix check of its own.
  assert.deepEqual(filesMatching(/endsWith\(['"]\.cnn\.json['"]\)/).filter((f) => f.startsWith('src/extension')), []);
});

test('webview pages are rendered in one place, extension/webviewPage.ts (nonce, asset URIs, reload watchdog)', () => {
  assert.deepEqual(filesMatching(/randomBytes\(|asWebviewUri\(|localResourceRoots/).filter((f) => f.startsWith('src/')), ['src/extension/webviewPage.ts']);
});

test('disposables are kept by the one Disposable base (extension/dispose.ts), not hand-rolled arrays', () => {
  assert.deepEqual(filesMatching(/disposables(?:\.push\(|: vscode\.Disposable\[\])/).filter((f) => f !== 'src/extension/dispose.ts'), []);
});

test('the three webview protocols are named alike: XToHost / HostToX, validated by parseXToHost / parseHostToX returning a ParseResult', () => {
  for (const [file, x] of [['designer', 'Designer'], ['sidebar', 'Sidebar'], ['dashboard', 'Dashboard']] as const) {
    const text = readFileSync(join(root, 'src/protocol', `${file}.ts`), 'utf8');
    for (const name of [`type ${x}ToHost\\b`, `type HostTo${x}\\b`, `function parse${x}ToHost\\(raw: unknown\\): ParseResult<${x}ToHost>`, `function parseHostTo${x}\\(raw: unknown\\): ParseResult<HostTo${x}>`]) {
      assert.match(text, new RegExp(`export ${name}`), `${file}.ts exports ${name}`);
    }
  }
  assert.deepEqual(filesMatching(/export function parse\w*Message\(|WebviewToHost\b|DashboardWebviewMessage|DashboardHostMessage/), []);
});

test('the shared type guards live in core/guards.ts', () => {
  // The Keras importer's `isObj` narrows its own `Json` type, not `unknown`: it is not one of these.
  const guards = filesMatching(/const (?:isObj|isStr|isRecord|isInt|isFiniteNum)\s*=|function (?:isRecord|nonEmptyString|isParamValue)\(/);
  assert.deepEqual(guards.filter((f) => !f.startsWith('src/core/import/')), ['src/core/guards.ts']);
});
