import { describe, expect, it } from 'vitest';
import { BACKEND_CHOICES } from '../../src/common/backends.js';
import { defaultSchedule } from '../../src/common/settings.js';
import { fitLongSide } from '../../src/main/engine/sizes.js';
import { BUILT_IN_SPEED, pixelIterations, updatedSpeed } from '../../src/main/services/backends/index.js';

const stage = (width: number, height: number, iterations: number, ms: number) => ({ size: Math.max(width, height), width, height, iterations, ms });

describe('render speed for estimates', () => {
  it('counts work as iterations × pixels over the stages', () => {
    expect(pixelIterations([stage(10, 10, 3, 0), stage(20, 10, 2, 0)])).toBe(300 + 400);
  });

  it('takes the first render as measured, then lets each new one count half', () => {
    const first = updatedSpeed(undefined, { stages: [stage(100, 100, 10, 1000)], durationMs: 4000 });
    expect(first).toEqual({ msPerPixelIteration: 0.01, startupMs: 3000, renders: 1 });
    const second = updatedSpeed(first, { stages: [stage(100, 100, 10, 3000)], durationMs: 4000 });
    expect(second).toEqual({ msPerPixelIteration: 0.02, startupMs: 2000, renders: 2 });
  });

  it('has a figure for every backend the engine picks by itself, so a first estimate is not the slowest guess', () => {
    // The README's first command: a 4:3 photo at 512 px with the default schedule, 75–90 s measured on onnx.
    const { sizes, iterations } = defaultSchedule(512);
    const work = pixelIterations(sizes.map((size, i) => ({ ...fitLongSide(1024, 768, size), iterations: iterations[i]! })));
    const onnx = BUILT_IN_SPEED.onnx!;
    expect((onnx.startupMs + onnx.msPerPixelIteration * work) / 1000).toBeGreaterThan(60);
    expect((onnx.startupMs + onnx.msPerPixelIteration * work) / 1000).toBeLessThan(100);
    for (const backend of BACKEND_CHOICES.filter((choice) => choice !== 'auto')) expect(BUILT_IN_SPEED[backend], backend).toBeDefined();
  });

  it('keeps what it knew when a render did no work to measure', () => {
    expect(updatedSpeed(BUILT_IN_SPEED.wasm, { stages: [stage(100, 100, 0, 0)], durationMs: 900 })).toBe(BUILT_IN_SPEED.wasm);
  });
});
