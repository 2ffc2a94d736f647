/**
 * ONNX Runtime's execution providers the onnx backend can run on, as the CLI's `--device` and the
 * studio's device picker name them. 'auto': the first GPU provider that starts, else the CPU.
 */
export const ONNX_DEVICE_CHOICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type OnnxDeviceChoice = (typeof ONNX_DEVICE_CHOICES)[number];
export type OnnxDevice = Exclude<OnnxDeviceChoice, 'auto'>;

/**
 * Installs ONNX Runtime's CUDA provider libraries (Linux x64) with onnxruntime-node's own installer, which
 * `npm install` skips here (package.json's allowScripts): the command the device messages name.
 */
export const CUDA_INSTALL_COMMAND = 'npm run install:cuda';

/** What the studio calls each device (ONNX Runtime's provider names say little to a newcomer). */
export const DEVICE_LABELS: Record<OnnxDevice, string> = {
  cpu: 'CPU',
  cuda: 'GPU (CUDA, NVIDIA)',
  dml: 'GPU (DirectML, Windows)',
  coreml: 'GPU (Core ML, Apple)',
  webgpu: 'GPU (WebGPU, experimental)',
};
