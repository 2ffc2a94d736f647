import type { Objective, Optimizer } from './types.js';

/** Plain gradient descent, x ← x − learningRate·∇f: the baseline the other optimizers are measured against. */
export function createGradientDescent(learningRate: number): Optimizer {
  if (!(learningRate > 0)) throw new RangeError(`gradient descent learning rate must be positive, got ${learningRate}`);
  return {
    async step(x, objective: Objective) {
      const { loss, grad } = await objective(x);
      for (let i = 0; i < x.length; i++) x[i] = x[i]! - learningRate * grad[i]!;
      return loss;
    },
    dispose() {},
  };
}
