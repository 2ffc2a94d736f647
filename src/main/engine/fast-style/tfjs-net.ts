import type { RgbImage } from '../../../common/progress.js';
import * as tf from '../tf.js';
import { INSTANCE_NORM_EPSILON, OUTPUT_OFFSET, OUTPUT_SCALE, TRANSFORM_LAYERS } from './architecture.js';
import { layerVariables, type FastStyleLoader, type FastStyleNet, type FastStyleWeights } from './network.js';
import { paintPadded } from './padded.js';

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
    const params = layerVariables(weights).map(({ kernel, shift, scale }) => ({
      kernel: tf.tensor4d(kernel.values, kernel.shape as [number, number, number, number]),
      shift: tf.tensor1d(shift.values),
      scale: tf.tensor1d(scale.values),
    }));
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

  stylize(image: RgbImage): Promise<RgbImage> {
    return paintPadded(image, (padded) => this.forward(padded));
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
