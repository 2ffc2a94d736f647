import type { Objective, Optimizer } from './types.js';

// Kingma & Ba 2014, Algorithm 1, with the paper's default decay rates and epsilon.
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/** Adam with bias-corrected moment estimates; one step is one evaluation, in a fixed (deterministic) order. */
export function createAdam(learningRate: number): Optimizer {
  if (!(learningRate > 0)) throw new RangeError(`Adam learning rate must be positive, got ${learningRate}`);
  let moments: { m: Float32Array; v: Float32Array } | undefined;
  let t = 0;

  return {
    async step(x, objective: Objective) {
      const { loss, grad } = await objective(x);
      moments ??= { m: new Float32Array(x.length), v: new Float32Array(x.length) };
      const { m, v } = moments;
      t += 1;
      // Bias correction (Algorithm 1): divide by 1 − βᵗ so the zero-initialized moments are unbiased.
      const mScale = 1 / (1 - BETA1 ** t);
      const vScale = 1 / (1 - BETA2 ** t);
      for (let i = 0; i < x.length; i++) {
        const g = grad[i]!;
        m[i] = BETA1 * m[i]! + (1 - BETA1) * g;
        v[i] = BETA2 * v[i]! + (1 - BETA2) * g * g;
        x[i] = x[i]! - (learningRate * m[i]! * mScale) / (Math.sqrt(v[i]! * vScale) + EPSILON);
      }
      return loss;
    },
    dispose() {
      moments = undefined;
      t = 0;
    },
  };
}
