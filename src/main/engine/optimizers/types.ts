/** The loss at a point and its gradient, which has the point's length. The optimizer may keep `grad`. */
export interface Evaluation {
  loss: number;
  grad: Float32Array;
}

/** One forward and backward pass of the loss at `x`. */
export type Objective = (x: Float32Array) => Evaluation | Promise<Evaluation>;

/**
 * Optimizes pixels held in one Float32Array; each instance is bound to that array's length. Plain
 * arrays rather than tensors keep the optimizers the same whichever executor computes the gradient.
 */
export interface Optimizer {
  /**
   * Evaluates the objective at the current x (exactly once per step, so one step = one forward+backward
   * pass), updates x in place, and resolves with the loss at x before the update.
   */
  step(x: Float32Array, objective: Objective): Promise<number>;
  /** Drops the optimizer's state. */
  dispose(): void;
}

export type OptimizerSpec =
  | { kind: 'adam'; learningRate: number }
  | { kind: 'lbfgs'; historySize: number; learningRate?: number }
  | { kind: 'gd'; learningRate: number };
