import { createAdam } from './adam.js';
import { createGradientDescent } from './gradient-descent.js';
import { createLbfgs } from './lbfgs.js';
import type { Optimizer, OptimizerSpec } from './types.js';

export type { Evaluation, Objective, Optimizer, OptimizerSpec } from './types.js';
export { createLbfgs, type LbfgsOptimizer, type LbfgsOptions } from './lbfgs.js';

export function createOptimizer(spec: OptimizerSpec): Optimizer {
  switch (spec.kind) {
    case 'adam':
      return createAdam(spec.learningRate);
    case 'lbfgs':
      return createLbfgs(spec);
    case 'gd':
      return createGradientDescent(spec.learningRate);
  }
}
