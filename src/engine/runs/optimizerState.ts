/**
 * The optimizer's state saved beside each checkpoint's weights (`optimizer.json` + `optimizer.bin`), so
 * `train --continue` resumes with Adam's moments and step count instead of fresh ones, as Keras'
 * BackupAndRestore does. tfjs' getWeights/setWeights carry the step and the slots (Adam m and v,
 * RMSprop and Adagrad accumulators, momentum); Adam's running beta powers are saved too, because
 * setWeights recomputes them with pow(), which differs in the last bits from the product the
 * uninterrupted run accumulated, and a continued run should match it exactly. Adamax has no
 * getWeights in tfjs: its runs continue with fresh state, and say so.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Optimizer, Variable } from '@tensorflow/tfjs';
import type { Tf } from '../backend/tfNamespace';
import { RunError } from './runStore';

export const OPTIMIZER_FILES = { json: 'optimizer.json', data: 'optimizer.bin' } as const;

type WeightSpecs = Parameters<Tf['io']['decodeWeights']>[1];

interface OptimizerStateJson {
  /** tfjs' class name, e.g. 'Adam'; a state is restored only into the same kind. */
  readonly className: string;
  readonly weights: WeightSpecs;
  /** Adam's accBeta1/accBeta2 as float32 values. */
  readonly betaPowers?: readonly [number, number];
}

interface AdamPowers {
  accBeta1?: Variable;
  accBeta2?: Variable;
}

/** Writes the state into `dir`; false when this optimizer cannot export it (tfjs' Adamax). */
export async function writeOptimizerState(tf: Tf, optimizer: Optimizer, dir: string): Promise<boolean> {
  let named;
  try {
    named = await optimizer.getWeights();
  } catch {
    return false;
  }
  const { data, specs } = await tf.io.encodeWeights(named);
  const powers = optimizer as unknown as AdamPowers;
  // Read asynchronously: the webgpu backend cannot read tensors synchronously in Node.
  const betaPowers = powers.accBeta1 && powers.accBeta2 ? ([(await powers.accBeta1.data())[0]!, (await powers.accBeta2.data())[0]!] as const) : undefined;
  const json: OptimizerStateJson = {
    className: optimizer.getClassName(),
    weights: specs,
    ...(betaPowers ? { betaPowers } : {}),
  };
  writeFileSync(join(dir, OPTIMIZER_FILES.json), JSON.stringify(json));
  writeFileSync(join(dir, OPTIMIZER_FILES.data), Buffer.from(data));
  return true;
}

export function hasOptimizerState(dir: string): boolean {
  return existsSync(join(dir, OPTIMIZER_FILES.json)) && existsSync(join(dir, OPTIMIZER_FILES.data));
}

/** Restores the state saved in `dir` into a fresh optimizer of the same kind. */
export async function restoreOptimizerState(tf: Tf, optimizer: Optimizer, dir: string): Promise<void> {
  const json = JSON.parse(readFileSync(join(dir, OPTIMIZER_FILES.json), 'utf8')) as OptimizerStateJson;
  if (json.className !== optimizer.getClassName()) {
    throw new RunError(`The optimizer state in '${dir}' is ${json.className}'s, but the run trains with ${optimizer.getClassName()}. The run folder's config.json was changed; restore it or train again.`);
  }
  const buf = readFileSync(join(dir, OPTIMIZER_FILES.data));
  const named = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), json.weights);
  // setWeights is positional (step first, then the slots in variable order): keep the saved order.
  await optimizer.setWeights(json.weights.map((s) => ({ name: s.name, tensor: named[s.name]! })));
  const powers = optimizer as unknown as AdamPowers;
  if (json.betaPowers && powers.accBeta1 && powers.accBeta2) {
    const [b1, b2] = json.betaPowers;
    tf.tidy(() => {
      powers.accBeta1!.assign(tf.scalar(b1));
      powers.accBeta2!.assign(tf.scalar(b2));
    });
  }
}
