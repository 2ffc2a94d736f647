// The engine's runtimes: importing this loads TensorFlow.js (and ONNX Runtime on first use). Only the
// processes that render, paint instant looks, probe backends or read tfjs weight shards import it; pure
// planning is in ./index.ts.
export { initBackend, onnxDeviceStatuses } from './backend/index.js';
export { BGR_MEAN, Vgg19, forwardFlops } from './vgg19.js';
export { stylize } from './stylize.js';
export { tfjsExecutor } from './tfjs-executor.js';
export { onnxExecutor } from './onnx/onnx-executor.js';
export { loadOnnxRuntime } from './onnx/runtime.js';
export { styleContentDistances } from './distances.js';
export { loadTfjsFastStyle, instantStylize, onnxFastStyleLoader } from './fast-style/index.js';
