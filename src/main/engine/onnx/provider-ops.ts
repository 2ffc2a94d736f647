import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Element types as the tables name them. */
type Float = 'float' | 'double';

/** One op of a provider's table: the float types its kernel for our opset (15) takes, and any limits the table notes. */
interface OpRow {
  types: readonly Float[];
  /** Inputs (by position) that must be initializers, not computed values. */
  constantInputs?: readonly number[];
  /** Attributes the provider refuses when set. */
  refusedAttributes?: readonly string[];
}

export interface ProviderTable {
  /** Where the rows come from (ONNX Runtime's published tables; see README, GPU paths). */
  source: string;
  /** Ops absent here fall back to the CPU. */
  ops: Readonly<Record<string, OpRow>>;
}

const F32 = ['float'] as const;
const F32_F64 = ['float', 'double'] as const;

/**
 * CUDA and DirectML: the rows of docs/OperatorKernels.md (generated from the kernels each provider
 * registers) for the ops our graphs use or deliberately avoid, at the version that serves opset 15.
 * Transcribed from microsoft/onnxruntime commit 001d12d2623fd411ce0f83d05abb5e82304a3389.
 */
const KERNELS_MD = 'https://github.com/microsoft/onnxruntime/blob/001d12d2623fd411ce0f83d05abb5e82304a3389/docs/OperatorKernels.md';

const CUDA: ProviderTable = {
  source: `${KERNELS_MD}#cudaexecutionprovider`,
  ops: Object.fromEntries([
    'Abs', 'Add', 'AveragePool', 'BatchNormalization', 'Cast', 'Clip', 'Concat', 'Conv', 'ConvTranspose', 'Gemm', 'HardSigmoid',
    'Identity', 'InstanceNormalization', 'MatMul', 'MaxPool', 'Mul', 'Neg', 'Pad', 'Pow', 'ReduceSum', 'ReduceSumSquare', 'Relu',
    'Reshape', 'Resize', 'Sign', 'Slice', 'Sub', 'Tanh', 'Transpose',
  ].map((op) => [op, { types: F32_F64 }])),
};

const DML: ProviderTable = {
  source: `${KERNELS_MD}#dmlexecutionprovider`,
  ops: {
    // Most DirectML kernels take float and float16 only: a float64 node falls back to the CPU.
    ...Object.fromEntries([
      'Abs', 'Add', 'AveragePool', 'BatchNormalization', 'Clip', 'Conv', 'ConvTranspose', 'Gemm', 'HardSigmoid',
      'InstanceNormalization', 'MatMul', 'MaxPool', 'Mul', 'Neg', 'Pow', 'ReduceSum', 'ReduceSumSquare', 'Relu', 'Resize', 'Sign',
      'Sub', 'Tanh',
    ].map((op) => [op, { types: F32 }])),
    ...Object.fromEntries(['Cast', 'Concat', 'Identity', 'Pad', 'Reshape', 'Slice', 'Transpose'].map((op) => [op, { types: F32_F64 }])),
  },
};

/**
 * CoreML, ML Program format (the one the executors ask for): the whole list of
 * tools/ci_build/github/apple/coreml_supported_mlprogram_ops.md, with the limits its notes state
 * where our graphs could meet them. The list names no types; ML Program computes in float32 (or float16).
 */
const COREML: ProviderTable = {
  source: 'https://github.com/microsoft/onnxruntime/blob/04f568d869ec533a48f29f67f9842ddf694d7ab1/tools/ci_build/github/apple/coreml_supported_mlprogram_ops.md',
  ops: {
    ...Object.fromEntries([
      'Add', 'ArgMax', 'AveragePool', 'Cast', 'Clip', 'Concat', 'Cos', 'DepthToSpace', 'Ceil', 'Div', 'Elu', 'Erf', 'Exp', 'GatherND',
      'Gelu', 'GlobalAveragePool', 'GlobalMaxPool', 'GridSample', 'GroupNormalization', 'HardSigmoid', 'Identity', 'InstanceNormalization',
      'LayerNormalization', 'LeakyRelu', 'MatMul', 'MaxPool', 'Max', 'Mul', 'Pow', 'PRelu', 'Range', 'Reciprocal', 'ReduceSum',
      'ReduceMean', 'ReduceMax', 'Relu', 'Reshape', 'Resize', 'Round', 'Shape', 'Sin', 'Softplus', 'Split', 'Sub', 'Sigmoid', 'Softmax',
      'Sqrt', 'Squeeze', 'Tanh', 'Tile', 'Transpose', 'Unsqueeze',
    ].map((op) => [op, { types: F32 }])),
    Conv: { types: F32, constantInputs: [1, 2] },
    ConvTranspose: { types: F32, constantInputs: [1, 2], refusedAttributes: ['auto_pad', 'kernel_shape', 'output_shape', 'output_padding'] },
    Gemm: { types: F32, constantInputs: [1] },
    Slice: { types: F32, constantInputs: [1, 2, 3, 4] },
  },
};

export const PROVIDER_TABLES = { cuda: CUDA, dml: DML, coreml: COREML } as const;
export type TabledProvider = keyof typeof PROVIDER_TABLES;

/** A node the provider's table says it would not run, and why. */
export interface Unsupported {
  node: string;
  op: string;
  why: string;
}

/**
 * The nodes of an ONNX model that `provider` would hand to the CPU, by its table: op types it lacks,
 * float64 tensors, and the limits the table notes. Types are read from the model's initializers and
 * declared inputs and outputs (our graphs keep one element type throughout a node).
 */
export function unsupportedNodes(model: Uint8Array, provider: TabledProvider): Unsupported[] {
  const { graph } = onnx.ModelProto.decode(model);
  const table = PROVIDER_TABLES[provider];
  const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
  const constants = new Set((graph?.initializer ?? []).map((t) => t.name));
  const doubles = new Set([
    ...(graph?.initializer ?? []).filter((t) => t.dataType === DOUBLE).map((t) => t.name),
    ...[...(graph?.input ?? []), ...(graph?.output ?? [])].filter((v) => v.type?.tensorType?.elemType === DOUBLE).map((v) => v.name),
  ]);
  const found: Unsupported[] = [];
  for (const node of graph?.node ?? []) {
    const op = node.opType ?? '';
    const name = node.name ?? op;
    const row = table.ops[op];
    const inputs = node.input ?? [];
    // A Cast to double makes its output float64; any other node keeps its inputs' type.
    const castsToDouble = op === 'Cast' && (node.attribute ?? []).some((a) => a.name === 'to' && Number(a.i) === DOUBLE);
    const takesDouble = inputs.some((i) => doubles.has(i));
    if (castsToDouble || (op !== 'Cast' && takesDouble)) for (const output of node.output ?? []) doubles.add(output);
    if (!row) {
      found.push({ node: name, op, why: `not in the ${provider} table` });
      continue;
    }
    if ((castsToDouble || takesDouble) && !row.types.includes('double')) {
      found.push({ node: name, op, why: 'float64, which this kernel does not take' });
    }
    for (const index of row.constantInputs ?? []) {
      const input = inputs[index];
      if (input && !constants.has(input)) found.push({ node: name, op, why: `input ${index} must be a constant` });
    }
    for (const attribute of node.attribute ?? []) {
      if (row.refusedAttributes?.includes(attribute.name ?? '')) found.push({ node: name, op, why: `attribute ${attribute.name} is refused` });
    }
  }
  return found;
}
