/**
 * Facts about a model that training, the code generators and the dataset commands must agree on: the
 * image the Input layer takes (size and colour mode) and whether the model scales its own pixels. One
 * function each, so a trained model, its exported script and its dataset entry never disagree.
 */
import { getLayerSpec, paramOrDefault } from './catalogue';
import type { ColorMode, ModelFile, ModelNode } from './format';
import { ModelGraph } from './graph';

/** The Input layer's `shape` param, or the catalogue's default when the file leaves it out. */
export function inputShapeOf(input: ModelNode): readonly number[] {
  const shape = paramOrDefault(getLayerSpec('Input')!, input.params, 'shape');
  return Array.isArray(shape) && shape.every((d): d is number => typeof d === 'number') ? shape : [];
}

export interface ImageFormat {
  readonly imageSize: [number, number];
  readonly colorMode: ColorMode;
}

/** The images an Input of `shape` takes: 1 channel is grayscale, more is rgb; a shape that is not [h, w, c] gets the default Input's. */
export function imageFormatOfShape(shape: readonly number[] | undefined): ImageFormat {
  const image = shape && shape.length === 3 ? shape : (getLayerSpec('Input')!.params['shape']!.default as readonly number[]);
  return { imageSize: [image[0]!, image[1]!], colorMode: image[2] === 1 ? 'grayscale' : 'rgb' };
}

/** The images `model` takes, from its (first) Input layer. */
export function inputImageFormat(model: ModelFile): ImageFormat {
  const input = model.nodes.find((n) => n.type === 'Input');
  return imageFormatOfShape(input ? inputShapeOf(input) : undefined);
}

/**
 * Whether the model rescales pixels itself: every layer reading the (first) Input is a Rescaling. Such a
 * model is fed raw 0–255 values; any other model values in [0, 1].
 */
export function modelRescalesItself(model: ModelFile): boolean {
  const input = model.nodes.find((n) => n.type === 'Input');
  if (!input) return false;
  const graph = new ModelGraph(model.nodes);
  const first = graph.consumersOf(input.id).filter((id) => graph.byId.get(id)!.inputs.length === 1);
  return first.length > 0 && first.every((id) => graph.byId.get(id)!.type === 'Rescaling');
}

/** What each pixel byte is multiplied by before it reaches the model: 1 when it rescales itself, else 1/255. */
export function inputPixelScale(model: ModelFile): number {
  return modelRescalesItself(model) ? 1 : 1 / 255;
}
