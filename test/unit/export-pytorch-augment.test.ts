/**
 * The PyTorch export's random image transforms (RandomRotation, RandomZoom, RandomTranslation) do in
 * training what the engine does: with the same random draws (torch.rand replaced by fixed values), the
 * exported module's output equals the engine's (Keras' matrices, TF's sampling) for every fill mode and
 * interpolation; in eval mode it is the identity.
 *
 * Skipped only when no python3 with torch is installed AND `CI` is unset (CI installs python3-torch).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { generatePytorchScript } from '../../src/core/codegen/pytorch';
import { affineTransform, type FillMode, type TransformInterpolation } from '../../src/engine/model/imageTransform';
import { kerasTransformRows } from '../../src/engine/model/randomTransformLayers';
import { coverageModels } from './export-coverage.helpers';
import { findPythonWith } from './python.helpers';

const python = findPythonWith('torch');
const skip = python === null && !process.env['CI'] ? 'python3-torch is not installed (apt-get install python3-torch)' : false;

/** Loads the exported script, builds the transform with the case's args, feeds it fixed draws, prints its outputs. */
const RUNNER = `
import importlib.util, json, sys
import torch
spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
out = []
for case in json.load(open(sys.argv[2])):
    draws = [torch.tensor(d, dtype=torch.float32) for d in case["uniforms"]]
    torch.rand = lambda n, device=None: draws.pop(0)
    layer = module.KerasRandomTransform(*case["args"])
    x = torch.tensor(case["image"], dtype=torch.float32)
    layer.eval()
    same = bool(torch.equal(layer(x), x))
    layer.train()
    out.append({"train": layer(x).tolist(), "evalIsIdentity": same})
print(json.dumps(out))
`;

interface Case {
  kind: 'rotation' | 'zoom' | 'translation';
  heightFactor: number;
  widthFactor: number | null;
  fillMode: FillMode;
  interpolation: TransformInterpolation;
  fillValue: number;
}

describe('PyTorch export of the random image transforms', { skip }, () => {
  it('samples each training image as the engine does, for every fill mode and interpolation; the identity in eval mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnn-torch-aug-'));
    try {
      const model = coverageModels().find((m) => m.name === 'noise-resizing')!;
      const script = generatePytorchScript(model);
      assert.match(script, /KerasRandomTransform\("rotation", 0\.2, None, "reflect", "bilinear", 0\.0\)/, 'the exported RandomRotation');
      assert.match(script, /KerasRandomTransform\("zoom", 0\.3, None, "constant", "nearest", 0\.5\)/, 'a RandomZoom keeping the aspect ratio');
      const file = join(dir, 'augment.py');
      writeFileSync(file, script);
      const [n, h, w, c] = [3, 5, 7, 2];
      const image = tf.tensor4d(Array.from({ length: n * h * w * c }, (_, i) => Math.sin(i * 1.7) * 3), [n, h, w, c]);
      const cases: Case[] = [];
      for (const fillMode of ['reflect', 'wrap', 'constant', 'nearest'] as const) {
        for (const interpolation of ['bilinear', 'nearest'] as const) {
          cases.push({ kind: 'rotation', heightFactor: 0.3, widthFactor: null, fillMode, interpolation, fillValue: 0.5 });
          cases.push({ kind: 'zoom', heightFactor: 0.6, widthFactor: null, fillMode, interpolation, fillValue: -1 });
          cases.push({ kind: 'zoom', heightFactor: 0.4, widthFactor: 0.7, fillMode, interpolation, fillValue: 0 });
          cases.push({ kind: 'translation', heightFactor: 0.5, widthFactor: 0.9, fillMode, interpolation, fillValue: 2 });
        }
      }
      // Uniform draws in [0, 1) per image (one column per draw the layer makes), and the engine's output for them.
      const next = (k: number): number[] => Array.from({ length: n }, (_, i) => ((k * 7 + i * 3) % 11) / 11);
      const expected: number[][][][][] = [];
      const payload = cases.map((cs, k) => {
        const uniforms = cs.kind === 'rotation' || (cs.kind === 'zoom' && cs.widthFactor === null) ? [next(k)] : [next(k), next(k + 5)];
        const draw = (u: number[], factor: number): tf.Tensor2D => tf.tensor2d(u.map((v) => [(v * 2 - 1) * factor]));
        const rows =
          cs.kind === 'rotation'
            ? kerasTransformRows.rotation(tf, draw(uniforms[0]!, cs.heightFactor).mul(2 * Math.PI) as tf.Tensor2D, h, w)
            : cs.kind === 'zoom'
              ? kerasTransformRows.zoom(tf, draw(uniforms[0]!, cs.heightFactor).add(1) as tf.Tensor2D, draw(uniforms[uniforms.length - 1]!, cs.widthFactor ?? cs.heightFactor).add(1) as tf.Tensor2D, h, w)
              : kerasTransformRows.translation(tf, draw(uniforms[0]!, cs.heightFactor).mul(h) as tf.Tensor2D, draw(uniforms[1]!, cs.widthFactor!).mul(w) as tf.Tensor2D);
        expected.push(affineTransform(tf, image, rows, cs.interpolation, cs.fillMode, cs.fillValue).arraySync());
        return { uniforms, args: [cs.kind, cs.heightFactor, cs.widthFactor, cs.fillMode, cs.interpolation, cs.fillValue], image: image.transpose([0, 3, 1, 2]).arraySync() };
      });
      const casesFile = join(dir, 'cases.json');
      writeFileSync(casesFile, JSON.stringify(payload));
      const out = JSON.parse(execFileSync(python!, ['-c', RUNNER, file, casesFile], { encoding: 'utf8', maxBuffer: 64 << 20 })) as { train: number[][][][]; evalIsIdentity: boolean }[];
      cases.forEach((cs, k) => {
        const label = `${cs.kind} ${cs.fillMode} ${cs.interpolation}${cs.widthFactor === null ? '' : ' with a width factor'}`;
        assert.ok(out[k]!.evalIsIdentity, `${label}: identity in eval mode`);
        let maxErr = 0;
        out[k]!.train.forEach((img, b) => img.forEach((plane, ch) => plane.forEach((row, y) => row.forEach((v, x) => (maxErr = Math.max(maxErr, Math.abs(v - expected[k]![b]![y]![x]![ch]!)))))));
        assert.ok(maxErr < 1e-4, `${label}: PyTorch differs from the engine by ${maxErr}`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
