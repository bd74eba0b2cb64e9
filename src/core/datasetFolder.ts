/** A model's `dataset` entry for an image folder (one sub-folder per class). Pure: paths use '/'. */
import type { DatasetReference, ModelFile } from './format';
import type { ModelEdit } from './modelEdit';
import { imageFormatOfShape, inputShapeOf } from './modelFacts';

/** The dataset entry for an image folder, relative to the model's folder when it is inside the same tree. */
export function imageFolderDataset(modelPath: string, folderPath: string, inputShape: readonly number[] | undefined): DatasetReference {
  return { kind: 'imageFolder', path: relativeFolder(modelPath, folderPath), ...imageFormatOfShape(inputShape) };
}

function relativeFolder(modelPath: string, folderPath: string): string {
  const modelDir = modelPath.slice(0, modelPath.lastIndexOf('/'));
  let path = folderPath;
  if (folderPath === modelDir) path = '.';
  else if (folderPath.startsWith(`${modelDir}/`)) path = folderPath.slice(modelDir.length + 1);
  else {
    // Walk up from the model's folder while the folder is below a common ancestor: ../data/cats
    const a = modelDir.split('/');
    const b = folderPath.split('/');
    let common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common++;
    if (common > 1) path = [...Array(a.length - common).fill('..'), ...b.slice(common)].join('/');
  }
  return path;
}

/** The dataset entry that makes `model` train on the folder: image size and colour mode come from its Input layer. */
export function imageFolderDatasetFor(model: ModelFile, modelPath: string, folderPath: string): DatasetReference {
  const input = model.nodes.find((n) => n.type === 'Input');
  return imageFolderDataset(modelPath, folderPath, input ? inputShapeOf(input) : undefined);
}

/**
 * The edit that makes the model take the data as it is: the Input layer's shape becomes `[h, w, c]` and
 * the dataset's image size and colour follow, in one undo step. Null when the model has no Input layer.
 */
export function setInputToDataEdit(model: ModelFile, shape: readonly [number, number, number]): ModelEdit | null {
  const input = model.nodes.find((n) => n.type === 'Input');
  if (!input) return null;
  const edits: ModelEdit[] = [{ kind: 'setParam', id: input.id, param: 'shape', value: [shape[0], shape[1], shape[2]] }];
  if (model.dataset) edits.push({ kind: 'setDataset', dataset: { ...model.dataset, ...imageFormatOfShape(shape) } });
  return { kind: 'batch', label: `Set the Input to ${shape.join('×')}`, edits };
}

/** An image size and colour in words: "28×28 grayscale", "32×32 RGB". */
export function imageShapeText(height: number, width: number, channels: number): string {
  return `${height}×${width} ${channels === 1 ? 'grayscale' : channels === 3 ? 'RGB' : `${channels}-channel`}`;
}
