import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { estimateIterationBytes, maxRenderPixels, memoryLimitBytes } from '../../src/main/engine/memory.js';
import { largestSize } from '../../src/renderer/stores/settings-form.js';

describe('render memory limit', () => {
  it('the most pixels a backend can hold are the last its memory check accepts', () => {
    for (const backend of ['wasm', 'cpu', 'tfjs-node', 'onnx']) {
      const max = maxRenderPixels(backend);
      expect(estimateIterationBytes(max, 1, backend)).toBeLessThanOrEqual(memoryLimitBytes(backend));
      expect(estimateIterationBytes(max + 1, 1, backend)).toBeGreaterThan(memoryLimitBytes(backend));
    }
  });

  it('onnx needs less per pixel than tfjs and is limited by the machine, not a 4 GB heap', () => {
    expect(estimateIterationBytes(2048, 2048, 'onnx')).toBeLessThan(estimateIterationBytes(2048, 2048, 'tfjs-node'));
    // The machine's memory less the headroom left to everything else: a fifth, at least 2 GiB.
    expect(memoryLimitBytes('onnx')).toBe(os.totalmem() - Math.max(2 * 1024 ** 3, os.totalmem() * 0.2));
    expect(maxRenderPixels('onnx')).toBeGreaterThan(maxRenderPixels('tfjs-node'));
  });

  it("WebAssembly's 4 GB heap holds a 640 px square but not 1024×768", () => {
    expect(maxRenderPixels('wasm')).toBeGreaterThan(640 * 640);
    expect(maxRenderPixels('wasm')).toBeLessThan(1024 * 768);
  });

  it('turns the pixel limit into the largest long side for a picture, a multiple of 16 that fits', () => {
    const max = maxRenderPixels('wasm');
    for (const shape of [{ width: 1024, height: 768 }, { width: 768, height: 1024 }, { width: 500, height: 500 }, { width: 4000, height: 1000 }]) {
      const size = largestSize(max, shape);
      expect(size % 16).toBe(0);
      const short = (size * Math.min(shape.width, shape.height)) / Math.max(shape.width, shape.height);
      expect(size * short).toBeLessThanOrEqual(max);
      const next = size + 16;
      expect(next * ((next * Math.min(shape.width, shape.height)) / Math.max(shape.width, shape.height))).toBeGreaterThan(max);
    }
  });
});
