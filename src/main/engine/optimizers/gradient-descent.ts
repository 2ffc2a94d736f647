import type { Objective, Optimizer } from './types.js';

/**
 * Gradient descent with the step scaled to the gradient: x ← x − lr·g / mean|g|. The raw gradient of the
 * style-transfer loss spans orders of magnitude between paintings and stages (x ← x − lr·g at lr 5 sent
 * the pixels to infinity on the first step), so the step is normalized by the gradient's mean magnitude:
 * `learningRate` is then the mean move of a pixel value per step, in the same units as Adam's. A constant
 * step cannot settle at a minimum, so each time the loss rises above the previous step's the step is
 * halved (the loss is only known after the move: one evaluation per step, like the other optimizers).
 */
export function createGradientDescent(learningRate: number): Optimizer {
  if (!(learningRate > 0)) throw new RangeError(`gradient descent learning rate must be positive, got ${learningRate}`);
  let step = learningRate;
  let previousLoss = Infinity;
  return {
    async step(x, objective: Objective) {
      const { loss, grad } = await objective(x);
      if (loss > previousLoss) step /= 2;
      previousLoss = loss;
      let magnitude = 0;
      for (let i = 0; i < grad.length; i++) magnitude += Math.abs(grad[i]!);
      magnitude /= grad.length;
      // A zero gradient is a stationary point: nothing to move.
      if (!(magnitude > 0)) return loss;
      const scale = step / magnitude;
      for (let i = 0; i < x.length; i++) x[i] = x[i]! - scale * grad[i]!;
      return loss;
    },
    dispose() {
      step = learningRate;
      previousLoss = Infinity;
    },
  };
}
