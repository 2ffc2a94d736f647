import type { InferenceSession } from 'onnxruntime-node';
import type { RgbImage } from '../../../common/progress.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import type { OnnxRuntime } from '../onnx/runtime.js';
import * as tf from '../tf.js';
import { INSTANCE_NORM_EPSILON, OUTPUT_OFFSET, OUTPUT_SCALE } from './architecture.js';
import { layerVariables, type FastStyleLoader, type FastStyleNet, type FastStyleVariable, type FastStyleWeights } from './network.js';
import { paintPadded } from './padded.js';

/**
 * A checkpoint kernel [h, w, a, b] as ONNX wants it, [b, a, h, w]. The same turn serves both kinds:
 * Conv takes [out, in, h, w] from [h, w, in, out], and ConvTranspose [in, out, h, w] from the
 * transposed convolutions' [h, w, out, in].
 */
function onnxKernel({ values, shape }: FastStyleVariable): { values: Float32Array; dims: number[] } {
  const [h, w, a, b] = shape as [number, number, number, number];
  const out = new Float32Array(values.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let i = 0; i < a; i++) {
        for (let o = 0; o < b; o++) out[((o * a + i) * h + y) * w + x] = values[((y * w + x) * a + i) * b + o]!;
      }
    }
  }
  return { values: out, dims: [b, a, h, w] };
}

/**
 * The transformation network as a forward-only ONNX graph, from the same layer table and variables
 * as the tfjs network. One graph serves every picture size: height and width are named, not fixed.
 * Padding follows TensorFlow's 'same': at stride 2 on an even side the one extra row and column go
 * after the picture, for the convolutions and for the transposed ones (their gradients).
 */
function fastStyleGraph(weights: FastStyleWeights): Uint8Array {
  const g = new GraphBuilder();
  const image = g.input('image', [1, 'height', 'width', 3]);
  let x = g.op('Transpose', [image], { perm: [0, 3, 1, 2] });
  let blockInput: string | undefined;
  for (const { layer, kernel, shift, scale } of layerVariables(weights)) {
    const { values, dims } = onnxKernel(kernel);
    const w = g.constant(values, dims, 'kernel');
    const window = { kernel_shape: [layer.size, layer.size], strides: [layer.stride, layer.stride] };
    const convolved = layer.kind === 'upsample'
      ? g.op('ConvTranspose', [x, w], { ...window, pads: [0, 0, 1, 1] })
      : g.op('Conv', [x, w], { ...window, auto_pad: 'SAME_UPPER' });
    const normalized = g.op('InstanceNormalization', [convolved, g.constant(scale.values, [layer.channelsOut], 'scale'), g.constant(shift.values, [layer.channelsOut], 'shift')], {
      epsilon: { float: INSTANCE_NORM_EPSILON },
    });
    switch (layer.kind) {
      case 'residual-a':
        blockInput = x;
        x = g.op('Relu', [normalized]);
        break;
      case 'residual-b':
        x = g.op('Add', [blockInput!, normalized]);
        break;
      case 'output':
        x = g.op('Add', [g.op('Mul', [g.op('Tanh', [normalized]), g.scalar(OUTPUT_SCALE)]), g.scalar(OUTPUT_OFFSET)]);
        break;
      default:
        x = g.op('Relu', [normalized]);
    }
  }
  g.output(g.op('Transpose', [x], { perm: [0, 2, 3, 1] }), 'painted', [1, 'height', 'width', 3]);
  return g.toBytes();
}

export interface OnnxFastStyleOptions {
  ort: OnnxRuntime;
  /** Execution provider as ORT spells it ('cpu', 'cuda', …): the one the Gatys loop runs on. */
  executionProvider: string;
  threads?: number;
}

/** The transformation network on ONNX Runtime: one session per network, any picture size. */
export class OnnxFastStyleNet implements FastStyleNet {
  readonly executor: string;

  constructor(
    readonly name: string,
    private readonly session: InferenceSession,
    private readonly ort: OnnxRuntime,
    executionProvider: string,
  ) {
    this.executor = `onnxruntime-${executionProvider}`;
  }

  /** [1, H, W, 3] RGB 0…255, sides multiples of SIZE_MULTIPLE, to the same; the input is kept. */
  async forward(image: tf.Tensor4D): Promise<tf.Tensor4D> {
    const input = new this.ort.Tensor('float32', (await image.data()) as Float32Array, image.shape);
    const { painted } = await this.session.run({ image: input });
    try {
      return tf.tensor4d(painted!.data as Float32Array, image.shape);
    } finally {
      painted!.dispose();
    }
  }

  stylize(image: RgbImage): Promise<RgbImage> {
    return paintPadded(image, (padded) => this.forward(padded));
  }

  dispose(): void {
    void this.session.release();
  }
}

export function onnxFastStyleLoader({ ort, executionProvider, threads }: OnnxFastStyleOptions): FastStyleLoader {
  return async (weights) => {
    const session = await ort.InferenceSession.create(fastStyleGraph(weights), {
      executionProviders: [executionProvider],
      graphOptimizationLevel: 'all',
      ...(threads && { intraOpNumThreads: threads }),
    });
    return new OnnxFastStyleNet(weights.name, session, ort, executionProvider);
  };
}
