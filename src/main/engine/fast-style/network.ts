import type { RgbImage } from '../../../common/progress.js';
import { TRANSFORM_LAYERS, VARIABLE_SHAPES, type TransformLayer } from './architecture.js';

/** One checkpoint variable: its values (float32) and shape, as `VARIABLE_SHAPES` lists them. */
export interface FastStyleVariable {
  values: Float32Array;
  shape: readonly number[];
}

/** A network's 48 variables in checkpoint order (`Variable`, `Variable_1`, …). */
export interface FastStyleWeights {
  name: string;
  variables: readonly FastStyleVariable[];
}

/**
 * A loaded feed-forward style network on one executor. `stylize` paints a whole RGB picture in one
 * forward pass and returns the network's own output, same size; strength and colours are applied
 * afterwards by `instantStylize`, the same on every executor.
 */
export interface FastStyleNet {
  readonly name: string;
  /** The executor it runs on, for reports: 'tfjs-wasm', 'onnxruntime-cpu', … */
  readonly executor: string;
  stylize(image: RgbImage): Promise<RgbImage>;
  dispose(): void;
}

export type FastStyleLoader = (weights: FastStyleWeights) => Promise<FastStyleNet>;

/** One layer of the architecture with its convolution kernel and its instance normalization's shift and scale. */
export interface LayerVariables {
  layer: TransformLayer;
  kernel: FastStyleVariable;
  shift: FastStyleVariable;
  scale: FastStyleVariable;
}

/** Checks the variables against the architecture and pairs them with its layers: what every executor builds from. */
export function layerVariables(weights: FastStyleWeights): LayerVariables[] {
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
  return TRANSFORM_LAYERS.map((layer, i) => ({ layer, kernel: variables[3 * i]!, shift: variables[3 * i + 1]!, scale: variables[3 * i + 2]! }));
}
