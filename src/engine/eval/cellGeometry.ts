/**
 * Where each cell of a layer's feature map looks in the input image, so Grad-CAM's map is drawn over the
 * pixels that produced it. Cell i (per axis) has its receptive field centred on input pixel
 * `offset + stride·i` (pixel p's centre is p). Stretching the map over the whole image instead is right
 * only for 'same' padding: after 'valid' convolutions the first cell is centred several pixels in
 * (tutorial-cifar's 4×4 conv3 looks at pixels 8.5 … 20.5 of 32, not 3.5 … 27.5), and the heat would
 * slide towards the corners.
 */
import { getLayerSpec } from '../../core/catalogue';
import type { ModelFile, ParamValue } from '../../core/format';
import { checkParams } from '../../core/paramCheck';
import { analyzeModel } from '../../core/shapeInference';

export interface CellGeometry {
  /** Input pixels between neighbouring cells, `[rows, columns]`. */
  readonly stride: readonly [number, number];
  /** Input pixel (centre coordinates) of cell 0's receptive-field centre, `[row, column]`. */
  readonly offset: readonly [number, number];
}

/** Layers that keep every pixel where it was. */
const IN_PLACE = new Set(['Activation', 'BatchNormalization', 'Dropout', 'SpatialDropout2D', 'LeakyReLU', 'Rescaling', 'Add', 'Concatenate']);
const WINDOWED = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'MaxPooling2D', 'AveragePooling2D']);

/**
 * The geometry of `layerId`'s output along its first-input path from the Input, or null when a layer on
 * the way moves pixels in a way this does not model (upsampling, transposed conv, reshape); the caller
 * then stretches the map over the image.
 */
export function cellGeometry(model: ModelFile, layerId: string): CellGeometry | null {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const path = [];
  for (let node = byId.get(layerId); node && node.type !== 'Input'; node = byId.get(node.inputs[0] ?? '')) path.unshift(node);
  const shapes = analyzeModel(model).nodes;
  const stride = [1, 1];
  const offset = [0, 0];
  for (const node of path) {
    if (IN_PLACE.has(node.type)) continue;
    const spec = getLayerSpec(node.type);
    if (!spec) return null;
    const params = checkParams(node, spec).params;
    const pair = (name: string): readonly number[] => params.get(name) as readonly number[];
    if (node.type === 'ZeroPadding2D' || node.type === 'Cropping2D') {
      const sides = params.get(node.type === 'ZeroPadding2D' ? 'padding' : 'cropping') as readonly (readonly number[])[];
      const sign = node.type === 'ZeroPadding2D' ? -1 : 1;
      for (const a of [0, 1]) offset[a]! += sign * sides[a]![0]! * stride[a]!;
      continue;
    }
    if (!WINDOWED.has(node.type)) return null;
    const pooling = node.type.endsWith('Pooling2D');
    const kernel = pair(pooling ? 'poolSize' : 'kernelSize');
    const steps = (params.get('strides') as ParamValue) === null ? kernel : pair('strides');
    const dilation = params.has('dilationRate') ? pair('dilationRate') : [1, 1];
    const inShape = shapes.get(node.inputs[0]!)?.outputShape;
    if (!inShape || inShape.length !== 3) return null;
    for (const a of [0, 1]) {
      const reach = (kernel[a]! - 1) * dilation[a]! + 1;
      // TensorFlow's 'same' padding puts the smaller half of the padding before the first row/column.
      const size = inShape[a]!;
      const padBefore = params.get('padding') === 'same' ? Math.floor(Math.max((Math.ceil(size / steps[a]!) - 1) * steps[a]! + reach - size, 0) / 2) : 0;
      offset[a]! += ((reach - 1) / 2 - padBefore) * stride[a]!;
      stride[a]! *= steps[a]!;
    }
  }
  return { stride: [stride[0]!, stride[1]!], offset: [offset[0]!, offset[1]!] };
}

/**
 * Draws an `h×w` cell map onto an `H×W` image: pixel p samples the map bilinearly at cell coordinate
 * `(p − offset)/stride`, clamped to the map's edge cells.
 */
export function projectCells(map: Float32Array, h: number, w: number, H: number, W: number, g: CellGeometry): Float32Array {
  const out = new Float32Array(H * W);
  const axis = (p: number, a: 0 | 1, n: number): [number, number, number] => {
    const u = Math.min(n - 1, Math.max(0, (p - g.offset[a]) / g.stride[a]));
    const lo = Math.floor(u);
    return [lo, Math.min(n - 1, lo + 1), u - lo];
  };
  for (let R = 0; R < H; R++) {
    const [r0, r1, fy] = axis(R, 0, h);
    for (let C = 0; C < W; C++) {
      const [c0, c1, fx] = axis(C, 1, w);
      const top = map[r0 * w + c0]! * (1 - fx) + map[r0 * w + c1]! * fx;
      const bottom = map[r1 * w + c0]! * (1 - fx) + map[r1 * w + c1]! * fx;
      out[R * W + C] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** The geometry of stretching an `h×w` map over an `H×W` image with half-pixel centres (the fallback). */
export function stretchGeometry(h: number, w: number, H: number, W: number): CellGeometry {
  return { stride: [H / h, W / w], offset: [H / h / 2 - 0.5, W / w / 2 - 0.5] };
}
