import type { RgbImage } from '../../common/progress.js';

/** Per-channel mean and standard deviation of an image's colours in CIELAB (D65). */
export interface ColourStats {
  mean: [number, number, number];
  std: [number, number, number];
}

function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function labF(t: number): number {
  return t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116;
}

/** sRGB 0…255 → CIELAB, D65 white. */
function rgbToLab(r: number, g: number, b: number): [number, number, number] {
  const [rl, gl, bl] = [linear(r), linear(g), linear(b)];
  const x = labF((0.4124 * rl + 0.3576 * gl + 0.1805 * bl) / 0.95047);
  const y = labF(0.2126 * rl + 0.7152 * gl + 0.0722 * bl);
  const z = labF((0.0193 * rl + 0.1192 * gl + 0.9505 * bl) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

export function colourStats(image: RgbImage): ColourStats {
  const sum = [0, 0, 0];
  const squares = [0, 0, 0];
  const pixels = image.width * image.height;
  for (let p = 0; p < pixels; p++) {
    const lab = rgbToLab(image.data[3 * p]!, image.data[3 * p + 1]!, image.data[3 * p + 2]!);
    for (let c = 0; c < 3; c++) {
      sum[c]! += lab[c]!;
      squares[c]! += lab[c]! ** 2;
    }
  }
  const mean = sum.map((s) => s / pixels) as ColourStats['mean'];
  const std = squares.map((s, c) => Math.sqrt(Math.max(0, s / pixels - mean[c]! ** 2))) as ColourStats['std'];
  return { mean, std };
}

/** The statistics of the pooled pixels of several images, image s counting `weights[s]` (summing to 1). */
export function blendStats(stats: ColourStats[], weights: number[]): ColourStats {
  const mean = [0, 1, 2].map((c) => stats.reduce((sum, s, i) => sum + weights[i]! * s.mean[c]!, 0)) as ColourStats['mean'];
  const std = [0, 1, 2].map((c) => Math.sqrt(Math.max(0, stats.reduce((sum, s, i) => sum + weights[i]! * (s.std[c]! ** 2 + s.mean[c]! ** 2), 0) - mean[c]! ** 2))) as ColourStats['std'];
  return { mean, std };
}

/**
 * How far apart two images' colour statistics are: the Euclidean distance between their Lab means and
 * standard deviations (in Lab units, ΔE-like). A measure the style loss does not minimize directly: it
 * says whether a result took the painting's palette or kept the photo's.
 */
export function colourDistance(a: ColourStats, b: ColourStats): number {
  return Math.hypot(...[0, 1, 2].flatMap((c) => [a.mean[c]! - b.mean[c]!, a.std[c]! - b.std[c]!]));
}
