import type { RgbImage } from '../../../common/progress.js';
import { imageToTensor, tensorToImage } from '../image-tensor.js';
import * as tf from '../tf.js';
import { INSTANCE_NORM_EPSILON, OUTPUT_OFFSET, OUTPUT_SCALE, SIZE_MULTIPLE, TRANSFORM_LAYERS, VARIABLE_SHAPES } from './architecture.js';
import type { FastStyleLoader, FastStyleNet, FastStyleWeights } from './network.js';

interface LayerParams {
  kernel: tf.Tensor4D;
  shift: tf.Tensor1D;
  scale: tf.Tensor1D;
}

/** The transformation network on TensorFlow.js, whichever tfjs backend is active. */
export class TfjsFastStyleNet implements FastStyleNet {
  readonly executor: string;

  private constructor(
    readonly name: string,
    private readonly params: LayerParams[],
  ) {
    this.executor = `tfjs-${tf.getBackend()}`;
  }

  static fromWeights(weights: FastStyleWeights): TfjsFastStyleNet {
    const { variables } = weights;
    if (variables.length !== VARIABLE_SHAPES.length) {
      throw new Error(`fast-style network "${weights.name}" has ${variables.length} variables; the architecture needs ${VARIABLE_SHAPES.length}`);
    }
    variables.forEach((variable, i) => {
      const expected = VARIABLE_SHAPES[i]!;
      const count = expected.reduce((a, b) => a * b, 1);
      if (variable.shape.join() !== expected.join() || variable.values.length !== count) {
        throw new Error(`fast-style network "${weights.name}": variable ${i} is [${variable.shape.join()}], expected [${expected.join()}]`);
      }
    });
    const params = TRANSFORM_LAYERS.map((_, i) => {
      const [kernel, shift, scale] = [variables[3 * i]!, variables[3 * i + 1]!, variables[3 * i + 2]!];
      return {
        kernel: tf.tensor4d(kernel.values, kernel.shape as [number, number, number, number]),
        shift: tf.tensor1d(shift.values),
        scale: tf.tensor1d(scale.values),
      };
    });
    return new TfjsFastStyleNet(weights.name, params);
  }

  /**
   * [1, H, W, 3] RGB 0…255, sides multiples of SIZE_MULTIPLE, to the same. Each layer's temporaries
   * are released as soon as the next layer has its input: one tidy around the whole pass would hold
   * every activation to the end (4.5 kB a pixel, measured, instead of about 1 kB).
   */
  forward(image: tf.Tensor4D): tf.Tensor4D {
    let x = image;
    let blockInput: tf.Tensor4D | undefined;
    const release = (t: tf.Tensor4D | undefined) => {
      if (t && t !== image) t.dispose();
    };
    for (const [i, layer] of TRANSFORM_LAYERS.entries()) {
      const { kernel, shift, scale } = this.params[i]!;
      const next = tf.tidy(() => {
        const [, height, width] = x.shape;
        const convolved = layer.kind === 'upsample'
          ? tf.conv2dTranspose(x, kernel, [1, height * layer.stride, width * layer.stride, layer.channelsOut], layer.stride, 'same')
          : tf.conv2d(x, kernel, layer.stride, 'same');
        const normalized = instanceNorm(convolved, shift, scale);
        switch (layer.kind) {
          case 'residual-b':
            return tf.add(blockInput!, normalized) as tf.Tensor4D;
          case 'output':
            return tf.add(tf.mul(tf.tanh(normalized), OUTPUT_SCALE), OUTPUT_OFFSET) as tf.Tensor4D;
          default:
            return tf.relu(normalized);
        }
      });
      if (layer.kind === 'residual-a') {
        blockInput = x;
      } else {
        release(x);
        if (layer.kind === 'residual-b') {
          release(blockInput);
          blockInput = undefined;
        }
      }
      x = next;
    }
    return x;
  }

  async stylize(image: RgbImage): Promise<RgbImage> {
    const { width, height } = image;
    if (Math.min(width, height) < SIZE_MULTIPLE) throw new Error(`a ${width}×${height} picture is too small to stylize`);
    const output = tf.tidy(() => {
      // Mirrored padding to whole multiples of 4 keeps the edges free of a dark border; cropped after.
      const padH = (SIZE_MULTIPLE - (height % SIZE_MULTIPLE)) % SIZE_MULTIPLE;
      const padW = (SIZE_MULTIPLE - (width % SIZE_MULTIPLE)) % SIZE_MULTIPLE;
      const padded = tf.mirrorPad(imageToTensor(image), [[0, 0], [0, padH], [0, padW], [0, 0]], 'symmetric');
      return tf.slice(this.forward(padded), [0, 0, 0, 0], [1, height, width, 3]);
    });
    try {
      return tensorToImage(output);
    } finally {
      output.dispose();
    }
  }

  dispose(): void {
    for (const { kernel, shift, scale } of this.params) tf.dispose([kernel, shift, scale]);
    this.params.length = 0;
  }
}

/** Instance normalization (Ulyanov et al. 2016): each channel of each picture to zero mean, unit variance, then scaled and shifted. */
function instanceNorm(x: tf.Tensor4D, shift: tf.Tensor1D, scale: tf.Tensor1D): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, INSTANCE_NORM_EPSILON))), scale), shift);
}

export const loadTfjsFastStyle: FastStyleLoader = async (weights) => TfjsFastStyleNet.fromWeights(weights);
