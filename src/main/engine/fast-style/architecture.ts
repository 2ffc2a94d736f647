/**
 * The transformation network of Johnson et al. (2016) as Engstrom's fast-style-transfer builds it,
 * in the order its checkpoint stores the variables: each convolution's kernel is followed by the
 * shift and the scale of its instance normalization. Kernels are [h, w, in, out], except the two
 * transposed convolutions, stored [h, w, out, in] as tf.nn.conv2d_transpose takes them.
 */
export type LayerKind = 'conv' | 'residual-a' | 'residual-b' | 'upsample' | 'output';

export interface TransformLayer {
  kind: LayerKind;
  size: number;
  stride: number;
  channelsIn: number;
  channelsOut: number;
}

const conv = (kind: LayerKind, size: number, stride: number, channelsIn: number, channelsOut: number): TransformLayer => ({ kind, size, stride, channelsIn, channelsOut });

export const TRANSFORM_LAYERS: readonly TransformLayer[] = [
  conv('conv', 9, 1, 3, 32),
  conv('conv', 3, 2, 32, 64),
  conv('conv', 3, 2, 64, 128),
  ...Array.from({ length: 5 }, () => [conv('residual-a', 3, 1, 128, 128), conv('residual-b', 3, 1, 128, 128)]).flat(),
  conv('upsample', 3, 2, 128, 64),
  conv('upsample', 3, 2, 64, 32),
  conv('output', 9, 1, 32, 3),
];

/** Shapes of the checkpoint's variables `Variable`, `Variable_1`, … in order. */
export const VARIABLE_SHAPES: readonly (readonly number[])[] = TRANSFORM_LAYERS.flatMap((layer) => [
  layer.kind === 'upsample'
    ? [layer.size, layer.size, layer.channelsOut, layer.channelsIn]
    : [layer.size, layer.size, layer.channelsIn, layer.channelsOut],
  [layer.channelsOut],
  [layer.channelsOut],
]);

/** Checkpoint name of the i-th variable. */
export const variableName = (index: number): string => (index === 0 ? 'Variable' : `Variable_${index}`);

/** Engstrom's instance normalization epsilon. */
export const INSTANCE_NORM_EPSILON = 1e-3;

/** The output is tanh(x)·150 + 127.5: 0…255 RGB with some room past both ends, clipped when rounded. */
export const OUTPUT_SCALE = 150;
export const OUTPUT_OFFSET = 255 / 2;

/**
 * The two stride-2 convolutions halve the size twice and the transposed ones double it twice, so
 * the network paints a picture whose sides are multiples of 4; the input is padded up to that.
 */
export const SIZE_MULTIPLE = 4;

/**
 * How far from an output pixel the input pixels that shape it lie: each layer adds half its kernel,
 * counted in input pixels (the strides so far multiply it; a transposed convolution divides them).
 * 54 px for this network.
 */
export const RECEPTIVE_RADIUS = TRANSFORM_LAYERS.reduce(
  ({ radius, jump }, layer) => {
    const next = layer.kind === 'upsample' ? jump / layer.stride : jump * layer.stride;
    return { radius: radius + Math.floor(layer.size / 2) * (layer.kind === 'upsample' ? next : jump), jump: next };
  },
  { radius: 0, jump: 1 },
).radius;
