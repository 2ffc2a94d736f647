import * as tf from '../tf.js';
import type { Objective, Optimizer } from './types.js';

// Kingma & Ba 2014, Algorithm 1, with the paper's default decay rates and epsilon.
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

/**
 * Adam with bias-corrected moment estimates. Written with plain tfjs ops rather than tf.train.adam so
 * that the state is explicit, the update order is fixed (deterministic), and one step is one evaluation.
 */
export function createAdam(learningRate: number): Optimizer {
  if (!(learningRate > 0)) throw new RangeError(`Adam learning rate must be positive, got ${learningRate}`);
  let moments: { m: tf.Variable; v: tf.Variable } | undefined;
  let t = 0;

  return {
    step(x, objective: Objective) {
      const { loss, grad } = objective(x);
      try {
        moments ??= tf.tidy(() => ({
          m: tf.variable(tf.zerosLike(x), false),
          v: tf.variable(tf.zerosLike(x), false),
        }));
        const { m, v } = moments;
        t += 1;
        // Bias correction (Algorithm 1): divide by 1 − βᵗ so the zero-initialized moments are unbiased.
        const mScale = 1 / (1 - BETA1 ** t);
        const vScale = 1 / (1 - BETA2 ** t);
        tf.tidy(() => {
          m.assign(tf.add(tf.mul(BETA1, m), tf.mul(1 - BETA1, grad)));
          v.assign(tf.add(tf.mul(BETA2, v), tf.mul(1 - BETA2, tf.square(grad))));
          const mHat = tf.mul(m, mScale);
          const vHat = tf.mul(v, vScale);
          x.assign(tf.sub(x, tf.div(tf.mul(learningRate, mHat), tf.add(tf.sqrt(vHat), EPSILON))));
        });
      } finally {
        grad.dispose();
      }
      return loss;
    },
    dispose() {
      moments?.m.dispose();
      moments?.v.dispose();
      moments = undefined;
      t = 0;
    },
  };
}
