import * as tf from '../tf.js';
import type { Objective, Optimizer } from './types.js';

/** Pairs with sᵀy at or below this fail the curvature condition and are not stored (as torch.optim.LBFGS). */
const CURVATURE_EPSILON = 1e-10;

/** One correction pair of Nocedal & Wright §7.2: s = x₊ − x, y = ∇f(x₊) − ∇f(x), with ρ = 1 / sᵀy. */
interface CorrectionPair {
  s: tf.Tensor;
  y: tf.Tensor;
  rho: number;
  /** sᵀy / yᵀy: the initial Hessian scaling γ (N&W eq. 7.20) when this is the newest pair. */
  gamma: number;
}

export interface LbfgsOptions {
  historySize: number;
  /** Step length along the L-BFGS direction; 1 is the natural step of a quasi-Newton method. */
  learningRate?: number;
}

/**
 * L-BFGS (Nocedal & Wright, Algorithm 7.4 two-loop recursion) with one objective evaluation per step and
 * no line search, like torch.optim.LBFGS with max_iter=1 called once per iteration (jcjohnson/neural-style).
 * Because a step evaluates only once, the pair (s, y) of a step is formed at the next step, from the new
 * gradient and the actual change of x.
 */
export function createLbfgs({ historySize, learningRate = 1 }: LbfgsOptions): Optimizer {
  if (!Number.isInteger(historySize) || historySize < 1) {
    throw new RangeError(`L-BFGS history size must be a positive integer, got ${historySize}`);
  }
  if (!(learningRate > 0)) throw new RangeError(`L-BFGS learning rate must be positive, got ${learningRate}`);

  const history: CorrectionPair[] = [];
  let previous: { x: tf.Tensor; grad: tf.Tensor } | undefined;

  function clearHistory(): void {
    for (const { s, y } of history.splice(0)) tf.dispose([s, y]);
  }

  /** Stores the pair from the previous step to the current point, if it satisfies the curvature condition. */
  function updateHistory(x: tf.Tensor, grad: tf.Tensor): void {
    if (!previous) return;
    const { x: prevX, grad: prevGrad } = previous;
    const pair = tf.tidy(() => ({ s: tf.sub(x, prevX), y: tf.sub(grad, prevGrad) }));
    const [sy = NaN, yy = NaN] = readScalars(() => [dot(pair.s, pair.y), dot(pair.y, pair.y)]);
    if (!(sy > CURVATURE_EPSILON)) {
      tf.dispose([pair.s, pair.y]);
      return;
    }
    history.push({ s: tf.keep(pair.s), y: tf.keep(pair.y), rho: 1 / sy, gamma: sy / yy });
    if (history.length > historySize) {
      const oldest = history.shift();
      if (oldest) tf.dispose([oldest.s, oldest.y]);
    }
  }

  return {
    step(x, objective: Objective) {
      const { loss, grad } = objective(x);
      try {
        updateHistory(x, grad);
        let direction = searchDirection(grad, history);
        const [gtd = NaN] = readScalars(() => [dot(grad, direction)]);
        // A non-descent (or non-finite, e.g. overflowed) direction means the stored curvature no longer
        // describes f: restart from steepest descent, as L-BFGS implementations do after a failed step.
        if (!(gtd < 0 && Number.isFinite(gtd))) {
          direction.dispose();
          clearHistory();
          direction = tf.neg(grad);
        }
        // Without curvature information −g has no natural scale, so cap the move at an L1 length of
        // learningRate. torch.optim.LBFGS does this on its first iteration only; we do it whenever the
        // history is empty (first step, after a restart, or while every pair failed the curvature test).
        let stepLength = learningRate;
        if (history.length === 0) {
          const [gradL1 = NaN] = readScalars(() => [tf.sum(tf.abs(grad))]);
          if (!Number.isFinite(gradL1)) {
            direction.dispose();
            throw new RangeError('L-BFGS: the gradient is not finite');
          }
          stepLength *= Math.min(1, 1 / gradL1);
        }
        const xBefore = tf.keep(x.clone());
        tf.tidy(() => x.assign(tf.add(x, tf.mul(direction, stepLength))));
        direction.dispose();
        if (previous) tf.dispose([previous.x, previous.grad]);
        previous = { x: xBefore, grad: tf.keep(grad) };
      } catch (error) {
        grad.dispose();
        throw error;
      }
      return loss;
    },
    dispose() {
      clearHistory();
      if (previous) tf.dispose([previous.x, previous.grad]);
      previous = undefined;
    },
  };
}

/** Nocedal & Wright Algorithm 7.4: returns d = −H∇f with H the L-BFGS inverse Hessian approximation. */
function searchDirection(grad: tf.Tensor, history: readonly CorrectionPair[]): tf.Tensor {
  return tf.tidy(() => {
    const newest = history.at(-1);
    if (!newest) return tf.neg(grad);
    let q = grad;
    const alphas: { pair: CorrectionPair; alpha: tf.Tensor }[] = [];
    for (const pair of history.toReversed()) {
      const alpha = tf.mul(pair.rho, dot(pair.s, q));
      q = tf.sub(q, tf.mul(alpha, pair.y));
      alphas.push({ pair, alpha });
    }
    let r = tf.mul(newest.gamma, q);
    for (const { pair, alpha } of alphas.toReversed()) {
      const beta = tf.mul(pair.rho, dot(pair.y, r));
      r = tf.add(r, tf.mul(pair.s, tf.sub(alpha, beta)));
    }
    return tf.neg(r);
  });
}

function dot(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.sum(tf.mul(a, b));
}

/** Reads scalar results in one transfer; the TypedArray is read outside tf.tidy, which must return tensors. */
function readScalars(compute: () => tf.Tensor[]): number[] {
  const packed = tf.tidy(() => tf.stack(compute()));
  const values = Array.from(packed.dataSync());
  packed.dispose();
  return values;
}
