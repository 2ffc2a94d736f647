import type { RgbImage } from '../../common/progress.js';

/** Box-blur passes and radius: three passes approximate a Gaussian of σ ≈ 8 px, the low-pass removed. */
const BLUR_RADIUS = 8;
const BLUR_PASSES = 3;
const MAX_SHIFT = 40;

function boxBlur(values: Float64Array, width: number, height: number, horizontal: boolean): Float64Array {
  const out = new Float64Array(values.length);
  const [lines, length] = horizontal ? [height, width] : [width, height];
  const at = (line: number, i: number) => (horizontal ? line * width + i : i * width + line);
  for (let line = 0; line < lines; line++) {
    for (let i = 0; i < length; i++) {
      let sum = 0;
      let count = 0;
      for (let k = Math.max(0, i - BLUR_RADIUS); k <= Math.min(length - 1, i + BLUR_RADIUS); k++) {
        sum += values[at(line, k)]!;
        count++;
      }
      out[at(line, i)] = sum / count;
    }
  }
  return out;
}

/**
 * The size of a picture's strokes, in pixels: the autocorrelation length of its luminance's
 * high-frequency part (the luminance minus a σ ≈ 8 px blur), the shift at which the autocorrelation,
 * averaged over horizontal and vertical shifts, falls below 1/e. Finer brushwork gives a shorter length.
 * Used to check that style scales order like neural-style's (`bench:quality`).
 */
export function strokeLength(image: RgbImage): number {
  const { width, height, data } = image;
  const luma = new Float64Array(width * height);
  for (let p = 0; p < luma.length; p++) luma[p] = 0.299 * data[3 * p]! + 0.587 * data[3 * p + 1]! + 0.114 * data[3 * p + 2]!;
  let low: Float64Array<ArrayBufferLike> = luma;
  for (let pass = 0; pass < BLUR_PASSES; pass++) low = boxBlur(boxBlur(low, width, height, true), width, height, false);
  const high = luma.map((v, p) => v - low[p]!);
  const correlation = (dx: number, dy: number) => {
    let sum = 0;
    let count = 0;
    for (let y = 0; y + dy < height; y++) for (let x = 0; x + dx < width; x++) {
      sum += high[y * width + x]! * high[(y + dy) * width + x + dx]!;
      count++;
    }
    return sum / count;
  };
  const zero = correlation(0, 0);
  let previous = 1;
  for (let d = 1; d <= MAX_SHIFT; d++) {
    const c = (correlation(d, 0) + correlation(0, d)) / (2 * zero);
    if (c < 1 / Math.E) return d - 1 + (previous - 1 / Math.E) / (previous - c);
    previous = c;
  }
  return MAX_SHIFT;
}
