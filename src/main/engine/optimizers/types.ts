import type * as tf from '@tensorflow/tfjs-core';

/** The loss at a point and its gradient, which has the point's shape. The optimizer takes ownership of `grad`. */
export interface Evaluation {
  loss: number;
  grad: tf.Tensor;
}

/** One forward and backward pass of the loss at `x`. */
export type Objective = (x: tf.Tensor) => Evaluation;

/** Optimizes the pixels held in one variable; each instance is bound to that variable's shape. */
export interface Optimizer {
  /**
   * Evaluates the objective at the current x (exactly once per step, so one step = one forward+backward
   * pass), updates x in place, and returns the loss at x before the update.
   */
  step(x: tf.Variable, objective: Objective): number;
  /** Frees the optimizer's state tensors. */
  dispose(): void;
}

export type OptimizerSpec =
  | { kind: 'adam'; learningRate: number }
  | { kind: 'lbfgs'; historySize: number; learningRate?: number };
