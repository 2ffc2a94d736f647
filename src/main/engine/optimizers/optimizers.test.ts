import * as tf from '../tf.js';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, type Objective, type OptimizerSpec } from './index.js';

const N = 10;

/** ½xᵀAx − bᵀx with A = H·diag(λ)·H, λ log-spaced over [1, 100], H a Householder reflection. */
function quadraticProblem(): { objective: Objective; optimum: number[]; lambdaMax: number } {
  const v = Array.from({ length: N }, (_, i) => Math.sin(i + 1));
  const vv = v.reduce((sum, vi) => sum + vi * vi, 0);
  const h = v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv));
  const lambda = Array.from({ length: N }, (_, i) => 100 ** (i / (N - 1)));
  const a = h.map((hi) => h.map((hj) => hi.reduce((sum, hik, k) => sum + hik * lambda[k]! * hj[k]!, 0)));
  const b = Array.from({ length: N }, (_, i) => Math.cos(2 * i) + 0.5);
  // x* = A⁻¹b = H·diag(1/λ)·H·b, since H is symmetric and orthogonal.
  const hb = h.map((hi) => hi.reduce((sum, hij, j) => sum + hij * b[j]!, 0));
  const optimum = h.map((hi) => hi.reduce((sum, hij, j) => sum + (hij * hb[j]!) / lambda[j]!, 0));
  const objective: Objective = (x) => {
    const xs = Array.from(x.dataSync());
    const ax = a.map((ai) => ai.reduce((sum, aij, j) => sum + aij * xs[j]!, 0));
    const loss = xs.reduce((sum, xi, i) => sum + 0.5 * xi * ax[i]! - b[i]! * xi, 0);
    return { loss, grad: tf.tensor(ax.map((axi, i) => axi - b[i]!), x.shape) };
  };
  return { objective, optimum, lambdaMax: 100 };
}

/** f(a, b) = (1 − a)² + 100(b − a²)², minimum 0 at (1, 1). */
const rosenbrock: Objective = (x) => {
  const [a = NaN, b = NaN] = x.dataSync();
  const loss = (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  const grad = [-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)];
  return { loss, grad: tf.tensor(grad, x.shape) };
};

/** Shaped like the engine's image variable, [1, H, W, 3] flattened onto the problem's coordinates. */
function pixels(values: readonly number[]): tf.Variable {
  return tf.variable(tf.tensor([...values], [1, 1, values.length, 1]));
}

function distance(x: tf.Tensor, target: readonly number[]): number {
  return Math.hypot(...Array.from(x.dataSync(), (xi, i) => xi - target[i]!));
}

/** Steps until x is within `tolerance` of `target`, or `maxSteps` if it never gets there. */
function stepsToReach(
  step: (x: tf.Variable) => void,
  start: readonly number[],
  target: readonly number[],
  tolerance: number,
  maxSteps: number,
): number {
  const x = pixels(start);
  let steps = 0;
  while (steps < maxSteps && !(distance(x, target) < tolerance)) {
    step(x);
    steps += 1;
  }
  x.dispose();
  return steps;
}

function optimizerStepsToReach(spec: OptimizerSpec, objective: Objective, start: readonly number[], target: readonly number[], tolerance: number, maxSteps: number): number {
  const optimizer = createOptimizer(spec);
  const steps = stepsToReach((x) => optimizer.step(x, objective), start, target, tolerance, maxSteps);
  optimizer.dispose();
  return steps;
}

function run(spec: OptimizerSpec, objective: Objective, start: readonly number[], steps: number): { x: Float32Array; losses: number[] } {
  const x = pixels(start);
  const optimizer = createOptimizer(spec);
  const losses = Array.from({ length: steps }, () => optimizer.step(x, objective));
  const values = Float32Array.from(x.dataSync());
  optimizer.dispose();
  x.dispose();
  return { x: values, losses };
}

const quadratic = quadraticProblem();
const origin = new Array<number>(N).fill(0);
const SPECS: OptimizerSpec[] = [
  { kind: 'adam', learningRate: 0.05 },
  { kind: 'lbfgs', historySize: 5 },
];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each(SPECS)('$kind', (spec) => {
  it('minimizes a convex quadratic', () => {
    expect(optimizerStepsToReach(spec, quadratic.objective, origin, quadratic.optimum, 1e-4, 1000)).toBeLessThan(1000);
  });

  it('evaluates the objective exactly once per step and returns the loss before the update', () => {
    const x = pixels([-1.2, 1]);
    const optimizer = createOptimizer(spec);
    const seen: number[] = [];
    const counted: Objective = (at) => {
      const evaluation = rosenbrock(at);
      seen.push(evaluation.loss);
      return evaluation;
    };
    const returned = Array.from({ length: 7 }, () => optimizer.step(x, counted));
    expect(seen).toEqual(returned);
    expect(returned[0]).toBeCloseTo(24.2, 4);
    optimizer.dispose();
    x.dispose();
  });

  it('is deterministic: two runs give bit-identical pixels', () => {
    const first = run(spec, rosenbrock, [-1.2, 1], 50);
    const second = run(spec, rosenbrock, [-1.2, 1], 50);
    expect(second.x).toEqual(first.x);
    expect(second.losses).toEqual(first.losses);
  });

  it('leaks no tensors: state is bounded across steps and dispose() returns to the starting count', () => {
    const x = pixels(origin);
    const before = tf.memory().numTensors;
    const optimizer = createOptimizer(spec);
    for (let i = 0; i < 10; i++) optimizer.step(x, quadratic.objective);
    const withState = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) optimizer.step(x, quadratic.objective);
    expect(tf.memory().numTensors).toBe(withState);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('Adam', () => {
  it('moves each coordinate by about learningRate·sign(g) on its first step (bias correction)', () => {
    const learningRate = 0.3;
    const start = [3, -2, 0.5, 10, -0.01];
    const x = pixels(start);
    const grads = [2, -0.5, 1e-3, -40, 1e-4];
    const optimizer = createOptimizer({ kind: 'adam', learningRate });
    optimizer.step(x, (at) => ({ loss: 0, grad: tf.tensor(grads, at.shape) }));
    const moved = Array.from(x.dataSync(), (xi, i) => xi - start[i]!);
    moved.forEach((delta, i) => expect(delta).toBeCloseTo(-learningRate * Math.sign(grads[i]!), 4));
    optimizer.dispose();
    x.dispose();
  });

  it('makes good progress on the Rosenbrock function', () => {
    const { losses } = run({ kind: 'adam', learningRate: 0.05 }, rosenbrock, [-1.2, 1], 1000);
    expect(losses.at(-1)).toBeLessThan(1e-2);
  });
});

describe('L-BFGS', () => {
  it('reaches the quadratic optimum in a few dozen steps, far fewer than gradient descent', () => {
    const lbfgs = optimizerStepsToReach({ kind: 'lbfgs', historySize: 10 }, quadratic.objective, origin, quadratic.optimum, 1e-4, 1000);
    const gradientDescent = stepsToReach(
      (x) => {
        const { grad } = quadratic.objective(x);
        tf.tidy(() => x.assign(tf.sub(x, tf.div(grad, quadratic.lambdaMax))));
        grad.dispose();
      },
      origin,
      quadratic.optimum,
      1e-4,
      10_000,
    );
    expect(lbfgs).toBeLessThanOrEqual(40);
    expect(gradientDescent).toBeGreaterThan(10 * lbfgs);
  });

  it('reaches the Rosenbrock minimum from (−1.2, 1) within 1e-3 in under 150 steps', () => {
    expect(optimizerStepsToReach({ kind: 'lbfgs', historySize: 10 }, rosenbrock, [-1.2, 1], [1, 1], 1e-3, 150)).toBeLessThan(150);
  });

  it('caps the first move at an L1 length of learningRate along −g', () => {
    const x = pixels([0, 0, 0]);
    const optimizer = createOptimizer({ kind: 'lbfgs', historySize: 3, learningRate: 0.5 });
    optimizer.step(x, (at) => ({ loss: 0, grad: tf.tensor([4, -2, 2], at.shape) }));
    Array.from(x.dataSync()).forEach((xi, i) => expect(xi).toBeCloseTo([-0.25, 0.125, -0.125][i]!, 6));
    optimizer.dispose();
    x.dispose();
  });

  it('keeps at most historySize pairs, and none that fail the curvature condition', () => {
    const x = pixels(origin);
    const start = tf.memory().numTensors;
    const optimizer = createOptimizer({ kind: 'lbfgs', historySize: 4 });
    let lastGrad: number[] = [];
    const recorded: Objective = (at) => {
      const evaluation = quadratic.objective(at);
      lastGrad = Array.from(evaluation.grad.dataSync());
      return evaluation;
    };
    // State: the previous x and gradient, plus an s and a y per stored pair.
    const state = (): number => tf.memory().numTensors - start;
    for (let i = 0; i < 3; i++) optimizer.step(x, recorded);
    expect(state()).toBe(2 + 2 * 2);
    // y = 2g − g = g makes sᵀy = sᵀg < 0 for the descent step s: the pair is skipped, the old ones stay.
    optimizer.step(x, (at) => ({ loss: 0, grad: tf.tensor(lastGrad.map((g) => 2 * g), at.shape) }));
    expect(state()).toBe(2 + 2 * 2);
    for (let i = 0; i < 10; i++) optimizer.step(x, recorded);
    expect(state()).toBe(2 + 2 * 4);
    optimizer.dispose();
    x.dispose();
  });

  it('restarts from a capped steepest-descent step when gᵀd overflows', () => {
    const x = pixels(origin);
    const optimizer = createOptimizer({ kind: 'lbfgs', historySize: 5 });
    for (let i = 0; i < 3; i++) optimizer.step(x, quadratic.objective);
    const beforeLastMove = Array.from(x.dataSync());
    optimizer.step(x, quadratic.objective);
    const start = Array.from(x.dataSync());
    const stateWithoutPairs = tf.memory().numTensors - 2 * 3;
    // Against the last move, so sᵀy < 0 and no pair is added; so large that gᵀd overflows float32 to −∞.
    const huge = start.map((xi, i) => -1e30 * Math.sign(xi - beforeLastMove[i]!));
    optimizer.step(x, (at) => ({ loss: 0, grad: tf.tensor(huge, at.shape) }));
    expect(tf.memory().numTensors).toBe(stateWithoutPairs);
    const moved = Array.from(x.dataSync(), (xi, i) => Math.abs(xi - start[i]!));
    expect(moved.reduce((sum, d) => sum + d, 0)).toBeCloseTo(1, 4);
    optimizer.dispose();
    x.dispose();
  });

  it('throws on a non-finite gradient without leaking it', () => {
    const x = pixels(origin);
    const optimizer = createOptimizer({ kind: 'lbfgs', historySize: 5 });
    optimizer.step(x, quadratic.objective);
    const before = tf.memory().numTensors;
    expect(() => optimizer.step(x, (at) => ({ loss: NaN, grad: tf.fill(at.shape, NaN) }))).toThrow(RangeError);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    x.dispose();
  });
});
