import * as tf from './tf.js';

/**
 * 2×2, stride-2 average pooling whose gradient spreads each value over its window with a
 * nearest-neighbour upscale. tfjs's AvgPoolGrad on WebAssembly is a general single-threaded loop,
 * about 4× slower at VGG's sizes; it also keeps a copy of the (large) input for the backward pass,
 * which this does not need.
 */
export const avgPool2x2: (x: tf.Tensor4D) => tf.Tensor4D = tf.customGrad((x) => {
  const [, height, width] = (x as tf.Tensor4D).shape;
  return {
    value: tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid'),
    gradFunc: (dy) => {
      // Scaling before upscaling touches four times fewer values.
      const spread = tf.image.resizeNearestNeighbor(tf.mul(dy, 0.25) as tf.Tensor4D, [height - (height % 2), width - (width % 2)]);
      // 'valid' pooling drops an odd last row or column; it gets no gradient.
      return height % 2 || width % 2 ? tf.pad(spread, [[0, 0], [0, height % 2], [0, width % 2], [0, 0]]) : spread;
    },
  };
}) as (x: tf.Tensor4D) => tf.Tensor4D;
