import * as tf from './tf.js';

/**
 * A 3×3 'same' convolution with bias and ReLU whose gradient with respect to its input is one
 * convolution: dx = conv2d(dy ⊙ step(y), W′), with W′ the kernel turned 180° in space and its input
 * and output channels swapped. tfjs's own Conv2DBackpropInput is a plain loop on WebAssembly (about
 * 6× slower); this runs the same fast convolution kernel as the forward pass. No gradient flows to
 * the weights: style transfer optimizes pixels only.
 */
export class ConvRelu {
  private readonly kernel: tf.Tensor4D;
  private readonly bias: tf.Tensor1D;
  private readonly backwardKernel: tf.Tensor4D;
  readonly apply: (x: tf.Tensor4D) => tf.Tensor4D;

  constructor(kernel: tf.Tensor4D, bias: tf.Tensor1D) {
    this.kernel = kernel;
    this.bias = bias;
    this.backwardKernel = tf.tidy(() => tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]));
    this.apply = tf.customGrad((x, save) => {
      const y = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: this.kernel, bias: this.bias, strides: 1, pad: 'same', activation: 'relu' });
      (save as tf.GradSaveFunc)([y]);
      return {
        value: y,
        gradFunc: (dy, saved) => {
          const mask = tf.step(saved[0]!);
          return tf.conv2d(tf.mul(dy, mask) as tf.Tensor4D, this.backwardKernel, 1, 'same');
        },
      };
    }) as (x: tf.Tensor4D) => tf.Tensor4D;
  }

  get channels(): number {
    return this.kernel.shape[3];
  }

  dispose(): void {
    tf.dispose([this.kernel, this.bias, this.backwardKernel]);
  }
}
