// The engine's hand-written gradients (ConvRelu, gramMatrix) and the whole objective's gradient,
// checked against tfjs's own autodiff and against finite differences. Plain JS 'cpu' backend: the
// reference kernels there are simple loops, and every value is float32, so the finite differences
// below sum in float64 and their tolerances are set from measured round-off with a wide margin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/main/engine/backend/index.js';
import { ConvRelu } from '../../src/main/engine/conv-relu.js';
import { gramMatrix } from '../../src/main/engine/gram.js';
import { computeTargets, disposeTargets, evaluate } from '../../src/main/engine/objective.js';
import { planRender } from '../../src/main/engine/plan.js';
import { avgPool2x2 } from '../../src/main/engine/pooling.js';
import * as tf from '../../src/main/engine/tf.js';
import { Vgg19 } from '../../src/main/engine/vgg19.js';
import { expectNoTensorLeaks, randomArray, randomVggWeights, seededRandom, take } from './support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
expectNoTensorLeaks();

/** Σ values ⊙ weights in float64: the scalar "loss" that the per-coordinate finite differences use. */
function weightedSum(values: Float32Array, weights: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * weights[i]!;
  return sum;
}

/** Central differences of f at a few coordinates of x (flat indices). */
function centralDifferences(f: (x: tf.Tensor) => number, x: tf.Tensor, indices: number[], h: number): number[] {
  const base = x.dataSync();
  return indices.map((i) => {
    const shifted = (delta: number) => {
      const values = Float32Array.from(base);
      values[i]! += delta;
      const xi = tf.tensor(values, x.shape);
      try {
        return f(xi);
      } finally {
        xi.dispose();
      }
    };
    return (shifted(h) - shifted(-h)) / (2 * h);
  });
}

function randomIndices(count: number, size: number, random: () => number): number[] {
  return Array.from({ length: count }, () => Math.floor(random() * size));
}

function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]!));
  return max;
}

/** Largest |a − b| over the largest |b|: one number for "these gradients agree". */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max / maxAbs(b);
}

describe('ConvRelu', () => {
  const random = seededRandom(11);
  const [height, width, cin, cout] = [6, 7, 4, 5];
  const kernelValues = randomArray(9 * cin * cout, random, 0.5);
  const biasValues = randomArray(cout, random, 0.3);
  // Zero-mean inputs and a bias of either sign leave about half the units off, so the ReLU mask matters.
  const xValues = randomArray(height * width * cin, random, 1);
  const outputWeights = randomArray(height * width * cout, random, 1);
  let conv: ConvRelu;
  let kernel: tf.Tensor4D;
  let bias: tf.Tensor1D;
  let x: tf.Tensor4D;
  let r: tf.Tensor4D;

  beforeAll(() => {
    // ConvRelu takes ownership of its kernel and bias; the copies here build the reference.
    conv = new ConvRelu(tf.tensor4d(kernelValues, [3, 3, cin, cout]), tf.tensor1d(biasValues));
    kernel = tf.tensor4d(kernelValues, [3, 3, cin, cout]);
    bias = tf.tensor1d(biasValues);
    x = tf.tensor4d(xValues, [1, height, width, cin]);
    r = tf.tensor4d(outputWeights, [1, height, width, cout]);
  });
  afterAll(() => {
    conv.dispose();
    tf.dispose([kernel, bias, x, r]);
  });

  const reference = (input: tf.Tensor) => tf.tidy(() => tf.relu(tf.add(tf.conv2d(input as tf.Tensor4D, kernel, 1, 'same'), bias)) as tf.Tensor4D);

  it('computes relu(conv2d(x, W) + b) with both on and off units', () => {
    const ours = take(conv.apply(x));
    const theirs = take(reference(x));
    expect(relativeDifference(ours, theirs)).toBeLessThan(1e-6);
    const off = ours.filter((v) => v === 0).length;
    expect(off).toBeGreaterThan(ours.length * 0.2);
    expect(off).toBeLessThan(ours.length * 0.8);
  });

  it("has the gradient of tfjs's autodiff of relu(conv2d(x, W) + b)", () => {
    const ours = take(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(conv.apply(input as tf.Tensor4D), r)))(x));
    const theirs = take(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(reference(input), r)))(x));
    expect(relativeDifference(ours, theirs)).toBeLessThan(1e-5);
  });

  it('has the gradient that finite differences measure', () => {
    const grad = take(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(conv.apply(input as tf.Tensor4D), r)))(x));
    // Every output a pixel touches, in its 3×3 neighbourhood, enters the check; the rest cancel exactly.
    const indices = randomIndices(12, xValues.length, seededRandom(5));
    const measured = centralDifferences((input) => weightedSum(take(conv.apply(input as tf.Tensor4D)), outputWeights), x, indices, 1e-2);
    const scale = maxAbs(grad);
    indices.forEach((index, k) => {
      expect(Math.abs(measured[k]! - grad[index]!), `d/dx[${index}]`).toBeLessThan(2e-3 * scale);
    });
  });
});

describe('avgPool2x2', () => {
  it.each([
    [6, 8],
    [7, 5],
  ])('matches tfjs avgPool and its gradient on a %i×%i map (odd sizes drop the last row/column)', (height, width) => {
    const random = seededRandom(11);
    const x = tf.tensor4d(randomArray(height * width * 3, random), [1, height, width, 3]);
    const weights = tf.tensor4d(randomArray(Math.floor(height / 2) * Math.floor(width / 2) * 3, random), [1, Math.floor(height / 2), Math.floor(width / 2), 3]);
    const ours = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(avgPool2x2(z as tf.Tensor4D), weights)))(x);
    const theirs = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(z as tf.Tensor4D, 2, 2, 'valid'), weights)))(x);
    const [valueOurs, valueTheirs] = [avgPool2x2(x), tf.avgPool(x, 2, 2, 'valid')];
    expect(relativeDifference(valueOurs.dataSync(), valueTheirs.dataSync())).toBeLessThan(1e-6);
    expect(ours.shape).toEqual(x.shape);
    expect(relativeDifference(ours.dataSync(), theirs.dataSync())).toBeLessThan(1e-6);
    tf.dispose([x, weights, ours, theirs, valueOurs, valueTheirs]);
  });
});

describe('gramMatrix', () => {
  const random = seededRandom(23);
  const [height, width, channels] = [5, 4, 6];
  const positions = height * width;
  const featureValues = randomArray(positions * channels, random, 2);
  // Not symmetric, so that a gradient missing its transposed half (dG + dGᵀ) shows.
  const gramWeights = randomArray(channels * channels, random, 1);
  let features: tf.Tensor4D;
  let r: tf.Tensor2D;

  beforeAll(() => {
    features = tf.tensor4d(featureValues, [1, height, width, channels]);
    r = tf.tensor2d(gramWeights, [channels, channels]);
  });
  afterAll(() => tf.dispose([features, r]));

  const reference = (input: tf.Tensor) => {
    const f = tf.reshape(input, [positions, channels]) as tf.Tensor2D;
    return tf.div(tf.matMul(tf.transpose(f), f), positions) as tf.Tensor2D;
  };

  it('is FᵀF / M, checked against plain loops', () => {
    const gram = take(gramMatrix(features));
    const expected = new Float32Array(channels * channels);
    for (let a = 0; a < channels; a++) {
      for (let b = 0; b < channels; b++) {
        let sum = 0;
        for (let p = 0; p < positions; p++) sum += featureValues[p * channels + a]! * featureValues[p * channels + b]!;
        expected[a * channels + b] = sum / positions;
      }
    }
    expect(relativeDifference(gram, expected)).toBeLessThan(1e-6);
  });

  it("has the gradient of tfjs's autodiff of matMul(transpose(F), F) / M", () => {
    const ours = take(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(gramMatrix(input as tf.Tensor4D), r)))(features));
    const theirs = take(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(reference(input), r)))(features));
    expect(relativeDifference(ours, theirs)).toBeLessThan(1e-5);
  });

  it('has the gradient that finite differences measure', () => {
    const grad = take(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(gramMatrix(input as tf.Tensor4D), r)))(features));
    const indices = randomIndices(10, featureValues.length, seededRandom(6));
    const measured = centralDifferences((input) => weightedSum(take(gramMatrix(input as tf.Tensor4D)), gramWeights), features, indices, 1e-2);
    const scale = maxAbs(grad);
    indices.forEach((index, k) => {
      expect(Math.abs(measured[k]! - grad[index]!), `d/dF[${index}]`).toBeLessThan(1e-3 * scale);
    });
  });
});

describe('the objective (evaluate)', () => {
  // A random VGG-shaped network; the loss reaches conv2_1, through conv1_2 and the first pooling.
  const [height, width] = [12, 16];
  let vgg: Vgg19;
  let content: tf.Tensor4D;
  let style: tf.Tensor4D;
  let image: tf.Tensor4D;

  beforeAll(() => {
    vgg = Vgg19.fromWeights(randomVggWeights(1, { through: 'conv2_2' }));
    const random = seededRandom(7);
    // Network space: roughly ±128 around the channel means.
    const picture = () => tf.tensor4d(randomArray(height * width * 3, random, 120), [1, height, width, 3]);
    [content, style, image] = [picture(), picture(), picture()];
  });
  afterAll(() => {
    vgg.dispose();
    tf.dispose([content, style, image]);
  });

  const cases = [
    { pooling: 'max', tvKind: 'l1' },
    { pooling: 'avg', tvKind: 'l1' },
    { pooling: 'max', tvKind: 'squared' },
    { pooling: 'avg', tvKind: 'squared' },
    { pooling: 'max', tvKind: 'l1', lossNormalization: 'relative' },
  ] as const;

  it.each(cases)('has the directional derivatives that finite differences measure ($pooling pooling, $tvKind TV, $lossNormalization)', ({ pooling, tvKind, lossNormalization = 'paper' }: { pooling: 'max' | 'avg'; tvKind: 'l1' | 'squared'; lossNormalization?: 'paper' | 'relative' }) => {
    // Weights that give the three terms similar sizes, so an error in any one of them shows.
    const plan = planRender(
      {
        mode: 'transfer', size: 16, scales: [16], pooling, tvKind,
        contentLayers: ['conv2_1'], styleLayers: ['conv1_1', 'conv2_1'],
        contentWeight: 100, styleWeight: 1, tvWeight: tvKind === 'l1' ? 1000 : 1, lossNormalization,
        // Relative terms are of order 1.
        ...(lossNormalization === 'relative' && { contentWeight: 1, styleWeight: 10, tvWeight: 0.01 }),
      },
      { content: { width, height }, styles: [{ width, height }] },
    );
    const targets = computeTargets(vgg, plan, content, [style]);
    const { grad, terms } = evaluate(vgg, plan, targets, image);
    try {
      for (const term of ['content', 'style', 'tv'] as const) expect(terms[term] / terms.total, term).toBeGreaterThan(0.1);
      const gradNorm = take(tf.norm(grad))[0]!;
      const random = seededRandom(9);
      const directions = [
        tf.div(grad, gradNorm),
        ...[0, 1].map(() => tf.tidy(() => {
          const v = tf.tensor4d(randomArray(height * width * 3, random, 1), [1, height, width, 3]);
          return tf.div(v, tf.norm(v));
        })),
      ];
      // Unit directions and a step of 1 (out of a ±128 range): measured errors are ~1e-4 |∇f|, from
      // float32 round-off and the few ReLU and max-pool switches that a step crosses.
      const h = 1;
      const f = (x: tf.Tensor) => {
        const evaluated = evaluate(vgg, plan, targets, x);
        evaluated.grad.dispose();
        return evaluated.loss;
      };
      for (const [k, v] of directions.entries()) {
        const predicted = take(tf.tidy(() => tf.sum(tf.mul(grad, v))))[0]!;
        const [plus, minus] = tf.tidy(() => [tf.add(image, tf.mul(v, h)), tf.sub(image, tf.mul(v, h))]);
        const measured = (f(plus) - f(minus)) / (2 * h);
        tf.dispose([plus, minus, v]);
        expect(Math.abs(measured - predicted) / gradNorm, k === 0 ? 'along the gradient' : `random direction ${k}`).toBeLessThan(5e-3);
      }
    } finally {
      grad.dispose();
      disposeTargets(targets);
    }
  });
});
