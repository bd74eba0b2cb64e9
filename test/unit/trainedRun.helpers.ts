/** A real run for the export tests: `mnist-small` trained for one epoch by the engine on a shapes dataset. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { serializeModel } from '../../src/core/loader';
import { createModelFromTemplate } from '../../src/core/templates';
import { prepareTraining, runPrepared } from '../../src/engine/train/session';

/** Trains in `dir` on the 28×28 grayscale images in `data`; returns the run folder (tfjs is back on `cpu`). */
export async function trainBriefly(dir: string, data: string): Promise<string> {
  const model = createModelFromTemplate('mnist-small');
  model.dataset = { kind: 'imageFolder', path: data, imageSize: [28, 28], colorMode: 'grayscale' };
  const modelPath = join(dir, 'shapes.cnn.json');
  writeFileSync(modelPath, serializeModel(model));
  const prepared = await prepareTraining({ modelPath, runsRoot: dir, overrides: { epochs: 1, batchSize: 16, backend: 'cpu' } }, { emit: () => undefined });
  await runPrepared(prepared);
  await tf.setBackend('cpu');
  return prepared.started.runDir;
}
