import type { RgbImage } from '../../common/progress.js';

/** A deterministic test picture: smooth gradients with some texture, so activations are realistic. */
export function pattern(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (128 + 100 * Math.sin((x * seed) / 17)) | 0;
      data[i + 1] = (128 + 100 * Math.cos((y + seed * x) / 23)) | 0;
      data[i + 2] = ((x ^ y) * seed) & 255;
    }
  }
  return { width, height, data };
}
