export { TRANSFORM_LAYERS, VARIABLE_SHAPES, variableName } from './architecture.js';
export type { FastStyleLoader, FastStyleNet, FastStyleVariable, FastStyleWeights } from './network.js';
export { TfjsFastStyleNet, loadTfjsFastStyle } from './tfjs-net.js';
export { checkInstantMemory, estimateInstantBytes, instantStylize } from './instant.js';
export type { InstantOptions } from './instant.js';
export { OnnxFastStyleNet, fastStyleGraph, onnxFastStyleLoader, type OnnxFastStyleOptions } from './onnx-net.js';
