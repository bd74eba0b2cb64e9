/**
 * Hostile model files given to `cnn-studio import`, run as a real process from a fresh bundle:
 * - a TF.js model.json whose weightsManifest names files outside its folder (`../secret.bin`,
 *   `../../etc/passwd`, an absolute path, a symlink inside the folder pointing outside) is refused
 *   with the path named, and nothing is read or written;
 * - layer class names that are Object.prototype members (`constructor`, `__proto__`, `toString`,
 *   `hasOwnProperty`) stop the import as unsupported layers, by name;
 * - whatever the layer names, an imported model passes its own schema check.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importKerasText, UnsupportedLayersError } from '../../src/core/import/kerasImport';
import { parseModelText, serializeModel } from '../../src/core/loader';
import { bundledCli } from './cliProcess.helpers';

const { tmp, run } = bundledCli('cnn-import-hostile-');

/** A TF.js layers model (Input [2,2,1] → Flatten → Dense 2: 10 float32 weights = 40 bytes) naming `paths` as its weight files. */
function modelJson(paths: string[], layers?: unknown[]): string {
  return JSON.stringify({
    format: 'layers-model',
    modelTopology: {
      model_config: {
        class_name: 'Sequential',
        config: {
          name: 'tiny',
          layers: layers ?? [
            { class_name: 'Flatten', config: { name: 'flat', batch_input_shape: [null, 2, 2, 1] } },
            { class_name: 'Dense', config: { name: 'out', units: 2, activation: 'softmax' } },
          ],
        },
      },
    },
    weightsManifest: [
      {
        paths,
        weights: [
          { name: 'out/kernel', shape: [4, 2], dtype: 'float32' },
          { name: 'out/bias', shape: [2], dtype: 'float32' },
        ],
      },
    ],
  });
}

describe('import never reads outside the folder of the model.json', () => {
  // 40 bytes: exactly what the manifest asks for, so today's code would decode and save them as weights.
  const secret = Buffer.from(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).buffer);

  const cases: { label: string; path: (caseDir: string) => string; setup?: (caseDir: string) => void }[] = [
    { label: 'a parent-relative path', path: () => '../secret.bin' },
    { label: 'a path climbing to /etc/passwd', path: () => '../../../../../../../../etc/passwd' },
    { label: 'an absolute path', path: (caseDir) => join(caseDir, 'secret.bin') },
    {
      label: 'a symlink inside the folder pointing outside',
      path: () => 'weights.bin',
      setup: (caseDir) => symlinkSync(join(caseDir, 'secret.bin'), join(caseDir, 'model', 'weights.bin')),
    },
  ];

  for (const [k, c] of cases.entries()) {
    it(`refuses ${c.label}, names it, and writes nothing`, () => {
      const caseDir = join(tmp, `case${k}`);
      mkdirSync(join(caseDir, 'model'), { recursive: true });
      writeFileSync(join(caseDir, 'secret.bin'), secret);
      c.setup?.(caseDir);
      const named = c.path(caseDir);
      writeFileSync(join(caseDir, 'model', 'model.json'), modelJson([named]));
      const out = join(caseDir, 'out', 'tiny.cnn.json');
      const r = run('import', join(caseDir, 'model', 'model.json'), '--out', out);
      assert.equal(r.code, 1, `exit code (stdout: ${r.stdout}, stderr: ${r.stderr})`);
      assert.ok(r.stderr.includes(`'${named}'`), `the message names the path: ${r.stderr}`);
      assert.match(r.stderr, /outside the folder of .*model\.json/);
      assert.doesNotMatch(r.stderr, /internal error/);
      assert.ok(!existsSync(join(caseDir, 'out')), 'nothing is written: no model file, no run');
    });
  }

  it('still imports weights named inside the folder (also through a subfolder and a symlink that stays inside)', () => {
    const caseDir = join(tmp, 'inside');
    mkdirSync(join(caseDir, 'model', 'shards'), { recursive: true });
    writeFileSync(join(caseDir, 'model', 'shards', 'w.bin'), secret);
    symlinkSync(join(caseDir, 'model', 'shards', 'w.bin'), join(caseDir, 'model', 'link.bin'));
    writeFileSync(join(caseDir, 'model', 'model.json'), modelJson(['./shards/../link.bin']));
    const r = run('import', join(caseDir, 'model', 'model.json'), '--out', join(caseDir, 'tiny.cnn.json'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Weights: 2 tensors saved as the run/);
  });
});

describe('layer class names that are Object.prototype members', () => {
  const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

  it('stop the import as unsupported layers by name; bridged, the model passes its own schema check', () => {
    for (const cls of names) {
      const text = modelJson(['w.bin'], [
        { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 2, 2, 1] } },
        { class_name: cls, config: { name: 'odd' } },
        { class_name: 'Flatten', config: { name: 'flat' } },
        { class_name: 'Dense', config: { name: 'out', units: 2, activation: cls } },
      ]);
      assert.throws(() => importKerasText(text), (err: Error) => err instanceof UnsupportedLayersError && err.message.includes(`'odd' (${cls}, layer 2 of 4)`), cls);
      const result = importKerasText(text, undefined, { bridge: true });
      assert.ok(
        result.notes.some((n) => n.layer === 'odd' && n.message.startsWith(`${cls} is not supported by CNN Studio and was removed`)),
        `${cls}: ${JSON.stringify(result.notes)}`,
      );
      assert.deepEqual(result.model.nodes.map((n) => n.type), ['Input', 'Flatten', 'Dense'], cls);
      assert.equal(result.model.nodes[2]!.params['activation'], 'linear', `${cls} as an activation is not a function name`);
      const reread = parseModelText(serializeModel(result.model));
      assert.deepEqual(reread.diagnostics.filter((d) => d.code === 'schema'), [], `${cls}: schema`);
      assert.ok(reread.model, cls);
    }
  });

  it('a file nested 100,000 levels deep is refused with a message, not a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const layers = `[{"class_name":"InputLayer","name":"in","config":{"name":"in","batch_shape":[null,2,2,1]},"inbound_nodes":[]},{"class_name":"Flatten","name":"f","config":{"name":"f"},"inbound_nodes":[{"args":${deep}}]}]`;
    const text = `{"class_name":"Functional","config":{"name":"deep","layers":${layers},"input_layers":["in",0,0],"output_layers":["f",0,0]}}`;
    assert.throws(() => importKerasText(text), /^KerasImportError: The file nests values more than 500 levels deep, which no Keras or TF\.js model file does/);
  });

  it('as optimizer and loss names fall back to the defaults with a note', () => {
    const json = JSON.parse(modelJson(['w.bin'])) as Record<string, unknown>;
    json['trainingConfig'] = { loss: 'constructor', optimizer_config: { class_name: 'toString', config: {} }, metrics: [] };
    const result = importKerasText(JSON.stringify(json));
    assert.equal(result.model.compile.optimizer, 'adam');
    assert.equal(result.model.compile.loss, 'sparseCategoricalCrossentropy');
    assert.ok(result.notes.some((n) => /Loss 'constructor' is not supported/.test(n.message)));
    assert.ok(result.notes.some((n) => /Optimizer 'toString' is not supported/.test(n.message)));
  });

  it('layer names that are not valid node ids are renamed, the model passes its schema check, and the CLI brings the weights along', () => {
    const caseDir = join(tmp, 'names');
    mkdirSync(caseDir, { recursive: true });
    const layers = [
      { class_name: 'InputLayer', config: { name: '__proto__', batch_input_shape: [null, 2, 2, 1] } },
      { class_name: 'Flatten', config: { name: 'constructor' } },
      { class_name: 'Dense', config: { name: 'dense 1/x', units: 2 } },
      { class_name: 'Dense', config: { name: '9out', units: 2, activation: 'softmax' } },
    ];
    const json = JSON.parse(modelJson(['w.bin'], layers)) as { weightsManifest: { weights: { name: string; shape: number[]; dtype: string }[] }[] };
    json.weightsManifest[0]!.weights = [
      { name: 'dense 1/x/kernel', shape: [4, 2], dtype: 'float32' },
      { name: 'dense 1/x/bias', shape: [2], dtype: 'float32' },
      { name: '9out/kernel', shape: [2, 2], dtype: 'float32' },
      { name: '9out/bias', shape: [2], dtype: 'float32' },
    ];
    const text = JSON.stringify(json);
    const result = importKerasText(text);
    const reread = parseModelText(serializeModel(result.model));
    assert.deepEqual(reread.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok(result.notes.some((n) => n.layer === 'dense 1/x' && /renamed/.test(n.message)), JSON.stringify(result.notes));
    writeFileSync(join(caseDir, 'model.json'), text);
    writeFileSync(join(caseDir, 'w.bin'), Buffer.from(new Float32Array(16).fill(0.5).buffer));
    const r = run('import', join(caseDir, 'model.json'), '--out', join(caseDir, 'n.cnn.json'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Weights: 4 tensors saved as the run/);
    const runsRoot = join(caseDir, '.cnn-studio', 'runs');
    assert.equal(readdirSync(runsRoot).length, 1);
    assert.ok(readFileSync(join(caseDir, 'n.cnn.json'), 'utf8').includes('"type": "Dense"'));
  });
});
