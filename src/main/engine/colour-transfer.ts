import * as tf from './tf.js';

/*
 * Colour control before the optimization, after Gatys, Bethge, Hertzmann & Shechtman (2017, "Controlling
 * Perceptual Factors in Neural Style Transfer", section 5). Images are RGB [1, H, W, 3] in 0…255.
 */

// ITU-R BT.601 luma, as keepContentColors uses.
const LUMA = [0.299, 0.587, 0.114];

/** The luminance channel [1, H, W, 1]. */
function luminance(image: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sum(tf.mul(image, tf.tensor1d(LUMA)), 3, true) as tf.Tensor4D);
}

/** A one-channel image as grey RGB. */
function grey(channel: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.tile(channel, [1, 1, 1, 3]) as tf.Tensor4D);
}

/** Luminance-only transfer (section 5.1): the photo as its luminance, in grey. */
export function photoLuminance(photo: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => grey(luminance(photo)));
}

/**
 * Luminance-only transfer (section 5.1): the style's luminance with its mean and standard deviation
 * matched to the photo's (L_s' = σ_c/σ_s (L_s − μ_s) + μ_c), so the strokes keep their contrast but take
 * the photo's brightness. The result's luminance is recombined with the photo's colours afterwards.
 */
export function styleLuminanceMatched(style: tf.Tensor4D, photo: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [ls, lc] = [luminance(style), luminance(photo)];
    const s = tf.moments(ls);
    const c = tf.moments(lc);
    const scale = tf.div(tf.sqrt(c.variance), tf.add(tf.sqrt(s.variance), 1e-6));
    return grey(tf.add(tf.mul(tf.sub(ls, s.mean), scale), c.mean) as tf.Tensor4D);
  });
}

/** Mean [3] and covariance [3, 3] of an image's RGB values. */
function colourMoments(image: tf.Tensor4D): { mean: tf.Tensor1D; covariance: tf.Tensor2D } {
  return tf.tidy(() => {
    const [, h, w] = image.shape;
    const pixels = tf.reshape(image, [h * w, 3]) as tf.Tensor2D;
    const mean = tf.mean(pixels, 0) as tf.Tensor1D;
    const centred = tf.sub(pixels, mean) as tf.Tensor2D;
    return { mean, covariance: tf.div(tf.matMul(centred, centred, true, false), h * w) as tf.Tensor2D };
  });
}

/** Lower Cholesky factor of a 3×3 symmetric positive definite matrix (a small ridge keeps it definite). */
function cholesky3(m: number[][]): number[][] {
  const l = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i]![j]! + (i === j ? 1e-3 : 0);
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(Math.max(sum, 1e-9)) : sum / l[j]![j]!;
    }
  }
  return l;
}

function invertLower3(l: number[][]): number[][] {
  const inv = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < 3; i++) {
    inv[i]![i] = 1 / l[i]![i]!;
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= l[i]![k]! * inv[k]![j]!;
      inv[i]![j] = sum / l[i]![i]!;
    }
  }
  return inv;
}

function multiply3(a: number[][], b: number[][]): number[][] {
  return a.map((row) => [0, 1, 2].map((j) => row.reduce((sum, v, k) => sum + v * b[k]![j]!, 0)));
}

/**
 * Colour histogram matching (section 5.2): the style image's colours moved to the photo's by the linear
 * map x' = A(x − μ_s) + μ_c with A = L_c L_s⁻¹ (Cholesky factors of the covariances), so its mean and
 * covariance become the photo's; the transfer then paints with the photo's palette.
 */
export function matchColours(style: tf.Tensor4D, photo: tf.Tensor4D): tf.Tensor4D {
  const s = colourMoments(style);
  const c = colourMoments(photo);
  const [sCov, cCov] = [s.covariance.arraySync(), c.covariance.arraySync()];
  const a = multiply3(cholesky3(cCov), invertLower3(cholesky3(sCov)));
  try {
    return tf.tidy(() => {
      const [, h, w] = style.shape;
      const pixels = tf.sub(tf.reshape(style, [h * w, 3]), s.mean) as tf.Tensor2D;
      // Row vectors: x'ᵀ = (x − μ_s)ᵀ Aᵀ + μ_cᵀ.
      const mapped = tf.add(tf.matMul(pixels, tf.tensor2d(a), false, true), c.mean);
      return tf.clipByValue(tf.reshape(mapped, [1, h, w, 3]), 0, 255) as tf.Tensor4D;
    });
  } finally {
    tf.dispose([s.mean, s.covariance, c.mean, c.covariance]);
  }
}
