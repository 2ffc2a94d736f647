import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

/** An integer, a list of integers, a string, or `{ float }` (ONNX keeps the two number kinds apart). */
export type Attribute = number | number[] | string | { float: number };
export type ElementType = 'float32' | 'float64' | 'int64';
/** A dimension: its size, or a name for a size fixed only when the model runs (one session, any picture size). */
export type Dim = number | string;

const ELEMENT: Record<ElementType, number> = { float32: DataType.FLOAT, float64: DataType.DOUBLE, int64: DataType.INT64 };

/**
 * Writes an ONNX graph node by node and serializes it to a model in memory. Value names are made
 * unique here, so graph code reads as dataflow: `const y = g.op('Relu', [x])`.
 */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private counter = 0;

  private fresh(hint: string): string {
    this.counter += 1;
    return `${hint}_${this.counter}`;
  }

  input(name: string, shape: Dim[], type: ElementType = 'float32'): string {
    this.inputs.push(valueInfo(name, shape, type));
    return name;
  }

  /** Marks a value as a graph output under `name` (through an Identity, so any value can be one). */
  output(value: string, name: string, shape: Dim[], type: ElementType = 'float32'): void {
    this.nodes.push({ opType: 'Identity', input: [value], output: [name], name });
    this.outputs.push(valueInfo(name, shape, type));
  }

  /** A constant tensor stored in the model. */
  constant(values: Float32Array | Float64Array | BigInt64Array, dims: number[], hint = 'const'): string {
    const name = this.fresh(hint);
    const type: ElementType = values instanceof Float32Array ? 'float32' : values instanceof Float64Array ? 'float64' : 'int64';
    const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.initializers.push({ name, dims, dataType: ELEMENT[type], rawData: raw });
    return name;
  }

  scalar(value: number, type: 'float32' | 'float64' = 'float32'): string {
    return this.constant(type === 'float32' ? Float32Array.of(value) : Float64Array.of(value), [], 'scalar');
  }

  ints(values: number[]): string {
    return this.constant(BigInt64Array.from(values.map(BigInt)), [values.length], 'ints');
  }

  /** One node with one output. */
  op(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}): string {
    return this.opMulti(opType, inputs, 1, attributes)[0]!;
  }

  opMulti(opType: string, inputs: string[], outputs: number, attributes: Record<string, Attribute> = {}): string[] {
    const names = Array.from({ length: outputs }, () => this.fresh(opType));
    this.nodes.push({
      opType,
      input: inputs,
      output: names,
      name: names[0],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return names;
  }

  toBytes(): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'atelier',
      opsetImport: [{ domain: '', version: 15 }],
      graph: { name: 'atelier', node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, shape: Dim[], type: ElementType): onnxProto.onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: ELEMENT[type], shape: { dim } } } };
}

function attribute(name: string, value: Attribute): onnxProto.onnx.IAttributeProto {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === 'object') return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.INT, i: value };
}
