import type { Objective, Optimizer } from './types.js';

/**
 * Pairs with sᵀy at or below this fraction of |s|·|y| fail the curvature condition and are not stored.
 * torch.optim.LBFGS compares sᵀy with an absolute 1e-10, which depends on the loss's units: with losses of
 * order 1 (relative normalization) every pair failed and L-BFGS crawled along −g. Relative, it does not.
 */
const CURVATURE_EPSILON = 1e-10;

/** One correction pair of Nocedal & Wright §7.2: s = x₊ − x, y = ∇f(x₊) − ∇f(x), with ρ = 1 / sᵀy. */
interface CorrectionPair {
  s: Float32Array;
  y: Float32Array;
  rho: number;
  /** sᵀy / yᵀy: the initial Hessian scaling γ (N&W eq. 7.20) when this is the newest pair. */
  gamma: number;
}

export interface LbfgsOptions {
  historySize: number;
  /** Step length along the L-BFGS direction; 1 is the natural step of a quasi-Newton method. */
  learningRate?: number;
}

export interface LbfgsOptimizer extends Optimizer {
  /** Correction pairs held now (at most historySize). */
  readonly pairs: number;
}

/**
 * L-BFGS (Nocedal & Wright, Algorithm 7.4 two-loop recursion) with one objective evaluation per step and
 * no line search, like torch.optim.LBFGS with max_iter=1 called once per iteration (jcjohnson/neural-style).
 * Because a step evaluates only once, the pair (s, y) of a step is formed at the next step, from the new
 * gradient and the actual change of x. Dot products accumulate in float64.
 */
export function createLbfgs({ historySize, learningRate = 1 }: LbfgsOptions): LbfgsOptimizer {
  if (!Number.isInteger(historySize) || historySize < 1) {
    throw new RangeError(`L-BFGS history size must be a positive integer, got ${historySize}`);
  }
  if (!(learningRate > 0)) throw new RangeError(`L-BFGS learning rate must be positive, got ${learningRate}`);

  const history: CorrectionPair[] = [];
  let previous: { x: Float32Array; grad: Float32Array } | undefined;
  // A step at 512 px touches 20 vectors of 590k values: the pair dropped from a full history becomes
  // the spare that the next pair is written into, and the recursion works in one scratch buffer.
  let spare: { s: Float32Array; y: Float32Array } | undefined;
  let scratch = new Float64Array(0);

  /** Stores the pair from the previous step to the current point, if it satisfies the curvature condition. */
  function updateHistory(x: Float32Array, grad: Float32Array): void {
    if (!previous) return;
    if (spare?.s.length !== x.length) spare = { s: new Float32Array(x.length), y: new Float32Array(x.length) };
    const { s, y } = spare;
    const px = previous.x;
    const pg = previous.grad;
    let sy = 0;
    let yy = 0;
    let ss = 0;
    for (let i = 0; i < x.length; i++) {
      const si = (s[i] = Math.fround(x[i]! - px[i]!));
      const yi = (y[i] = Math.fround(grad[i]! - pg[i]!));
      sy += si * yi;
      yy += yi * yi;
      ss += si * si;
    }
    if (!(sy > CURVATURE_EPSILON * Math.sqrt(ss * yy))) return;
    history.push({ s, y, rho: 1 / sy, gamma: sy / yy });
    spare = history.length > historySize ? history.shift() : undefined;
  }

  return {
    get pairs() {
      return history.length;
    },
    async step(x, objective: Objective) {
      const { loss, grad } = await objective(x);
      updateHistory(x, grad);
      if (scratch.length !== grad.length) scratch = new Float64Array(grad.length);
      let direction = searchDirection(grad, history, scratch);
      const gtd = dot(grad, direction);
      // A non-descent (or non-finite, e.g. overflowed) direction means the stored curvature no longer
      // describes f: restart from steepest descent, as L-BFGS implementations do after a failed step.
      if (!(gtd < 0 && Number.isFinite(gtd))) {
        history.length = 0;
        direction = negate(grad);
      }
      // Without curvature information −g has no natural scale, so cap the move at an L1 length of
      // learningRate. torch.optim.LBFGS does this on its first iteration only; we do it whenever the
      // history is empty (first step, after a restart, or while every pair failed the curvature test).
      // A loss of small units then takes a small first step; the next one is scaled by its curvature.
      let stepLength = learningRate;
      if (history.length === 0) {
        let gradL1 = 0;
        for (let i = 0; i < grad.length; i++) gradL1 += Math.abs(grad[i]!);
        if (!Number.isFinite(gradL1)) throw new RangeError('L-BFGS: the gradient is not finite');
        stepLength *= Math.min(1, 1 / gradL1);
      }
      const xBefore = previous?.x.length === x.length ? previous.x : new Float32Array(x.length);
      xBefore.set(x);
      for (let i = 0; i < x.length; i++) x[i] = x[i]! + stepLength * direction[i]!;
      previous = { x: xBefore, grad };
      return loss;
    },
    dispose() {
      history.length = 0;
      previous = undefined;
      spare = undefined;
      scratch = new Float64Array(0);
    },
  };
}

/**
 * Nocedal & Wright Algorithm 7.4: returns d = −H∇f with H the L-BFGS inverse Hessian approximation.
 * Each pass over q both applies one pair's update and takes the dot product the next pair needs.
 */
function searchDirection(grad: Float32Array, history: readonly CorrectionPair[], q: Float64Array): Float32Array {
  const newest = history.at(-1);
  if (!newest) return negate(grad);
  const n = grad.length;
  const alphas: number[] = [];
  let sq = 0;
  const s0 = newest.s;
  for (let i = 0; i < n; i++) sq += s0[i]! * (q[i] = grad[i]!);
  let yq = 0;
  for (let k = history.length - 1; k >= 0; k--) {
    const alpha = (alphas[k] = history[k]!.rho * sq);
    const y = history[k]!.y;
    if (k > 0) {
      const nextS = history[k - 1]!.s;
      sq = 0;
      for (let i = 0; i < n; i++) sq += nextS[i]! * (q[i] = q[i]! - alpha * y[i]!);
    } else {
      // The last update, the initial Hessian's scaling, and the second loop's first dot product.
      const gamma = newest.gamma;
      for (let i = 0; i < n; i++) yq += y[i]! * (q[i] = gamma * (q[i]! - alpha * y[i]!));
    }
  }
  const direction = new Float32Array(n);
  for (let k = 0; k < history.length; k++) {
    const scale = alphas[k]! - history[k]!.rho * yq;
    const s = history[k]!.s;
    const nextY = k + 1 < history.length ? history[k + 1]!.y : undefined;
    yq = 0;
    if (nextY) {
      for (let i = 0; i < n; i++) yq += nextY[i]! * (q[i] = q[i]! + scale * s[i]!);
    } else {
      for (let i = 0; i < n; i++) direction[i] = -(q[i]! + scale * s[i]!);
    }
  }
  return direction;
}

function negate(values: Float32Array): Float32Array {
  return values.map((v) => -v);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
