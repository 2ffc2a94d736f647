import { gramMatrix } from './gram.js';
import * as tf from './tf.js';

/**
 * Content loss of one layer: ½ Σ (F − P)² as in Gatys et al. (eq. 1), divided by the number of
 * feature values so that a weight means the same at every image size (the coarse-to-fine stages
 * change the size mid-render).
 */
export function contentLoss(features: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.mul(0.5, tf.mean(tf.squaredDifference(features, target)));
}

/**
 * Style loss of one layer, E_l = 1/(4N²M²) Σ (G − A)² (Gatys et al., eq. 4), with N channels and M
 * positions. `gramMatrix` already divides G by M, so only 1/(4N²) remains here. `targetGram` is the
 * style image's Gram matrix divided by its own M, so style and content may differ in size.
 */
export function styleLoss(features: tf.Tensor4D, targetGram: tf.Tensor2D): tf.Scalar {
  const channels = features.shape[3];
  return tf.div(tf.sum(tf.squaredDifference(gramMatrix(features), targetGram)), 4 * channels * channels);
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
