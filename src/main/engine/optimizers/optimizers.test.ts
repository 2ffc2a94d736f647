import { describe, expect, it } from 'vitest';
import { createLbfgs, createOptimizer, type Objective, type OptimizerSpec } from './index.js';

const N = 10;

/** ½xᵀAx − bᵀx with A = H·diag(λ)·H, λ log-spaced over [1, 100], H a Householder reflection. */
function quadraticProblem(): { objective: (x: Float32Array) => { loss: number; grad: Float32Array }; optimum: number[]; lambdaMax: number } {
  const v = Array.from({ length: N }, (_, i) => Math.sin(i + 1));
  const vv = v.reduce((sum, vi) => sum + vi * vi, 0);
  const h = v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv));
  const lambda = Array.from({ length: N }, (_, i) => 100 ** (i / (N - 1)));
  const a = h.map((hi) => h.map((hj) => hi.reduce((sum, hik, k) => sum + hik * lambda[k]! * hj[k]!, 0)));
  const b = Array.from({ length: N }, (_, i) => Math.cos(2 * i) + 0.5);
  // x* = A⁻¹b = H·diag(1/λ)·H·b, since H is symmetric and orthogonal.
  const hb = h.map((hi) => hi.reduce((sum, hij, j) => sum + hij * b[j]!, 0));
  const optimum = h.map((hi) => hi.reduce((sum, hij, j) => sum + (hij * hb[j]!) / lambda[j]!, 0));
  const objective = (x: Float32Array) => {
    const xs = Array.from(x);
    const ax = a.map((ai) => ai.reduce((sum, aij, j) => sum + aij * xs[j]!, 0));
    const loss = xs.reduce((sum, xi, i) => sum + 0.5 * xi * ax[i]! - b[i]! * xi, 0);
    return { loss, grad: Float32Array.from(ax, (axi, i) => axi - b[i]!) };
  };
  return { objective, optimum, lambdaMax: 100 };
}

/** f(a, b) = (1 − a)² + 100(b − a²)², minimum 0 at (1, 1). */
const rosenbrock: Objective = (x) => {
  const [a = NaN, b = NaN] = x;
  const loss = (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  return { loss, grad: Float32Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)) };
};

function distance(x: Float32Array, target: readonly number[]): number {
  return Math.hypot(...Array.from(x, (xi, i) => xi - target[i]!));
}

/** Steps until x is within `tolerance` of `target`, or `maxSteps` if it never gets there. */
async function stepsToReach(
  step: (x: Float32Array) => Promise<unknown>,
  start: readonly number[],
  target: readonly number[],
  tolerance: number,
  maxSteps: number,
): Promise<number> {
  const x = Float32Array.from(start);
  let steps = 0;
  while (steps < maxSteps && !(distance(x, target) < tolerance)) {
    await step(x);
    steps += 1;
  }
  return steps;
}

async function optimizerStepsToReach(spec: OptimizerSpec, objective: Objective, start: readonly number[], target: readonly number[], tolerance: number, maxSteps: number): Promise<number> {
  const optimizer = createOptimizer(spec);
  const steps = await stepsToReach((x) => optimizer.step(x, objective), start, target, tolerance, maxSteps);
  optimizer.dispose();
  return steps;
}

async function run(spec: OptimizerSpec, objective: Objective, start: readonly number[], steps: number): Promise<{ x: Float32Array; losses: number[] }> {
  const x = Float32Array.from(start);
  const optimizer = createOptimizer(spec);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(await optimizer.step(x, objective));
  optimizer.dispose();
  return { x, losses };
}

const quadratic = quadraticProblem();
const origin = new Array<number>(N).fill(0);
const SPECS: OptimizerSpec[] = [
  { kind: 'adam', learningRate: 0.05 },
  { kind: 'lbfgs', historySize: 5 },
  { kind: 'gd', learningRate: 0.01 },
];

describe.each(SPECS)('$kind', (spec) => {
  it('minimizes a convex quadratic', async () => {
    expect(await optimizerStepsToReach(spec, quadratic.objective, origin, quadratic.optimum, 1e-4, 3000)).toBeLessThan(3000);
  });

  it('evaluates the objective exactly once per step and returns the loss before the update', async () => {
    const x = Float32Array.of(-1.2, 1);
    const optimizer = createOptimizer(spec);
    const seen: number[] = [];
    const counted: Objective = async (at) => {
      const evaluation = await rosenbrock(at);
      seen.push(evaluation.loss);
      return evaluation;
    };
    const returned: number[] = [];
    for (let i = 0; i < 7; i++) returned.push(await optimizer.step(x, counted));
    expect(seen).toEqual(returned);
    expect(returned[0]).toBeCloseTo(24.2, 4);
    optimizer.dispose();
  });

  it('is deterministic: two runs give bit-identical pixels', async () => {
    const first = await run(spec, rosenbrock, [-1.2, 1], 50);
    const second = await run(spec, rosenbrock, [-1.2, 1], 50);
    expect(second.x).toEqual(first.x);
    expect(second.losses).toEqual(first.losses);
  });
});

describe('Adam', () => {
  it('moves each coordinate by about learningRate·sign(g) on its first step (bias correction)', async () => {
    const learningRate = 0.3;
    const start = [3, -2, 0.5, 10, -0.01];
    const x = Float32Array.from(start);
    const grads = [2, -0.5, 1e-3, -40, 1e-4];
    const optimizer = createOptimizer({ kind: 'adam', learningRate });
    await optimizer.step(x, () => ({ loss: 0, grad: Float32Array.from(grads) }));
    Array.from(x, (xi, i) => xi - start[i]!).forEach((delta, i) => expect(delta).toBeCloseTo(-learningRate * Math.sign(grads[i]!), 4));
  });

  it('makes good progress on the Rosenbrock function', async () => {
    const { losses } = await run({ kind: 'adam', learningRate: 0.05 }, rosenbrock, [-1.2, 1], 1000);
    expect(losses.at(-1)).toBeLessThan(1e-2);
  });
});

describe('gradient descent', () => {
  it('moves by −learningRate·g / mean|g|: the mean move is the learning rate, whatever the gradient\'s scale', async () => {
    for (const scale of [1, 1e9]) {
      const x = Float32Array.of(1, 2, 3);
      await createOptimizer({ kind: 'gd', learningRate: 0.5 }).step(x, () => ({ loss: 0, grad: Float32Array.of(2 * scale, -4 * scale, 0) }));
      expect(Array.from(x)).toEqual([0.5, 3, 3]);
    }
  });
  it('halves the step each time the loss rises, and stands still on a zero gradient', async () => {
    const x = Float32Array.of(0);
    const optimizer = createOptimizer({ kind: 'gd', learningRate: 1 });
    const moves: number[] = [];
    for (const loss of [5, 4, 6, 7, 3]) {
      const before = x[0]!;
      await optimizer.step(x, () => ({ loss, grad: Float32Array.of(-1) }));
      moves.push(x[0]! - before);
    }
    expect(moves).toEqual([1, 1, 0.5, 0.25, 0.25]);
    await optimizer.step(x, () => ({ loss: 0, grad: Float32Array.of(0) }));
    expect(Array.from(x)).toEqual([3]);
  });
});

describe('L-BFGS', () => {
  it('reaches the quadratic optimum in a few dozen steps, far fewer than gradient descent', async () => {
    const lbfgs = await optimizerStepsToReach({ kind: 'lbfgs', historySize: 10 }, quadratic.objective, origin, quadratic.optimum, 1e-4, 1000);
    const gradientDescent = await optimizerStepsToReach({ kind: 'gd', learningRate: 1 / quadratic.lambdaMax }, quadratic.objective, origin, quadratic.optimum, 1e-4, 10_000);
    expect(lbfgs).toBeLessThanOrEqual(40);
    expect(gradientDescent).toBeGreaterThan(10 * lbfgs);
  });

  it('reaches the Rosenbrock minimum from (−1.2, 1) within 1e-3 in under 150 steps', async () => {
    expect(await optimizerStepsToReach({ kind: 'lbfgs', historySize: 10 }, rosenbrock, [-1.2, 1], [1, 1], 1e-3, 150)).toBeLessThan(150);
  });

  it('caps the first move at an L1 length of learningRate along −g', async () => {
    const x = Float32Array.of(0, 0, 0);
    const optimizer = createOptimizer({ kind: 'lbfgs', historySize: 3, learningRate: 0.5 });
    await optimizer.step(x, () => ({ loss: 0, grad: Float32Array.of(4, -2, 2) }));
    Array.from(x).forEach((xi, i) => expect(xi).toBeCloseTo([-0.25, 0.125, -0.125][i]!, 6));
  });

  it('keeps at most historySize pairs, and none that fail the curvature condition', async () => {
    const x = Float32Array.from(origin);
    const optimizer = createLbfgs({ historySize: 4 });
    let lastGrad: Float32Array = new Float32Array();
    const recorded: Objective = (at) => {
      const evaluation = quadratic.objective(at);
      lastGrad = evaluation.grad;
      return evaluation;
    };
    for (let i = 0; i < 3; i++) await optimizer.step(x, recorded);
    expect(optimizer.pairs).toBe(2);
    // y = 2g − g = g makes sᵀy = sᵀg < 0 for the descent step s: the pair is skipped, the old ones stay.
    await optimizer.step(x, () => ({ loss: 0, grad: lastGrad.map((g) => 2 * g) }));
    expect(optimizer.pairs).toBe(2);
    for (let i = 0; i < 10; i++) await optimizer.step(x, recorded);
    expect(optimizer.pairs).toBe(4);
    optimizer.dispose();
    expect(optimizer.pairs).toBe(0);
  });

  it('converges whatever the loss\'s units (a loss 1e-9 times smaller keeps its curvature pairs)', async () => {
    const scaled: Objective = (at) => {
      const { loss, grad } = quadratic.objective(at);
      return { loss: loss * 1e-9, grad: grad.map((g) => g * 1e-9) };
    };
    const [plain, small] = [await run({ kind: 'lbfgs', historySize: 5 }, quadratic.objective, origin, 60), await run({ kind: 'lbfgs', historySize: 5 }, scaled, origin, 60)];
    expect(distance(plain.x, quadratic.optimum)).toBeLessThan(1e-3);
    expect(distance(small.x, quadratic.optimum)).toBeLessThan(1e-3);
  });
  it('throws on a non-finite gradient', async () => {
    const x = Float32Array.from(origin);
    const optimizer = createOptimizer({ kind: 'lbfgs', historySize: 5 });
    await optimizer.step(x, quadratic.objective);
    await expect(optimizer.step(x, () => ({ loss: NaN, grad: new Float32Array(N).fill(NaN) }))).rejects.toThrow(RangeError);
  });
});
