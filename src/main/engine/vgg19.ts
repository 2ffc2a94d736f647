import { NETWORK_LAYERS, poolAfter, type VggNetwork } from '../../common/networks.js';
import { VGG19_LAYERS, type VggLayer } from '../../common/settings.js';
import { ConvRelu } from './conv-relu.js';
import { avgPool2x2 } from './pooling.js';
import * as tf from './tf.js';

/** Weights of one convolution, as the model installer reads them. Kernel layout HWIO. */
export interface ConvWeights {
  kernel: Float32Array;
  kernelShape: [number, number, number, number];
  bias: Float32Array;
}
export type Vgg19Weights = Record<VggLayer, ConvWeights>;
/** Every layer of the chosen network's table (VGG16 has no conv3_4, conv4_4, conv5_4). */
export type VggWeights = Partial<Vgg19Weights>;

/** Caffe/Keras preprocessing of the ImageNet VGG weights: BGR order, 0…255, minus the channel means. */
export const BGR_MEAN = [103.939, 116.779, 123.68] as const;

export type Pooling = 'max' | 'avg';

/** Layers after which VGG19 halves the resolution. */
const POOL_AFTER = poolAfter('vgg19');

/**
 * The convolutional part of VGG19 or VGG16 (Simonyan & Zisserman 2014) as Gatys et al. use it, built
 * from the network's layer table. Takes images already in network space (see `toNetworkSpace`) and
 * returns the requested layers' activations, running the network only as deep as the deepest of them.
 */
export class Vgg19 {
  private readonly layers: readonly VggLayer[];
  private readonly poolAfter: Set<VggLayer>;

  private constructor(
    private readonly convs: Map<VggLayer, ConvRelu>,
    readonly network: VggNetwork,
  ) {
    this.layers = NETWORK_LAYERS[network];
    this.poolAfter = poolAfter(network);
  }

  static fromWeights(weights: VggWeights, network: VggNetwork = 'vgg19'): Vgg19 {
    const convs = new Map<VggLayer, ConvRelu>();
    for (const layer of NETWORK_LAYERS[network]) {
      const layerWeights = weights[layer];
      if (!layerWeights) throw new Error(`no weights for ${network} layer ${layer}`);
      const { kernel, kernelShape, bias } = layerWeights;
      convs.set(layer, new ConvRelu(tf.tensor4d(kernel, kernelShape), tf.tensor1d(bias)));
    }
    return new Vgg19(convs, network);
  }

  features(image: tf.Tensor4D, layers: readonly VggLayer[], pooling: Pooling): Map<VggLayer, tf.Tensor4D> {
    const wanted = new Set(layers);
    const missing = layers.find((layer) => !this.layers.includes(layer));
    if (missing) throw new Error(`${this.network} has no layer ${missing}`);
    const deepest = Math.max(...layers.map((layer) => this.layers.indexOf(layer)));
    const out = new Map<VggLayer, tf.Tensor4D>();
    let x = image;
    for (const layer of this.layers.slice(0, deepest + 1)) {
      x = this.convs.get(layer)!.apply(x);
      if (wanted.has(layer)) out.set(layer, x);
      if (this.poolAfter.has(layer) && layer !== this.layers[deepest]) {
        x = pooling === 'max' ? tf.maxPool(x, 2, 2, 'valid') : avgPool2x2(x);
      }
    }
    return out;
  }

  dispose(): void {
    for (const conv of this.convs.values()) conv.dispose();
    this.convs.clear();
  }
}

/** Index of a layer in network order, for "how deep must the forward pass go". */
function layerDepth(layer: VggLayer): number {
  return VGG19_LAYERS.indexOf(layer);
}

/** Multiply-adds ×2 of the forward pass up to `deepest` on a width×height image (for GFLOP/s reports). */
export function forwardFlops(width: number, height: number, deepest: VggLayer): number {
  let flops = 0;
  let [w, h] = [width, height];
  for (const layer of VGG19_LAYERS.slice(0, layerDepth(deepest) + 1)) {
    const [, , cin, cout] = KERNEL_SHAPES[layer];
    flops += 2 * w * h * 9 * cin * cout;
    if (POOL_AFTER.has(layer)) [w, h] = [Math.floor(w / 2), Math.floor(h / 2)];
  }
  return flops;
}

const channelsOut = (layer: VggLayer): number => [64, 128, 256, 512, 512][Number(layer[4]) - 1]!;
const KERNEL_SHAPES = Object.fromEntries(
  VGG19_LAYERS.map((layer, i) => {
    const cout = channelsOut(layer);
    const cin = i === 0 ? 3 : channelsOut(VGG19_LAYERS[i - 1]!);
    return [layer, [3, 3, cin, cout]];
  }),
) as Record<VggLayer, [number, number, number, number]>;

/** The kernel shape each layer must have; the loader checks installed weights against it. */
export function expectedKernelShape(layer: VggLayer): [number, number, number, number] {
  return KERNEL_SHAPES[layer];
}
