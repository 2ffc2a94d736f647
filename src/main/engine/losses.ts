import type { LossNormalization } from '../../common/settings.js';
import { gramMatrix } from './gram.js';
import * as tf from './tf.js';

/**
 * The factors a layer's squared error is multiplied by, per normalization (see LOSS_NORMALIZATIONS).
 * 'paper': content ½Σ(F − P)² divided by the number of values (Gatys et al. eq. 1, averaged so a weight
 * means the same at every stage size), style Σ(G − A)²/(4N²M²) (eq. 4; G = FᵀF/M already carries 1/M).
 * 'relative': each divided by its target's squared norm ΣP² or ΣA², so that a layer's term is its
 * relative error. A painting with weak activations (dark, flat) then pulls as hard as a bright busy one,
 * and the shallow layers (colour, fine texture), whose Gram entries are small, as hard as the deep ones;
 * this departs from the paper, whose balance moves with the painting's scale of activations.
 */
export const lossScale = {
  content(normalization: LossNormalization, values: number, targetSquaredNorm: number): number {
    return normalization === 'paper' ? 0.5 / values : 1 / Math.max(targetSquaredNorm, Number.MIN_VALUE);
  },
  style(normalization: LossNormalization, channels: number, targetSquaredNorm: number): number {
    return normalization === 'paper' ? 1 / (4 * channels * channels) : 1 / Math.max(targetSquaredNorm, Number.MIN_VALUE);
  },
};

/** Content loss of one layer: scale · Σ (F − P)²; the default scale is the paper's, averaged per value. */
export function contentLoss(features: tf.Tensor4D, target: tf.Tensor4D, scale = 0.5 / features.size): tf.Scalar {
  return tf.mul(scale, tf.sum(tf.squaredDifference(features, target)));
}

/**
 * Style loss of one layer: scale · Σ (G − A)², by default the paper's E_l = 1/(4N²M²) Σ (G − A)² with N
 * channels and M positions (`gramMatrix` already divides G by M). `targetGram` is the style image's Gram
 * matrix divided by its own M, so style and content may differ in size.
 */
export function styleLoss(features: tf.Tensor4D, targetGram: tf.Tensor2D, scale = 1 / (4 * features.shape[3] ** 2)): tf.Scalar {
  return tf.mul(scale, tf.sum(tf.squaredDifference(gramMatrix(features), targetGram)));
}

export type TvKind = 'l1' | 'squared';

/**
 * Total variation of an image [1, H, W, 3], averaged over pixels so the weight is size-independent.
 * 'l1': |∂x| + |∂y| (anisotropic). 'squared': ((∂x)² + (∂y)²)^1.25, the β = 2.5 regularizer of
 * Mahendran & Vedaldi (2015), which smooths without the staircase look of L1.
 */
export function tvLoss(image: tf.Tensor4D, kind: TvKind): tf.Scalar {
  const [, height, width] = image.shape;
  const dy = tf.sub(tf.slice(image, [0, 1, 0, 0], [1, height - 1, width - 1, -1]), tf.slice(image, [0, 0, 0, 0], [1, height - 1, width - 1, -1]));
  const dx = tf.sub(tf.slice(image, [0, 0, 1, 0], [1, height - 1, width - 1, -1]), tf.slice(image, [0, 0, 0, 0], [1, height - 1, width - 1, -1]));
  if (kind === 'l1') return tf.mean(tf.add(tf.abs(dx), tf.abs(dy)));
  // A small floor keeps the gradient of x^1.25 finite where the image is flat.
  return tf.mean(tf.pow(tf.add(tf.add(tf.square(dx), tf.square(dy)), 1e-8), 1.25));
}
