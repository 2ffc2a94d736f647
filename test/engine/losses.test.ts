// The loss terms against their formulas, computed here in plain float64 loops over small arrays:
//   content  ½ · mean((F − P)²)                        (Gatys et al. eq. 1, averaged over F's values)
//   style    Σ (G − A)² / (4N²),  G = FᵀF / M          (eq. 4; G already carries 1/M)
//   TV l1    mean(|∂x| + |∂y|)                         over the (H−1)×(W−1)×C grid
//   TV sq.   mean((∂x² + ∂y² + 1e-8)^1.25)             (Mahendran & Vedaldi's β = 2.5)
// and their weighted sum in lossTerms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/main/engine/backend/index.js';
import { contentLoss, styleLoss, tvLoss } from '../../src/main/engine/losses.js';
import { computeTargets, disposeTargets, lossTerms } from '../../src/main/engine/objective.js';
import { planRender } from '../../src/main/engine/plan.js';
import * as tf from '../../src/main/engine/tf.js';
import { Vgg19 } from '../../src/main/engine/vgg19.js';
import { expectNoTensorLeaks, randomArray, randomVggWeights, seededRandom } from './support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
expectNoTensorLeaks();

/** The value of a loss; the loss functions make temporaries, as they run inside the engine's tidy. */
function value(loss: () => tf.Scalar): number {
  const scalar = tf.tidy(loss);
  const [v = NaN] = scalar.dataSync();
  scalar.dispose();
  return v;
}

function expectClose(actual: number, expected: number, relative = 1e-5): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(relative * Math.abs(expected));
}

/** A [1, H, W, C] array as nested numbers [i][j][c], and the tensor holding the same values. */
function randomMap(height: number, width: number, channels: number, random: () => number, scale = 1) {
  const flat = randomArray(height * width * channels, random, scale);
  const at = (i: number, j: number, c: number) => flat[(i * width + j) * channels + c]!;
  return { flat, at, shape: [1, height, width, channels] as [number, number, number, number] };
}

describe('contentLoss', () => {
  it('is ½ · mean((F − P)²)', () => {
    const random = seededRandom(1);
    const [f, p] = [randomMap(3, 4, 5, random, 3), randomMap(3, 4, 5, random, 3)];
    let sum = 0;
    for (let k = 0; k < f.flat.length; k++) sum += (f.flat[k]! - p.flat[k]!) ** 2;
    const expected = (0.5 * sum) / f.flat.length;
    const [ft, pt] = [tf.tensor4d(f.flat, f.shape), tf.tensor4d(p.flat, p.shape)];
    expectClose(value(() => contentLoss(ft, pt)), expected);
    expect(value(() => contentLoss(ft, ft))).toBe(0);
    tf.dispose([ft, pt]);
  });
});

describe('styleLoss', () => {
  const [height, width, channels] = [3, 4, 5];
  const positions = height * width;

  function gram(at: (i: number, j: number, c: number) => number): number[][] {
    return Array.from({ length: channels }, (_, a) =>
      Array.from({ length: channels }, (_, b) => {
        let sum = 0;
        for (let i = 0; i < height; i++) for (let j = 0; j < width; j++) sum += at(i, j, a) * at(i, j, b);
        return sum / positions;
      }),
    );
  }

  it('is Σ (G − A)² / (4N²) with G = FᵀF / M', () => {
    const random = seededRandom(2);
    const f = randomMap(height, width, channels, random, 2);
    const target = randomArray(channels * channels, random, 1);
    const g = gram(f.at);
    let sum = 0;
    for (let a = 0; a < channels; a++) for (let b = 0; b < channels; b++) sum += (g[a]![b]! - target[a * channels + b]!) ** 2;
    const expected = sum / (4 * channels * channels);
    const [ft, at] = [tf.tensor4d(f.flat, f.shape), tf.tensor2d(target, [channels, channels])];
    expectClose(value(() => styleLoss(ft, at)), expected);
    tf.dispose([ft, at]);
  });

  it("equals the paper's 1/(4N²M²) Σ (FᵀF − M·A)², and vanishes against the image's own Gram matrix", () => {
    const random = seededRandom(3);
    const f = randomMap(height, width, channels, random, 2);
    const target = randomArray(channels * channels, random, 1);
    let sum = 0;
    for (let a = 0; a < channels; a++) {
      for (let b = 0; b < channels; b++) {
        let fTf = 0;
        for (let i = 0; i < height; i++) for (let j = 0; j < width; j++) fTf += f.at(i, j, a) * f.at(i, j, b);
        sum += (fTf - positions * target[a * channels + b]!) ** 2;
      }
    }
    const expected = sum / (4 * channels ** 2 * positions ** 2);
    const ft = tf.tensor4d(f.flat, f.shape);
    const at = tf.tensor2d(target, [channels, channels]);
    const own = tf.tensor2d(gram(f.at).flat(), [channels, channels]);
    expectClose(value(() => styleLoss(ft, at)), expected);
    expect(value(() => styleLoss(ft, own))).toBeLessThan(1e-10 * expected);
    tf.dispose([ft, at, own]);
  });
});

describe('tvLoss', () => {
  const [height, width, channels] = [4, 5, 3];

  /** ∂x and ∂y at every point of the cropped grid, as the doc of tvLoss defines them. */
  function differences(at: (i: number, j: number, c: number) => number): { dx: number; dy: number }[] {
    const out: { dx: number; dy: number }[] = [];
    for (let i = 0; i < height - 1; i++) {
      for (let j = 0; j < width - 1; j++) {
        for (let c = 0; c < channels; c++) out.push({ dx: at(i, j + 1, c) - at(i, j, c), dy: at(i + 1, j, c) - at(i, j, c) });
      }
    }
    return out;
  }

  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

  it("'l1' is mean(|∂x| + |∂y|) over the (H−1)×(W−1)×C grid", () => {
    const image = randomMap(height, width, channels, seededRandom(4), 50);
    const expected = mean(differences(image.at).map(({ dx, dy }) => Math.abs(dx) + Math.abs(dy)));
    const t = tf.tensor4d(image.flat, image.shape);
    expectClose(value(() => tvLoss(t, 'l1')), expected);
    t.dispose();
  });

  it("'squared' is mean((∂x² + ∂y² + 1e-8)^1.25)", () => {
    const image = randomMap(height, width, channels, seededRandom(5), 50);
    const expected = mean(differences(image.at).map(({ dx, dy }) => (dx * dx + dy * dy + 1e-8) ** 1.25));
    const t = tf.tensor4d(image.flat, image.shape);
    expectClose(value(() => tvLoss(t, 'squared')), expected);
    t.dispose();
  });

  it('gives a ramp its slope, ignoring the last row and column', () => {
    // x[i][j][c] = 2j + 3i, with an outlier in the last row and column that the crop leaves out.
    const ramp = (i: number, j: number) => (i === height - 1 && j === width - 1 ? 1000 : 2 * j + 3 * i);
    const flat = new Float32Array(height * width * channels).map((_, k) => ramp(Math.floor(k / (width * channels)), Math.floor(k / channels) % width));
    const t = tf.tensor4d(flat, [1, height, width, channels]);
    expectClose(value(() => tvLoss(t, 'l1')), 2 + 3);
    expectClose(value(() => tvLoss(t, 'squared')), (4 + 9 + 1e-8) ** 1.25);
    t.dispose();
  });

  it('has a finite gradient on a flat image, where squared TV is its floor (1e-8)^1.25', () => {
    const flat = tf.fill([1, height, width, channels], 7) as tf.Tensor4D;
    for (const kind of ['l1', 'squared'] as const) {
      const grad = tf.grad((x: tf.Tensor) => tvLoss(x as tf.Tensor4D, kind))(flat);
      expect(Array.from(grad.dataSync()).every(Number.isFinite), kind).toBe(true);
      grad.dispose();
    }
    expect(value(() => tvLoss(flat, 'l1'))).toBe(0);
    expectClose(value(() => tvLoss(flat, 'squared')), 1e-10, 1e-4);
    flat.dispose();
  });
});

describe('lossTerms', () => {
  const [height, width] = [8, 10];
  let vgg: Vgg19;
  let images: tf.Tensor4D[];

  beforeAll(() => {
    vgg = Vgg19.fromWeights(randomVggWeights(1, { through: 'conv2_2' }));
    const random = seededRandom(6);
    images = [0, 1, 2].map(() => tf.tensor4d(randomArray(height * width * 3, random, 100), [1, height, width, 3]));
  });
  afterAll(() => {
    vgg.dispose();
    tf.dispose(images);
  });

  it('weighs content, per-layer style and TV terms as α, β·w_l and γ, and sums them', () => {
    const [content, style, image] = images as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const settings = {
      size: 16, scales: [16], contentLayers: ['conv2_1'], styleLayers: ['conv1_1', 'conv2_1'], styleLayerWeights: [3, 1],
      contentWeight: 2, styleWeight: 5, tvWeight: 7, tvKind: 'squared' as const, pooling: 'avg' as const, lossNormalization: 'paper' as const,
    };
    const plan = planRender(settings, { content: { width, height }, styles: [{ width, height }] });
    const targets = computeTargets(vgg, plan, content, [style]);
    const terms = tf.tidy(() => {
      const t = lossTerms(vgg, plan, targets, image);
      return tf.stack([t.content, t.style, t.tv, t.total]);
    });
    const [contentTerm = NaN, styleTerm = NaN, tvTerm = NaN, total = NaN] = terms.dataSync();
    terms.dispose();

    const expected = tf.tidy(() => {
      const ours = vgg.features(image, ['conv1_1', 'conv2_1'], 'avg');
      const theirs = vgg.features(content, ['conv2_1'], 'avg');
      const styleFeatures = vgg.features(style, ['conv1_1', 'conv2_1'], 'avg');
      const styleGram = (layer: 'conv1_1' | 'conv2_1') => {
        const f = styleFeatures.get(layer)!;
        const m = tf.reshape(f, [f.shape[1] * f.shape[2], f.shape[3]]) as tf.Tensor2D;
        return tf.div(tf.matMul(m, m, true, false), m.shape[0]) as tf.Tensor2D;
      };
      return tf.stack([
        tf.mul(2, contentLoss(ours.get('conv2_1')!, theirs.get('conv2_1')!)),
        tf.mul(5, tf.add(tf.mul(0.75, styleLoss(ours.get('conv1_1')!, styleGram('conv1_1'))), tf.mul(0.25, styleLoss(ours.get('conv2_1')!, styleGram('conv2_1'))))),
        tf.mul(7, tvLoss(image, 'squared')),
      ]);
    });
    const [c = NaN, s = NaN, tv = NaN] = expected.dataSync();
    expected.dispose();
    disposeTargets(targets);

    expectClose(contentTerm, c);
    expectClose(styleTerm, s);
    expectClose(tvTerm, tv);
    expectClose(total, c + s + tv);
    for (const term of [c, s, tv]) expect(term).toBeGreaterThan(0);
  });

  it("'relative' divides each layer's squared error by its target's squared norm", () => {
    const [content, style, image] = images as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const settings = {
      size: 16, scales: [16], contentLayers: ['conv2_1'], styleLayers: ['conv1_1', 'conv2_1'], styleLayerWeights: [3, 1],
      contentWeight: 2, styleWeight: 5, tvWeight: 0, pooling: 'max' as const, lossNormalization: 'relative' as const,
    };
    const plan = planRender(settings, { content: { width, height }, styles: [{ width, height }] });
    const targets = computeTargets(vgg, plan, content, [style]);
    const terms = tf.tidy(() => {
      const t = lossTerms(vgg, plan, targets, image);
      return tf.stack([t.content, t.style]);
    });
    const [contentTerm = NaN, styleTerm = NaN] = terms.dataSync();
    terms.dispose();
    disposeTargets(targets);

    // Plain float64 sums over the same feature maps.
    const sums = tf.tidy(() => {
      const ours = vgg.features(image, ['conv1_1', 'conv2_1'], 'max');
      const theirs = vgg.features(content, ['conv2_1'], 'max');
      const styleFeatures = vgg.features(style, ['conv1_1', 'conv2_1'], 'max');
      const gram = (f: tf.Tensor4D) => {
        const m = tf.reshape(f, [f.shape[1] * f.shape[2], f.shape[3]]) as tf.Tensor2D;
        return tf.div(tf.matMul(m, m, true, false), m.shape[0]);
      };
      const layer = (name: 'conv1_1' | 'conv2_1') => [tf.sum(tf.squaredDifference(gram(ours.get(name)!), gram(styleFeatures.get(name)!))), tf.sum(tf.square(gram(styleFeatures.get(name)!)))];
      return tf.stack([tf.sum(tf.squaredDifference(ours.get('conv2_1')!, theirs.get('conv2_1')!)), tf.sum(tf.square(theirs.get('conv2_1')!)), ...layer('conv1_1'), ...layer('conv2_1')]);
    });
    const [cErr = NaN, cNorm = NaN, s1Err = NaN, s1Norm = NaN, s2Err = NaN, s2Norm = NaN] = sums.dataSync();
    sums.dispose();
    expectClose(contentTerm, (2 * cErr) / cNorm, 1e-4);
    expectClose(styleTerm, 5 * (0.75 * (s1Err / s1Norm) + 0.25 * (s2Err / s2Norm)), 1e-4);
    expect(contentTerm).toBeGreaterThan(0);
  });
});
