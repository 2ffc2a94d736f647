// The onnx objective sums its losses in float32 (GPU providers have no float64 kernels). At 512 px, on
// the real VGG19 weights, each term must match the same sums taken in float64 within 1e-5 relative.
// The float64 reference reads the feature maps and Gram matrices from the targets graph (the same
// float32 ops the objective runs) and sums them here, in JavaScript's doubles.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/common/progress.js';
import type { RenderSettingsInput } from '../../src/common/settings.js';
import { initBackend } from '../../src/main/engine/backend/index.js';
import type { NetworkImage } from '../../src/main/engine/executor.js';
import { onnxExecutor } from '../../src/main/engine/onnx/onnx-executor.js';
import { loadOnnxRuntime, type OnnxRuntime } from '../../src/main/engine/onnx/runtime.js';
import { targetsGraph, type NetworkSpec } from '../../src/main/engine/onnx/vgg-graph.js';
import { planRender, type RenderPlan } from '../../src/main/engine/plan.js';
import { BGR_MEAN, type VggWeights } from '../../src/main/engine/vgg19.js';
import { loadRealVggWeights, readRgb, seededRandom, STARRY_NIGHT, TUBINGEN } from './support.js';

const SIZE = 512;

/** RGB bytes to network space (BGR, mean-subtracted), plus uniform noise of ±`noise`. */
function networkImage(image: RgbImage, noise = 0, random = seededRandom(5)): NetworkImage {
  const data = new Float32Array(image.width * image.height * 3);
  for (let i = 0; i < data.length; i += 3) {
    for (let c = 0; c < 3; c++) data[i + c] = image.data[i + 2 - c]! - BGR_MEAN[c]! + noise * (2 * random() - 1);
  }
  return { data, width: image.width, height: image.height };
}

/** The targets graph's outputs for one image as content and as the only style: its feature maps and Gram matrices. */
async function featuresOf(ort: OnnxRuntime, network: NetworkSpec, plan: RenderPlan, content: NetworkImage, style: NetworkImage): Promise<Record<string, Float32Array>> {
  const { bytes } = targetsGraph(network, plan, content, [style]);
  const session = await ort.InferenceSession.create(bytes);
  try {
    const tensor = (image: NetworkImage) => new ort.Tensor('float32', image.data, [1, image.height, image.width, 3]);
    const out = await session.run({ content: tensor(content), style0: tensor(style) });
    return Object.fromEntries(Object.entries(out).map(([name, t]) => [name, t.data as Float32Array]));
  } finally {
    await session.release();
  }
}

function sumOfSquaredDifferences(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum;
}

/** The TV term of losses.ts, summed in doubles. */
function tv64(image: NetworkImage, plan: RenderPlan): number {
  const { data, width, height } = image;
  const at = (y: number, x: number, c: number) => data[(y * width + x) * 3 + c]!;
  let sum = 0;
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      for (let c = 0; c < 3; c++) {
        const dx = at(y, x + 1, c) - at(y, x, c);
        const dy = at(y + 1, x, c) - at(y, x, c);
        sum += plan.settings.tvKind === 'l1' ? Math.abs(dx) + Math.abs(dy) : (dx * dx + dy * dy + 1e-8) ** 1.25;
      }
    }
  }
  return (plan.tvWeight * sum) / ((height - 1) * (width - 1) * 3);
}

describe('the onnx objective’s float32 loss sums at 512 px', () => {
  let ort: OnnxRuntime;
  let weights: VggWeights;
  let content: NetworkImage;
  let style: NetworkImage;

  beforeAll(async () => {
    await initBackend({ backend: 'onnx' });
    ort = await loadOnnxRuntime();
    weights = await loadRealVggWeights();
    [content, style] = [networkImage(await readRgb(TUBINGEN, SIZE)), networkImage(await readRgb(STARRY_NIGHT, SIZE))];
  });

  it.each([
    { tvKind: 'l1' },
    { tvKind: 'squared', contentLayers: ['conv2_2', 'conv4_2'] },
  ] satisfies RenderSettingsInput[])('match the float64 sums within 1e-5 ($tvKind TV)', async (settings) => {
    // The paper's normalization, whose sums this test writes out; the relative one only rescales them.
    const plan = planRender({ size: SIZE, scales: [SIZE], lossNormalization: 'paper', ...settings }, { content, styles: [style] });
    const network = { network: plan.settings.network, weights, pooling: plan.settings.pooling };
    // A render's image: the photo with noise, so every term is well away from zero.
    const image = networkImage(await readRgb(TUBINGEN, SIZE), 40);
    const [targets, ofImage] = [await featuresOf(ort, network, plan, content, style), await featuresOf(ort, network, plan, image, image)];

    const expected = { content: 0, style: 0, tv: tv64(image, plan) };
    for (const layer of plan.contentLayers) {
      const count = ofImage[`content_${layer}`]!.length;
      expected.content += ((0.5 * plan.contentWeight) / count) * sumOfSquaredDifferences(ofImage[`content_${layer}`]!, targets[`content_${layer}`]!);
    }
    for (const { layer, weight } of plan.styleLayers) {
      const channels = Math.sqrt(ofImage[`gram_${layer}`]!.length);
      expected.style += ((plan.styleWeight * weight) / (4 * channels * channels)) * sumOfSquaredDifferences(ofImage[`gram_${layer}`]!, targets[`gram_${layer}`]!);
    }

    const prepared = await onnxExecutor({ ort, weights, executionProvider: 'cpu' }).prepare({ plan, stage: plan.stages[0]!, content, styles: [style] });
    try {
      const { terms } = await prepared.evaluate(image.data);
      for (const term of ['content', 'style', 'tv'] as const) {
        expect(expected[term], term).toBeGreaterThan(0);
        expect(Math.abs(terms[term] - expected[term]) / expected[term], term).toBeLessThan(1e-5);
      }
    } finally {
      prepared.dispose();
    }
  });
});
