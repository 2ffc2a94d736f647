export { initBackend, activeBackend } from './select-backend.js';
export type { BackendChoice, BackendKind, BackendInfo, BackendOptions } from './select-backend.js';
export { onnxDeviceStatuses, type OnnxDeviceChoice } from './onnx-device.js';
