// Style scale and colour control (Gatys et al. 2017) end to end on the real VGG19 weights at tiny sizes,
// on the wasm backend, and the colour statistics the quality bench measures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/common/progress.js';
import type { RenderSettingsInput } from '../../src/common/settings.js';
import { initBackend } from '../../src/main/engine/backend/index.js';
import { blendStats, colourDistance, colourStats } from '../../src/main/engine/colour-stats.js';
import { matchColours } from '../../src/main/engine/colour-transfer.js';
import type { Executor, StageSetup } from '../../src/main/engine/executor.js';
import { imageToTensor, tensorToImage } from '../../src/main/engine/image-tensor.js';
import { stylize } from '../../src/main/engine/stylize.js';
import * as tf from '../../src/main/engine/tf.js';
import { tfjsExecutor } from '../../src/main/engine/tfjs-executor.js';
import { Vgg19 } from '../../src/main/engine/vgg19.js';
import { expectNoTensorLeaks, loadRealVggWeights, meanChroma, readRgb, STARRY_NIGHT, TUBINGEN } from './support.js';

let vgg: Vgg19;
let content: RgbImage;
let starryNight: RgbImage;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  vgg = Vgg19.fromWeights(await loadRealVggWeights());
  [content, starryNight] = await Promise.all([readRgb(TUBINGEN, 64), readRgb(STARRY_NIGHT, 128)]);
});
afterAll(() => vgg?.dispose());
expectNoTensorLeaks();

/** The real tfjs executor, noting the style sizes each stage is prepared with. */
function observed(): { executor: Executor; styleSides: number[][] } {
  const inner = tfjsExecutor(vgg);
  const styleSides: number[][] = [];
  return {
    styleSides,
    executor: { kind: inner.kind, prepare: (setup: StageSetup) => (styleSides.push(setup.styles.map((s) => Math.max(s.width, s.height))), inner.prepare(setup)) },
  };
}

const QUICK: RenderSettingsInput = { size: 48, scales: [48], iterations: 3 };

describe('style scale', () => {
  it('sizes the painting at styleScale × each stage\'s long side (at least 32 px), and changes the result', async () => {
    const results = [];
    for (const [styleScale, want] of [[2, [64, 128]], [1, [32, 64]], [0.5, [32, 32]]] as const) {
      const { executor, styleSides } = observed();
      results.push(await stylize(executor, { content, styles: [starryNight] }, { size: 64, scales: [32, 64], iterations: [2, 1], styleScale }));
      expect(styleSides.map(([side]) => side), `scale ${styleScale}`).toEqual(want);
    }
    expect(Buffer.from(results[0]!.image.data).equals(Buffer.from(results[1]!.image.data))).toBe(false);
  });
});

describe('colour transfer', () => {
  it('matchColours gives the style image the photo\'s colour mean and covariance', () => {
    const tensor = tf.tidy(() => matchColours(imageToTensor(starryNight), imageToTensor(content)));
    const matched = tensorToImage(tensor);
    tensor.dispose();
    const [photo, before, after] = [colourStats(content), colourStats(starryNight), colourStats(matched)];
    expect(colourDistance(after, photo)).toBeLessThan(0.2 * colourDistance(before, photo));
  });

  it.each(['luminance', 'match'] as const)('%s: the result takes the photo\'s colours where the painting\'s would win', async (colourTransfer) => {
    // Starting from the (blue) style image, the colours stay far from the photo's unless the control acts.
    const settings: RenderSettingsInput = { ...QUICK, init: 'style' };
    const want = meanChroma(content);
    const free = meanChroma((await stylize(tfjsExecutor(vgg), { content, styles: [starryNight] }, settings)).image);
    const controlled = meanChroma((await stylize(tfjsExecutor(vgg), { content, styles: [starryNight] }, { ...settings, colourTransfer })).image);
    const off = (c: { u: number; v: number }) => Math.hypot(c.u - want.u, c.v - want.v);
    expect(off(free)).toBeGreaterThan(6);
    expect(off(controlled)).toBeLessThan(colourTransfer === 'luminance' ? 2 : 0.5 * off(free));
  });
});

describe('colour statistics', () => {
  it('are Lab means and deviations; a blend pools the pixels of its images', () => {
    const white = { width: 1, height: 1, data: Uint8Array.of(255, 255, 255) };
    const black = { width: 1, height: 1, data: Uint8Array.of(0, 0, 0) };
    expect(colourStats(white).mean[0]).toBeCloseTo(100, 1);
    expect(colourStats(black).mean[0]).toBeCloseTo(0, 5);
    const pooled = blendStats([colourStats(white), colourStats(black)], [0.5, 0.5]);
    expect(pooled.mean[0]).toBeCloseTo(50, 1);
    expect(pooled.std[0]).toBeCloseTo(50, 1);
    expect(colourDistance(colourStats(white), colourStats(white))).toBe(0);
    expect(colourDistance(colourStats(white), colourStats(black))).toBeCloseTo(100, 1);
  });
});
