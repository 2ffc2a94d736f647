export type { FastStyleLoader, FastStyleNet, FastStyleVariable, FastStyleWeights } from './network.js';
export { TfjsFastStyleNet, loadTfjsFastStyle } from './tfjs-net.js';
export { checkInstantMemory, instantStylize } from './instant.js';
export type { InstantOptions } from './instant.js';
export { OnnxFastStyleNet, onnxFastStyleLoader, type OnnxFastStyleOptions } from './onnx-net.js';
