/** A real run for the export tests: `mnist-small` (or another model) trained for one epoch by the engine on a shapes dataset. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ModelFile } from '../../src/core/format';
import { serializeModel } from '../../src/core/loader';
import { createModelFromTemplate } from '../../src/core/templates';
import { prepareTraining, runPrepared } from '../../src/engine/train/session';

/**
 * Trains in `dir` on the images in `data`, read at the model's input size (one channel: grayscale, else
 * RGB); returns the run folder (tfjs is back on `cpu`).
 */
export async function trainBriefly(dir: string, data: string, model: ModelFile = createModelFromTemplate('mnist-small')): Promise<string> {
  const [height, width, channels] = model.nodes.find((n) => n.type === 'Input')!.params['shape'] as [number, number, number];
  model.dataset = { kind: 'imageFolder', path: data, imageSize: [height, width], colorMode: channels === 1 ? 'grayscale' : 'rgb' };
  const modelPath = join(dir, model.name === 'mnist-small' ? 'shapes.cnn.json' : `${model.name}.cnn.json`);
  writeFileSync(modelPath, serializeModel(model));
  const prepared = await prepareTraining({ modelPath, runsRoot: dir, overrides: { epochs: 1, batchSize: 16, backend: 'cpu' } }, { emit: () => undefined });
  await runPrepared(prepared);
  await tf.setBackend('cpu');
  return prepared.started.runDir;
}
