import os from 'node:os';
import { AtelierError } from '../../../common/errors.js';
import type { RgbImage } from '../../../common/progress.js';
import { imageToTensor, keepContentColors, tensorToImage } from '../image-tensor.js';
import * as tf from '../tf.js';
import type { FastStyleNet } from './network.js';

export interface InstantOptions {
  /** 0–100: how much of the painted picture goes over the photo. */
  strength: number;
  /** Keep the photo's colours (luminance-only transfer), as in the Gatys renders. */
  keepColors: boolean;
}

/**
 * Paints `photo` with a feed-forward network in one pass, then mixes it with the photo by
 * `strength` (0 returns the photo itself) and optionally puts the photo's colours back.
 */
export async function instantStylize(net: FastStyleNet, photo: RgbImage, options: InstantOptions, backend: string): Promise<RgbImage> {
  checkInstantMemory(photo.width, photo.height, backend);
  const painted = await net.stylize(photo);
  const mixed = tf.tidy(() => {
    const original = imageToTensor(photo);
    let result = imageToTensor(painted);
    if (options.keepColors) result = keepContentColors(result, original);
    return tf.add(original, tf.mul(tf.sub(result, original), options.strength / 100)) as tf.Tensor4D;
  });
  try {
    return tensorToImage(mixed);
  } finally {
    mixed.dispose();
  }
}

/**
 * Bytes one forward pass needs: the network's peak is about 0.9 kB a pixel of the picture (measured
 * with tf.profile on wasm at 256² and 512²: the full-size 32-channel layers with their instance
 * normalization's temporaries), plus the weights and the blend. ONNX Runtime's peak is about the same
 * (resident memory grew by 1.0–1.1 kB a pixel at 512², 1024×768 and 2048×1536), and there tfjs's
 * WebAssembly heap holds only the picture's padding and blend (tens of bytes a pixel).
 */
function estimateInstantBytes(width: number, height: number): number {
  return 1024 * width * height + 50e6;
}

/** WebAssembly memory is 32-bit; tfjs's wasm heap cannot grow past 4 GiB. */
const WASM_HEAP_BYTES = 4 * 1024 ** 3;

/**
 * Refuses a picture the backend cannot hold. Instance normalization takes its statistics over the
 * whole picture, so painting in tiles would change the look from tile to tile; a clear refusal
 * with the size that fits is better than a patchwork.
 */
export function checkInstantMemory(width: number, height: number, backend: string): void {
  const needed = estimateInstantBytes(width, height);
  const limit = backend === 'wasm' ? Math.min(WASM_HEAP_BYTES * 0.9, os.totalmem() / 2) : os.totalmem() / 2;
  if (needed <= limit) return;
  const scale = Math.sqrt((limit - 50e6) / (needed - 50e6));
  const fits = Math.floor(Math.max(width, height) * scale);
  const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
  throw new AtelierError(
    'TOO_LARGE',
    `an instant ${width}×${height} picture needs about ${gb(needed)} GB of memory, more than the ${gb(limit)} GB the ${backend} backend can use: choose a long side of at most ${fits} px`,
  );
}
