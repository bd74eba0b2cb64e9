/**
 * A small writer for an ONNX graph: nodes, weight initializers and constants with unique names, as the
 * protobuf messages of `onnx-proto` (the ONNX definition compiled for protobufjs). The layer converters
 * (onnxLayers.ts) call it; onnxModel.ts wraps the result into a ModelProto.
 */
import { onnx } from 'onnx-proto';

/** An attribute value: an int, a float, a list of ints or a string (the kinds our operators need). */
export type OnnxAttribute = { int: number } | { float: number } | { ints: readonly number[] } | { string: string };

function attributeProto(name: string, value: OnnxAttribute): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in value) return { name, type: T.INT, i: value.int };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: T.INTS, ints: [...value.ints] };
  return { name, type: T.STRING, s: new TextEncoder().encode(value.string) };
}

/** Little-endian bytes of float32 values (TensorProto.raw_data is little-endian by definition). */
function littleEndianBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

export class OnnxGraph {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private readonly names = new Set<string>();

  /** `base`, or `base_2`, `base_3`… when taken: every tensor and node name in a graph is unique. */
  uniqueName(base: string): string {
    let name = base;
    for (let k = 2; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }

  /** Reserves a name that must stay exactly as given (graph inputs and outputs: the node ids). */
  reserve(name: string): string {
    this.names.add(name);
    return name;
  }

  /** A float32 initializer (weights, scalars); returns its name. */
  floats(base: string, dims: readonly number[], values: Float32Array | readonly number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: littleEndianBytes(data) });
    return name;
  }

  /** A 1-D int64 initializer (shapes, pads, axes); returns its name. */
  int64s(base: string, values: readonly number[]): string {
    const name = this.uniqueName(base);
    this.initializers.push({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: [...values] });
    return name;
  }

  /**
   * Adds one node and returns its output's name: `output` exactly when given (it must be reserved or
   * fresh), else a fresh name from `base`. An input of '' is an omitted optional input.
   */
  op(opType: string, inputs: readonly string[], base: string, attributes: Readonly<Record<string, OnnxAttribute>> = {}, output?: string): string {
    const out = output ?? this.uniqueName(base);
    this.nodes.push({
      opType,
      name: this.uniqueName(`${base}/${opType}`),
      input: [...inputs],
      output: [out],
      attribute: Object.entries(attributes).map(([k, v]) => attributeProto(k, v)),
    });
    return out;
  }
}

/** `values` of `shape` with its axes reordered by `perm` (as numpy's transpose), for weight layouts. */
export function transposeValues(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const strideOfOut = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += index[i]! * strideOfOut[i]!;
    out[o] = values[src]!;
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i]! < outShape[i]!) break;
      index[i] = 0;
    }
  }
  return out;
}
