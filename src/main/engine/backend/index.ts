export { initBackend, activeBackend, BACKEND_CHOICES } from './select-backend.js';
export type { BackendChoice, BackendKind, BackendInfo, BackendOptions } from './select-backend.js';
export { DEVICE_CHOICES, onnxDeviceStatuses, type OnnxDeviceChoice } from './onnx-device.js';
