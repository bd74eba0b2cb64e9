/**
 * A model file plus its weights as an ONNX model (opset 13), encoded with onnx-proto.
 *
 * The graph's inputs and outputs are named by their node ids and use the model's own layout: an image
 * input is float32 NHWC [N, height, width, channels] (as tfjs and the engine take it), followed by one
 * Transpose to NCHW; an image output goes back to NHWC. Everything between is standard NCHW operators
 * (see onnxLayers.ts). The batch size is free (`N`).
 */
import { onnx } from 'onnx-proto';
import { getLayerSpec } from '../../../core/catalogue';
import type { ModelFile } from '../../../core/format';
import { modelRescalesItself } from '../../../core/modelFacts';
import { checkParams } from '../../../core/paramCheck';
import { analyzeModel } from '../../../core/shapeInference';
import { UserFacingError } from '../../../core/userFacingError';
import { ModelBuildError } from '../../model/buildTfModel';
import { LayerParams } from '../../model/layerParams';
import { OnnxGraph } from './onnxGraph';
import { type LayerWeight, ONNX_LAYERS, type OnnxLayerConverter } from './onnxLayers';
import { isImage, toNchw, toNhwc } from './onnxLayout';

export const ONNX_OPSET = 13;
/** IR version 7 is the one that came with opset 13: readers of that age (and every newer one) load it. */
const ONNX_IR_VERSION = 7;

/** A model that has a layer ONNX export cannot write; the message names the layer and what to do. */
export class OnnxExportError extends UserFacingError {
  constructor(message: string) {
    super(message, 'OnnxExportError');
  }
}

/** The converter for a layer type, or an OnnxExportError naming the node, its type and why. */
export function onnxConverterFor(type: string, nodeId: string): OnnxLayerConverter {
  const rule = ONNX_LAYERS[type];
  if (rule && 'convert' in rule) return rule.convert;
  const why = rule ? rule.refused : 'CNN Studio has no ONNX conversion for this layer type yet';
  throw new OnnxExportError(
    `Layer '${nodeId}' (${type}) cannot be exported to ONNX: ${why}. Export the model as a Keras or PyTorch script, or as a TF.js model, instead (or replace the layer).`,
  );
}

/** What the graph expects as input, for the model's doc string and the export's message. */
export function onnxInputText(model: ModelFile): string {
  const pixels = modelRescalesItself(model) ? 'pixel values 0–255 (the model rescales them itself)' : 'pixel values divided by 255 (0–1), as in training';
  return `the input is float32 NHWC [N, height, width, channels] with ${pixels}; image outputs are NHWC too.`;
}

export interface OnnxModelInfo {
  producerVersion: string;
  /** The run's classes in output order, kept as the metadata entry `class_names` (a JSON list). */
  classNames?: readonly string[];
}

function valueInfo(name: string, shape: readonly number[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))] },
      },
    },
  };
}

/** Builds the ONNX graph of `model`; `weights` holds each layer's tfjs weights by node id. */
export function modelToOnnx(model: ModelFile, weights: ReadonlyMap<string, readonly LayerWeight[]>, info: OnnxModelInfo): onnx.IModelProto {
  const analysis = analyzeModel(model);
  if (analysis.diagnostics.some((d) => d.severity === 'error')) throw new ModelBuildError(analysis.diagnostics);
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  // Refuse before writing anything, naming every layer that cannot go.
  for (const id of analysis.order) {
    const node = byId.get(id)!;
    if (node.type !== 'Input') onnxConverterFor(node.type, node.id);
  }
  const g = new OnnxGraph();
  const shapeOf = (id: string): readonly number[] => analysis.nodes.get(id)!.outputShape!;
  for (const id of [...analysis.inputIds, ...analysis.outputIds]) g.reserve(id);
  const tensors = new Map<string, string>();
  const graphInputs: onnx.IValueInfoProto[] = [];
  for (const id of analysis.order) {
    const node = byId.get(id)!;
    if (node.type === 'Input') {
      graphInputs.push(valueInfo(id, shapeOf(id)));
      tensors.set(id, isImage(shapeOf(id)) ? toNchw(g, id, id) : id);
      continue;
    }
    const convert = onnxConverterFor(node.type, node.id);
    const output = convert({
      g,
      node,
      params: new LayerParams(checkParams(node, getLayerSpec(node.type)!).params),
      inputs: node.inputs.map((i) => tensors.get(i)!),
      inputShapes: node.inputs.map(shapeOf),
      outputShape: shapeOf(id),
      weights: weights.get(id) ?? [],
    });
    tensors.set(id, output);
  }
  const graphOutputs = analysis.outputIds.map((id) => {
    const shape = shapeOf(id);
    if (isImage(shape)) toNhwc(g, tensors.get(id)!, id, id);
    else g.op('Identity', [tensors.get(id)!], id, {}, id);
    return valueInfo(id, shape);
  });
  return {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'CNN Studio',
    producerVersion: info.producerVersion,
    docString: `${model.name}: ${onnxInputText(model)}`,
    metadataProps: info.classNames ? [{ key: 'class_names', value: JSON.stringify(info.classNames) }] : [],
    graph: { name: model.name, node: g.nodes, initializer: g.initializers, input: graphInputs, output: graphOutputs },
  };
}

/** The bytes of a .onnx file. */
export function encodeOnnxModel(proto: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(proto)).finish();
}
