import type { RgbImage } from '../../../common/progress.js';

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
