/**
 * Sizes a model's output layer to a dataset's number of classes by applying the analyser's own quick
 * fix for `output-units-vs-classes`, so any template fits any image folder. Used when a run trains on
 * other data than the model names, and when `cnn-studio new --data` points a new model at a folder.
 */
import type { ModelFile } from './format';
import { analyzeModel } from './shapeInference';

export interface OutputResize {
  readonly nodeId: string;
  readonly param: string;
  readonly units: number;
  /** The analyser's message about the mismatch that was fixed. */
  readonly message: string;
}

/** The model with its output sized to `numClasses` (a new object; the input is not changed) and what was resized. */
export function fitOutputToClasses(model: ModelFile, numClasses: number): { model: ModelFile; resized: OutputResize[] } {
  let fitted = model;
  const resized: OutputResize[] = [];
  for (const d of analyzeModel(model, { numClasses }).diagnostics) {
    if (d.code !== 'output-units-vs-classes' || d.severity !== 'error') continue;
    const fix = d.fixes?.find((f) => f.kind === 'setParam');
    if (!fix || fix.kind !== 'setParam' || typeof fix.value !== 'number') continue;
    const { nodeId, param, value } = fix;
    fitted = { ...fitted, nodes: fitted.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, [param]: value } } : n)) };
    resized.push({ nodeId, param, units: value, message: d.message });
  }
  return { model: fitted, resized };
}
