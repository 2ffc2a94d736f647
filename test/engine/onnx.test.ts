// The ONNX Runtime executor against the tfjs one (same weights, same image: terms and gradient), against
// finite differences, and end to end through stylize on the real VGG19 weights at tiny sizes.
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VGG16_LAYERS } from '../../src/common/networks.js';
import type { RgbImage } from '../../src/common/progress.js';
import type { RenderSettingsInput } from '../../src/common/settings.js';
import { initBackend } from '../../src/main/engine/backend/index.js';
import type { Executor, StageSetup } from '../../src/main/engine/executor.js';
import { onnxExecutor } from '../../src/main/engine/onnx/onnx-executor.js';
import { loadOnnxRuntime } from '../../src/main/engine/onnx/runtime.js';
import { planRender } from '../../src/main/engine/plan.js';
import { stylize } from '../../src/main/engine/stylize.js';
import * as tf from '../../src/main/engine/tf.js';
import { tfjsExecutor } from '../../src/main/engine/tfjs-executor.js';
import { Vgg19, type VggWeights } from '../../src/main/engine/vgg19.js';
import { expectNoTensorLeaks, loadRealVggWeights, meanChroma, randomArray, randomVggWeights, readRgb, seededRandom, STARRY_NIGHT, THE_SCREAM, TUBINGEN } from './support.js';

// Odd sizes on purpose: 22×30 pools to 11×15 and then 5×7, which drops a row and a column.
const [height, width] = [22, 30];
const random = seededRandom(11);
const picture = (h = height, w = width) => ({ data: randomArray(h * w * 3, random, 120), height: h, width: w });
const content = picture();
const styles = [picture(), picture(16, 26)];
const image = randomArray(height * width * 3, random, 120);

let ort: Awaited<ReturnType<typeof loadOnnxRuntime>>;
let vgg: Vgg19;
let onnxRandom: Executor;

beforeAll(async () => {
  const info = await initBackend({ backend: 'onnx' });
  expect(info.device).toBe('cpu');
  ort = await loadOnnxRuntime();
  // Random weights through conv3_1: real channel counts, two poolings, and cheap on tfjs's cpu backend.
  const weights = randomVggWeights(3, { through: 'conv3_1' });
  vgg = Vgg19.fromWeights(weights);
  onnxRandom = onnxExecutor({ ort, weights, executionProvider: 'cpu' });
});
afterAll(() => vgg?.dispose());

function stageSetup(settings: RenderSettingsInput): StageSetup {
  const plan = planRender({ size: width, scales: [width], ...settings }, { content, styles });
  return { plan, stage: plan.stages[0]!, content, styles };
}

async function evaluateOn(executor: Executor, setup: StageSetup, at: Float32Array = image) {
  const prepared = await executor.prepare(setup);
  try {
    return await prepared.evaluate(at);
  } finally {
    prepared.dispose();
  }
}

function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    norm += b[i]! ** 2;
  }
  return Math.sqrt(diff / norm);
}

// Weights that give the three terms similar sizes, so an error in any one of them shows.
const BASE: RenderSettingsInput = {
  contentLayers: ['conv2_2', 'conv3_1'], styleLayers: ['conv1_1', 'conv2_1', 'conv3_1'], styleLayerWeights: [1, 2, 3],
  contentWeight: 100, styleWeight: 1, styleBlend: [2, 1], lossNormalization: 'paper',
};
const CASES = [
  { pooling: 'max', tvKind: 'l1', tvWeight: 1000 },
  { pooling: 'avg', tvKind: 'l1', tvWeight: 1000 },
  { pooling: 'max', tvKind: 'squared', tvWeight: 1 },
  { pooling: 'avg', tvKind: 'squared', tvWeight: 1 },
  // Each layer's error relative to its target's norm: terms of order 1, so other weights balance them.
  { pooling: 'max', tvKind: 'l1', tvWeight: 0.01, lossNormalization: 'relative', contentWeight: 1, styleWeight: 30 },
  { pooling: 'avg', tvKind: 'squared', tvWeight: 1e-5, lossNormalization: 'relative', contentWeight: 1, styleWeight: 30 },
] as const;

describe('the onnx objective', () => {
  it.each(CASES)('has the loss terms and the gradient of the tfjs objective ($pooling pooling, $tvKind TV, two styles, $lossNormalization)', async (options) => {
    const setup = stageSetup({ ...BASE, ...options });
    const before = tf.memory().numTensors;
    const [onnx, tfjs] = [await evaluateOn(onnxRandom, setup), await evaluateOn(tfjsExecutor(vgg), setup)];
    expect(tf.memory().numTensors).toBe(before);
    for (const term of ['content', 'style', 'tv', 'total'] as const) {
      expect(tfjs.terms[term] / tfjs.terms.total, term).toBeGreaterThan(term === 'total' ? 0.99 : 0.01);
      expect(Math.abs(onnx.terms[term] - tfjs.terms[term]) / tfjs.terms[term], term).toBeLessThan(1e-4);
    }
    expect(relativeError(onnx.grad, tfjs.grad)).toBeLessThan(1e-4);
  });

  it.each([
    { mode: 'content', pooling: 'avg' },
    { mode: 'texture', pooling: 'max' },
  ] as const)('agrees with tfjs in $mode mode, where some terms are off', async ({ mode, pooling }) => {
    const setup = stageSetup({ ...BASE, mode, pooling, tvWeight: 10 });
    const [onnx, tfjs] = [await evaluateOn(onnxRandom, setup), await evaluateOn(tfjsExecutor(vgg), setup)];
    expect(onnx.terms[mode === 'content' ? 'style' : 'content']).toBe(0);
    expect(onnx.terms.tv).toBe(0);
    expect(Math.abs(onnx.terms.total - tfjs.terms.total) / tfjs.terms.total).toBeLessThan(1e-4);
    expect(relativeError(onnx.grad, tfjs.grad)).toBeLessThan(1e-4);
  });

  it.each(CASES)('has the directional derivatives that finite differences measure ($pooling pooling, $tvKind TV, $lossNormalization)', async (options) => {
    const prepared = await onnxRandom.prepare(stageSetup({ ...BASE, ...options }));
    try {
      const { grad } = await prepared.evaluate(image);
      const norm = (v: Float32Array) => Math.hypot(...v);
      const gradNorm = norm(grad);
      const randomDirection = () => {
        const v = randomArray(image.length, random, 1);
        const n = norm(v);
        return v.map((x) => x / n);
      };
      const directions = [grad.map((g) => g / gradNorm), randomDirection(), randomDirection()];
      const f = async (x: Float32Array) => (await prepared.evaluate(x)).terms.total;
      const h = 1;
      for (const [k, v] of directions.entries()) {
        const predicted = v.reduce((sum, vi, i) => sum + vi * grad[i]!, 0);
        const measured = ((await f(image.map((x, i) => x + h * v[i]!))) - (await f(image.map((x, i) => x - h * v[i]!)))) / (2 * h);
        expect(Math.abs(measured - predicted) / gradNorm, k === 0 ? 'along the gradient' : `random direction ${k}`).toBeLessThan(5e-3);
      }
    } finally {
      prepared.dispose();
    }
  });
});

describe('the onnx objective on VGG16', () => {
  // VGG16's table pools after conv3_3 where VGG19 pools after conv3_4, so a graph built from the VGG19
  // table would read a missing conv3_4 or pool in the wrong place. Few channels keep it cheap.
  it('builds from the same layer table as the tfjs network and agrees with it', async () => {
    const random16 = seededRandom(16);
    const weights: VggWeights = {};
    let channels = 3;
    for (const layer of VGG16_LAYERS) {
      const kernelShape: [number, number, number, number] = [3, 3, channels, 4];
      weights[layer] = { kernel: randomArray(9 * channels * 4, random16, Math.sqrt(6 / (9 * channels))), kernelShape, bias: randomArray(4, random16, 0.1) };
      channels = 4;
    }
    const vgg16 = Vgg19.fromWeights(weights, 'vgg16');
    try {
      const setup = stageSetup({
        ...BASE, network: 'vgg16', pooling: 'max', tvKind: 'l1', tvWeight: 1000,
        contentLayers: ['conv4_2'], styleLayers: ['conv1_1', 'conv3_3', 'conv4_1'], styleLayerWeights: [1, 2, 3],
      });
      const onnx16 = onnxExecutor({ ort, weights, executionProvider: 'cpu' });
      const [onnx, tfjs] = [await evaluateOn(onnx16, setup), await evaluateOn(tfjsExecutor(vgg16), setup)];
      for (const term of ['content', 'style', 'tv', 'total'] as const) {
        expect(tfjs.terms[term], term).toBeGreaterThan(0);
        expect(Math.abs(onnx.terms[term] - tfjs.terms[term]) / tfjs.terms[term], term).toBeLessThan(1e-4);
      }
      expect(relativeError(onnx.grad, tfjs.grad)).toBeLessThan(1e-4);
    } finally {
      vgg16.dispose();
    }
  });
});

describe('stylize on onnx (real VGG19 weights)', () => {
  let executor: Executor;
  let photo: RgbImage;
  let starryNight: RgbImage;
  let scream: RgbImage;
  const QUICK: RenderSettingsInput = { size: 40, scales: [40], iterations: 5, progressEvery: 1 };

  beforeAll(async () => {
    executor = onnxExecutor({ ort, weights: await loadRealVggWeights(), executionProvider: 'cpu' });
    [photo, starryNight, scream] = await Promise.all([readRgb(TUBINGEN, 40), readRgb(STARRY_NIGHT, 40), readRgb(THE_SCREAM, 40)]);
  });
  expectNoTensorLeaks();

  it.each([
    { mode: 'transfer', optimizer: 'lbfgs', init: 'content' },
    { mode: 'transfer', optimizer: 'adam', init: 'style', pooling: 'max', tvKind: 'squared' },
    // Gradient descent at its default learning rate (a step scaled to the gradient).
    { mode: 'transfer', optimizer: 'gd', init: 'image' },
    { mode: 'content', optimizer: 'lbfgs', init: 'noise' },
    { mode: 'texture', optimizer: 'lbfgs', init: 'noise', pooling: 'max' },
  ] as const)('$mode from $init with $optimizer lowers the loss', async (settings) => {
    const inputs = {
      content: settings.mode === 'texture' ? undefined : photo,
      styles: settings.mode === 'content' ? [] : [starryNight],
      initImage: scream,
    };
    const result = await stylize(executor, inputs, { ...QUICK, ...settings });
    expect(result.losses.final.total).toBeLessThan(result.losses.initial.total);
    expect(result.plan.init).toBe(settings.init);
  });

  it.each(['lbfgs', 'adam', 'gd'] as const)('stops with RENDER_DIVERGED on an infinite loss (%s) and on a render that never improves', async (optimizer) => {
    const failure = (settings: RenderSettingsInput) => stylize(executor, { content: photo, styles: [starryNight] }, { ...QUICK, optimizer, ...settings }).then(() => undefined, (e: unknown) => e as { code: string; message: string });
    expect(await failure({ styleWeight: 1e300 })).toMatchObject({ code: 'RENDER_DIVERGED', message: expect.stringMatching(/finite number at iteration 1/) });
    if (optimizer === 'gd') expect(await failure({ learningRate: 1000, iterations: 2 })).toMatchObject({ code: 'RENDER_DIVERGED', message: expect.stringMatching(/no iteration lowered the loss/) });
  });

  it('renders coarse to fine with two blended styles and keepColors, keeping the photo’s chroma', async () => {
    const result = await stylize(executor, { content: photo, styles: [starryNight, scream] }, {
      size: 40, scales: [32, 40], iterations: [4, 3], styleBlend: [1, 1], keepColors: true, styleLayers: ['conv1_1', 'conv3_1', 'conv5_1'], contentLayers: ['conv4_2', 'conv5_2'],
    });
    expect(result.stages.map((s) => s.iterations)).toEqual([4, 3]);
    expect([result.image.width, result.image.height]).toEqual([photo.width, photo.height]);
    const [ours, theirs] = [meanChroma(result.image), meanChroma(photo)];
    expect(Math.abs(ours.u - theirs.u)).toBeLessThan(3);
    expect(Math.abs(ours.v - theirs.v)).toBeLessThan(3);
  });

  it('returns the best image so far when cancelled', async () => {
    const controller = new AbortController();
    const events: number[] = [];
    const result = await stylize(executor, { content: photo, styles: [starryNight] }, { ...QUICK, iterations: 50 }, {
      signal: controller.signal,
      onProgress: (progress) => {
        events.push(progress.losses.total);
        if (progress.iteration === 3) controller.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    expect(result.stages[0]!.iterations).toBe(3);
    expect(result.losses.final.total).toBe(Math.min(...events));
    expect([result.image.width, result.image.height]).toEqual([photo.width, photo.height]);
  });

  it('refuses a stage too small for the deepest layer with a clear message', async () => {
    // The photo at 20×15 pools to 10×7, 5×3, 2×1 and then nothing before conv5_1 (the style image, 20×13, too).
    const error = await stylize(executor, { content: photo, styles: [starryNight] }, { size: 20, scales: [20], iterations: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_SETTINGS' });
    expect((error as Error).message).toMatch(/^a 20×1[35] stage is too small to reach conv5_1: the image shrinks to nothing after conv4_4's pooling; use larger scales or shallower layers$/);
  });

  // 4096×3072 needs about 40 GB on onnx; the development machine has 24 GB. (wasm stops at about 640 px.)
  it.runIf(os.totalmem() < 38e9)('refuses, before any work, a size that would not fit in this machine’s memory, and says so', async () => {
    const error = await stylize(executor, { content: photo, styles: [starryNight] }, { size: 4096, scales: [4096], iterations: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOO_LARGE' });
    expect((error as Error).message).toMatch(/^a 4096×3072 render needs about \d+\.\d GB of memory, more than the \d+\.\d GB available to the onnx backend/);
  });

  it('leaks nothing across renders: memory stays flat over repeated renders', async () => {
    const render = () => stylize(executor, { content: photo, styles: [starryNight] }, { ...QUICK, iterations: 2 });
    await render();
    await render();
    const settled = process.memoryUsage().rss;
    const renders = 8;
    for (let i = 0; i < renders; i++) await render();
    // Each render builds two sessions holding the 80 MB of weights; leaking one a render would add
    // 640 MB here. Half of that leaves room for the allocator's own swings on a busy machine.
    expect(process.memoryUsage().rss - settled).toBeLessThan((renders * 80e6) / 2);
  });
});
