// stylize end to end on the real VGG19 weights and the multithreaded WebAssembly backend, at tiny sizes
// (48–64 px: about 0.1 s an iteration on 2 cores) so that the whole file runs in well under a minute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtelierError } from '../../src/common/errors.js';
import type { RenderProgress, RgbImage } from '../../src/common/progress.js';
import type { RenderSettingsInput } from '../../src/common/settings.js';
import { initBackend } from '../../src/main/engine/backend/index.js';
import { stylize, type StylizeInputs } from '../../src/main/engine/stylize.js';
import { tfjsExecutor } from '../../src/main/engine/tfjs-executor.js';
import * as tf from '../../src/main/engine/tf.js';
import { Vgg19 } from '../../src/main/engine/vgg19.js';
import { expectNoTensorLeaks, loadRealVggWeights, meanChroma, readRgb, STARRY_NIGHT, THE_SCREAM, TUBINGEN } from './support.js';

let vgg: Vgg19;
let content: RgbImage;
let starryNight: RgbImage;
let scream: RgbImage;

beforeAll(async () => {
  const info = await initBackend({ backend: 'wasm' });
  expect(info.kind).toBe('wasm');
  vgg = Vgg19.fromWeights(await loadRealVggWeights());
  [content, starryNight, scream] = await Promise.all([readRgb(TUBINGEN, 64), readRgb(STARRY_NIGHT, 64), readRgb(THE_SCREAM, 64)]);
});
afterAll(() => vgg?.dispose());
expectNoTensorLeaks();

/** One stage at 48 px, a few iterations, an event every iteration. */
const QUICK: RenderSettingsInput = { size: 48, scales: [48], iterations: 6, progressEvery: 1 };

async function render(settings: RenderSettingsInput, inputs: Partial<StylizeInputs> = {}, signal?: AbortSignal) {
  const events: (RenderProgress & { numTensors: number })[] = [];
  const result = await stylize(
    tfjsExecutor(vgg),
    { content, styles: [starryNight], ...inputs },
    settings,
    { signal, onProgress: (progress) => events.push({ ...progress, numTensors: tf.memory().numTensors }) },
  );
  return { result, events };
}

function same(a: RgbImage, b: RgbImage): boolean {
  return a.width === b.width && a.height === b.height && Buffer.from(a.data).equals(Buffer.from(b.data));
}

describe('reproducibility', () => {
  it.each(['noise', 'content'] as const)("gives identical bytes for the same settings and seed (init '%s')", async (init) => {
    const settings = { ...QUICK, init, seed: 7, iterations: 4 };
    const [first, second] = [await render(settings), await render(settings)];
    expect(same(first.result.image, second.result.image)).toBe(true);
    expect(first.result.losses).toEqual(second.result.losses);
    if (init === 'noise') {
      // …and the seed is what makes it so.
      const other = await render({ ...settings, seed: 8 });
      expect(same(first.result.image, other.result.image)).toBe(false);
    }
  });
});

describe('cancellation', () => {
  it('stops within an iteration of the abort and resolves with a full-size image', async () => {
    const controller = new AbortController();
    const k = 3;
    const events: RenderProgress[] = [];
    const result = await stylize(tfjsExecutor(vgg), { content, styles: [starryNight] }, { size: 64, scales: [32, 64], iterations: [40, 40], progressEvery: 1 }, {
      signal: controller.signal,
      onProgress: (progress) => {
        events.push(progress);
        if (progress.iteration === k) {
          controller.abort();
        }
      },
    });
    expect(result.cancelled).toBe(true);
    // Stopped in the first (32 px) stage after k of its 40 iterations; the image still has the final size.
    expect(result.stages).toHaveLength(1);
    expect(result.stages[0]).toMatchObject({ size: 32, iterations: k });
    expect(events.map((e) => e.iteration)).toEqual([1, 2, 3]);
    expect([result.image.width, result.image.height]).toEqual([64, 48]);
    expect(result.image.data.length).toBe(64 * 48 * 3);
  });

  it('returns the start image when aborted before the first iteration', async () => {
    const controller = new AbortController();
    controller.abort();
    const { result, events } = await render({ ...QUICK, init: 'content' }, {}, controller.signal);
    expect(result.cancelled).toBe(true);
    expect(result.stages[0]!.iterations).toBe(0);
    expect(events).toHaveLength(0);
    expect([result.image.width, result.image.height]).toEqual([48, 36]);
  });
});

describe('tensor bookkeeping', () => {
  it.each([
    { optimizer: 'adam', learningRate: 5, historySize: 10, flatFrom: 1 },
    // Steps so long that some make the loss worse: the image kept as the best must then be the older one.
    { optimizer: 'adam', learningRate: 60, historySize: 10, flatFrom: 1 },
    // L-BFGS keeps its correction pairs in plain arrays: no tensor grows with its history.
    { optimizer: 'lbfgs', learningRate: 5, historySize: 3, flatFrom: 1 },
    { optimizer: 'gd', learningRate: 1e-3, historySize: 10, flatFrom: 1 },
  ] as const)(
    'holds the tensor count flat across iterations and releases everything ($optimizer, learning rate $learningRate)',
    async ({ optimizer, learningRate, historySize, flatFrom }) => {
      const before = tf.memory().numTensors;
      const { result, events } = await render({ ...QUICK, optimizer, learningRate, historySize, iterations: 10 });
      expect(tf.memory().numTensors).toBe(before);
      expect(events).toHaveLength(10);
      const counts = events.map((e) => e.numTensors);
      const steady = counts.slice(flatFrom - 1);
      expect(new Set(steady).size, `tensor counts per iteration: ${counts.join(' ')}`).toBe(1);
      expect(Math.max(...counts)).toBe(steady[0]);
      // The result is the best image seen, whatever the last step did.
      const totals = events.map((e) => e.losses.total);
      expect(result.losses.final.total).toBe(Math.min(...totals));
      if (learningRate === 60) expect(totals.some((total, i) => i > 0 && total > Math.min(...totals.slice(0, i)))).toBe(true);
    },
  );
});

describe('modes and optimizers', () => {
  const cases = [
    { mode: 'transfer', optimizer: 'lbfgs' },
    { mode: 'transfer', optimizer: 'adam' },
    { mode: 'content', optimizer: 'lbfgs' },
    { mode: 'content', optimizer: 'adam' },
    { mode: 'texture', optimizer: 'lbfgs' },
    { mode: 'texture', optimizer: 'adam' },
  ] as const;

  it.each(cases)('$mode with $optimizer lowers the loss', async ({ mode, optimizer }) => {
    const inputs: Partial<StylizeInputs> = mode === 'texture' ? { content: undefined } : mode === 'content' ? { styles: [] } : {};
    const { result } = await render({ ...QUICK, mode, optimizer, iterations: 8 }, inputs);
    const { initial, final } = result.losses;
    expect(final.total).toBeLessThan(initial.total);
    expect(result.plan.init).toBe(mode === 'transfer' ? 'content' : 'noise');
    if (mode === 'transfer') {
      // Starting from the content image, the style term dominates and falls fastest.
      expect(final.style).toBeLessThan(0.5 * initial.style);
      expect(final.content).toBeGreaterThan(0);
    } else {
      // The other modes switch off the terms that have nothing to compare against.
      expect(final[mode === 'content' ? 'style' : 'content']).toBe(0);
      expect(final.tv).toBe(0);
      expect(final.total).toBeLessThan(0.9 * initial.total);
    }
    if (mode === 'texture') {
      // Without a content image the result takes the style image's proportions.
      expect(result.image.width / result.image.height).toBeCloseTo(starryNight.width / starryNight.height, 1);
    }
  });
});

describe('a loop that never fails silently', () => {
  it('plain gradient descent at its default learning rate lowers the loss', async () => {
    const { result } = await render({ ...QUICK, optimizer: 'gd', iterations: 8 });
    expect(result.plan.settings.learningRate).toBe(5);
    expect(result.losses.final.total).toBeLessThan(0.9 * result.losses.initial.total);
  });

  it.each(['lbfgs', 'adam', 'gd'] as const)('stops with RENDER_DIVERGED when the loss overflows (%s)', async (optimizer) => {
    // A style weight past float32's range makes the loss (or its gradient) infinite on the first evaluation.
    const error = await render({ ...QUICK, optimizer, styleWeight: 1e300 }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AtelierError);
    expect((error as AtelierError).code).toBe('RENDER_DIVERGED');
    expect((error as AtelierError).message).toMatch(/finite number at iteration 1 of the 48×36 stage/);
    expect((error as AtelierError).message).toMatch(optimizer === 'lbfgs' ? /Adam optimizer/ : /Lower the learning rate/);
  });

  it('refuses to call a render done when no iteration lowered the loss', async () => {
    // Steps of 1000 pixel units overshoot every time; the result would be the unchanged photo.
    const error = await render({ ...QUICK, optimizer: 'gd', learningRate: 1000, iterations: 2 }).then(() => undefined, (e: unknown) => e);
    expect((error as AtelierError).code).toBe('RENDER_DIVERGED');
    expect((error as AtelierError).message).toMatch(/no iteration lowered the loss.*Lower the learning rate \(now 1000\)/);
  });
});

describe('coarse to fine', () => {
  it('runs one stage per scale and returns the final size', async () => {
    const { result, events } = await render({ size: 64, scales: [32, 64], iterations: [4, 2], progressEvery: 1 });
    expect(result.stages.map((s) => [s.size, s.width, s.height, s.iterations])).toEqual([
      [32, 32, 24, 4],
      [64, 64, 48, 2],
    ]);
    expect([result.image.width, result.image.height]).toEqual([64, 48]);
    expect(events.map((e) => [e.stage, e.iteration, e.done])).toEqual([
      [0, 1, 1], [0, 2, 2], [0, 3, 3], [0, 4, 4],
      [1, 1, 5], [1, 2, 6],
    ]);
    expect(events.every((e) => e.stages === 2 && e.total === 6)).toBe(true);
    expect(events.map((e) => e.preview!.width)).toEqual([32, 32, 32, 32, 64, 64]);
  });
});

describe('colours and blends', () => {
  it('keepColors keeps the content image’s chroma', async () => {
    // Starting from the (blue) style image, the colours stay far from the content's unless put back.
    const settings = { ...QUICK, init: 'style', iterations: 3 } as const;
    const kept = meanChroma((await render({ ...settings, keepColors: true })).result.image);
    const free = meanChroma((await render(settings)).result.image);
    // The content image at the result's size, through the same conversions.
    const want = meanChroma((await render({ ...QUICK, init: 'content', iterations: 0 })).result.image);
    expect(Math.abs(kept.u - want.u)).toBeLessThan(2);
    expect(Math.abs(kept.v - want.v)).toBeLessThan(2);
    expect(Math.hypot(free.u - want.u, free.v - want.v)).toBeGreaterThan(6);
  });

  it('blends several styles by styleBlend', async () => {
    const settings = { ...QUICK, iterations: 4 };
    const single = await render(settings);
    // A zero weight leaves the other style's Gram matrices exactly as they were.
    const onlyFirst = await render({ ...settings, styleBlend: [1, 0] }, { styles: [starryNight, scream] });
    expect(same(onlyFirst.result.image, single.result.image)).toBe(true);
    const both = await render({ ...settings, styleBlend: [3, 1] }, { styles: [starryNight, scream] });
    expect(both.result.plan.styleBlend).toEqual([0.75, 0.25]);
    expect(same(both.result.image, single.result.image)).toBe(false);
    expect(both.result.losses.final.total).toBeLessThan(both.result.losses.initial.total);
    const even = await render({ ...settings, iterations: 1 }, { styles: [starryNight, scream] });
    expect(even.result.plan.styleBlend).toEqual([0.5, 0.5]);
  });
});

describe('progress', () => {
  it('reports iteration, stage, losses, time left and a preview', async () => {
    const { result, events } = await render({ ...QUICK, iterations: 6, progressEvery: 2 });
    expect(events.map((e) => e.iteration)).toEqual([2, 4, 6]);
    for (const e of events) {
      expect(e).toMatchObject({ stage: 0, stages: 1, stageSize: 48, iterations: 6, total: 6, done: e.iteration });
      expect(Object.keys(e.losses).sort()).toEqual(['content', 'style', 'total', 'tv']);
      expect(Math.abs(e.losses.total - (e.losses.content + e.losses.style + e.losses.tv))).toBeLessThanOrEqual(1e-6 * e.losses.total);
      expect(e.etaMs).toBeGreaterThanOrEqual(0);
      expect(e.elapsedMs).toBeGreaterThan(0);
      expect(e.preview!.data.length).toBe(e.preview!.width * e.preview!.height * 3);
      expect([e.preview!.width, e.preview!.height]).toEqual([48, 36]);
    }
    expect(events[0]!.etaMs).toBeGreaterThan(events[1]!.etaMs);
    expect(events.at(-1)!.etaMs).toBe(0);
    expect(events.map((e) => e.elapsedMs)).toEqual([...events.map((e) => e.elapsedMs)].sort((a, b) => a - b));
    expect(result.losses.final.total).toBeLessThanOrEqual(Math.min(...events.map((e) => e.losses.total)));
  });

  it('keeps the preview’s long side at 256 px or less', async () => {
    // 320 px with only conv1_1 in the loss: a large image at little cost.
    const { events } = await render({ mode: 'content', size: 320, scales: [320], iterations: 1, contentLayers: ['conv1_1'] }, { styles: [] });
    expect(events).toHaveLength(1);
    const { width, height } = events[0]!.preview!;
    expect(Math.max(width, height)).toBe(256);
    expect(width / height).toBeCloseTo(4 / 3, 1);
  });
});

describe('refusals', () => {
  async function refusal(settings: RenderSettingsInput, inputs: Partial<StylizeInputs> = {}): Promise<AtelierError> {
    let called = false;
    const error = await stylize(tfjsExecutor(vgg), { content, styles: [starryNight], ...inputs }, settings, { onProgress: () => (called = true) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AtelierError);
    expect(called).toBe(false);
    return error as AtelierError;
  }

  it.each([
    ['scales that do not increase', { size: 64, scales: [64, 32] }, 'BAD_SETTINGS'],
    ['a last scale other than the size', { size: 64, scales: [32, 48] }, 'BAD_SETTINGS'],
    ['a scale below the minimum', { size: 64, scales: [8, 64] }, 'BAD_SETTINGS'],
    ['iteration counts that do not match the stages', { size: 64, scales: [32, 64], iterations: [5, 5, 5] }, 'BAD_SETTINGS'],
    ['a styleBlend of the wrong length', { size: 64, styleBlend: [1, 1] }, 'BAD_SETTINGS'],
    ['an unknown setting', { size: 64, sise: 32 }, 'BAD_SETTINGS'],
  ] as const)('refuses %s', async (_, settings, code) => {
    expect((await refusal(settings as RenderSettingsInput)).code).toBe(code);
  });

  it('refuses style transfer without a content image, and texture without a style image', async () => {
    expect((await refusal({ size: 64 }, { content: undefined })).code).toBe('BAD_INPUT');
    expect((await refusal({ mode: 'content', size: 64 }, { content: undefined })).code).toBe('BAD_INPUT');
    expect((await refusal({ mode: 'texture', size: 64 }, { styles: [] })).code).toBe('BAD_INPUT');
  });

  it.each([
    // ~112 GB: more than this machine has, whatever the backend.
    { size: 4096, pixels: '4096×3072' },
    // ~7 GB: would fit in memory, but not in WebAssembly's 32-bit heap.
    { size: 1024, pixels: '1024×768' },
  ])('refuses a $size px render on wasm before any work', async ({ size, pixels }) => {
    const started = process.cpuUsage();
    // The cheapest render there is (conv1_1 only, no iteration): were the check missing, this test
    // would spend seconds of CPU starting a real render at that size. CPU time, not wall time, so a
    // busy machine does not count against it.
    const error = await refusal({ mode: 'content', size, scales: [size], iterations: 0, contentLayers: ['conv1_1'] }, { styles: [] });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain(pixels);
    expect(error.message).toMatch(/WebAssembly/);
    const cpu = process.cpuUsage(started);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(500);
  });
});
