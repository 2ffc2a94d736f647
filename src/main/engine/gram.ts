import * as tf from './tf.js';

/**
 * The Gram matrix of a feature map, divided by its number of positions M: G = FᵀF / M with F the
 * [M, N] matrix of N channels. Dividing by M here rather than in the loss (the paper's 1/(4N²M²))
 * keeps the values in float32's comfortable range at large sizes; the loss is the same.
 *
 * The gradient is written out (dF = F(dG + dGᵀ)/M) because on WebAssembly tfjs's own gradient of a
 * product uses transposed matMul operands, which take a path ~20× slower than plain matMul.
 */
export const gramMatrix: (features: tf.Tensor4D) => tf.Tensor2D = tf.customGrad((features, save) => {
  const [, height, width, channels] = (features as tf.Tensor4D).shape;
  const positions = height * width;
  const f = tf.reshape(features as tf.Tensor4D, [positions, channels]) as tf.Tensor2D;
  (save as tf.GradSaveFunc)([f]);
  return {
    value: tf.div(tf.matMul(tf.transpose(f), f), positions) as tf.Tensor2D,
    gradFunc: (dy, saved) => {
      const symmetric = tf.add(dy, tf.transpose(dy)) as tf.Tensor2D;
      const df = tf.div(tf.matMul(saved[0] as tf.Tensor2D, symmetric), positions);
      return tf.reshape(df, [1, height, width, channels]);
    },
  };
}) as (features: tf.Tensor4D) => tf.Tensor2D;
