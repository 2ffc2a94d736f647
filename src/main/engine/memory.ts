import os from 'node:os';

/**
 * How much memory a render needs and how much each backend can give it. Plain arithmetic with no
 * TensorFlow import, so the studio can tell the UI the limit without starting an engine.
 */

/**
 * Bytes one optimization iteration needs at width×height: VGG19's activations up to conv5_1 come to
 * about 320 floats per pixel; forward values kept for the backward pass, gradients and temporaries
 * multiply that by about 7 (3.8 GB measured at 640×640 on wasm).
 */
const BYTES_PER_PIXEL = 320 * 4 * 7;
const FIXED_BYTES = 200e6;

export function estimateIterationBytes(width: number, height: number): number {
  return BYTES_PER_PIXEL * width * height + FIXED_BYTES;
}

/** WebAssembly memory is 32-bit: the heap stops at 4 GiB whatever the machine has. */
const WASM_HEAP_BYTES = 4 * 1024 ** 3;

/** The memory a render may use on `backend` (a backend kind such as 'wasm' or 'tfjs-node'). */
export function memoryLimitBytes(backend: string): number {
  return backend === 'wasm' ? Math.min(WASM_HEAP_BYTES * 0.95, os.totalmem()) : os.totalmem();
}

/** The most pixels (width × height) one render stage can have on `backend`. */
export function maxRenderPixels(backend: string): number {
  return Math.max(0, Math.floor((memoryLimitBytes(backend) - FIXED_BYTES) / BYTES_PER_PIXEL));
}
