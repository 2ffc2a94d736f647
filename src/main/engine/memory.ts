import os from 'node:os';

/**
 * How much memory a render needs and how much each backend can give it. Plain arithmetic with no
 * TensorFlow or ONNX Runtime import, so the studio can tell the UI the limit without starting an engine.
 */

interface MemoryRule {
  bytesPerPixel: number;
  fixedBytes: number;
}

/**
 * tfjs (every tfjs backend): VGG19's activations up to conv5_1 come to about 320 floats per pixel;
 * forward values kept for the backward pass, gradients and temporaries multiply that by about 7
 * (3.8 GB measured at 640×640 on wasm).
 */
const TFJS_RULE: MemoryRule = { bytesPerPixel: 320 * 4 * 7, fixedBytes: 200e6 };

/**
 * onnx: peak resident memory measured with `atelier bench --backend onnx` (ORT's CPU arena on) was
 * 1.60 GB at 512², 4.00 GB at 1024² and 11.85 GB at 2048²: 2.5–3.05 KB per pixel between those sizes.
 * L-BFGS's full history (10 pairs of s and y) adds 240 bytes per pixel.
 */
const ONNX_RULE: MemoryRule = { bytesPerPixel: 3_100, fixedBytes: 1e9 };

function ruleFor(backend: string): MemoryRule {
  return backend === 'onnx' ? ONNX_RULE : TFJS_RULE;
}

/** Bytes one optimization iteration needs at width×height on `backend` (a kind such as 'wasm' or 'onnx'). */
export function estimateIterationBytes(width: number, height: number, backend: string): number {
  const rule = ruleFor(backend);
  return rule.bytesPerPixel * width * height + rule.fixedBytes;
}

/** WebAssembly memory is 32-bit: the heap stops at 4 GiB whatever the machine has. */
const WASM_HEAP_BYTES = 4 * 1024 ** 3;

/**
 * What a render leaves to everything else: the system, the studio itself and the person's other
 * programs, and the rules' own error (the measured figures above vary by about 10 %). A fifth of the
 * machine, and never less than 2 GiB; without it the largest size allowed filled the machine
 * (23.3 GB estimated on 23.5 GiB with no swap).
 */
function headroomBytes(total: number): number {
  return Math.max(2 * 1024 ** 3, total * 0.2);
}

/** The memory a render may use on `backend`: the machine's less the headroom, or less where the backend cannot address it. */
export function memoryLimitBytes(backend: string): number {
  const total = os.totalmem();
  const machine = Math.max(0, total - headroomBytes(total));
  return backend === 'wasm' ? Math.min(WASM_HEAP_BYTES * 0.95, machine) : machine;
}

/** The most pixels (width × height) one render stage can have on `backend`. */
export function maxRenderPixels(backend: string): number {
  const rule = ruleFor(backend);
  return Math.max(0, Math.floor((memoryLimitBytes(backend) - rule.fixedBytes) / rule.bytesPerPixel));
}
