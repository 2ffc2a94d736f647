// The instant networks on ONNX Runtime against the same networks on tfjs: the real weights of all
// nine (the shared development copy), a fixed small picture, float outputs compared before rounding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_STYLES } from '../../src/common/instant.js';
import type { RgbImage } from '../../src/common/progress.js';
import { initBackend } from '../../src/main/engine/backend/index.js';
import { OnnxFastStyleNet, TfjsFastStyleNet, onnxFastStyleLoader, type FastStyleWeights } from '../../src/main/engine/fast-style/index.js';
import { loadOnnxRuntime } from '../../src/main/engine/onnx/runtime.js';
import * as tf from '../../src/main/engine/tf.js';
import { loadFastStyleWeights } from '../../src/main/services/models/fast-style.js';
import { SHARED_MODELS } from '../models/paths.js';
import { expectNoTensorLeaks, fixedPicture } from '../engine/support.js';


let load: ReturnType<typeof onnxFastStyleLoader>;
const weights = new Map<string, FastStyleWeights>();

beforeAll(async () => {
  // The onnx backend: ORT paints, tfjs (on WebAssembly) pads, crops and blends around it.
  expect((await initBackend({ backend: 'onnx' })).device).toBe('cpu');
  load = onnxFastStyleLoader({ ort: await loadOnnxRuntime(), executionProvider: 'cpu' });
  for (const name of FAST_STYLES) weights.set(name, await loadFastStyleWeights(name, SHARED_MODELS));
});
afterAll(() => weights.clear());
expectNoTensorLeaks();

async function forwardOn(net: TfjsFastStyleNet | OnnxFastStyleNet, picture: RgbImage): Promise<Float32Array> {
  const input = tf.tensor4d(Float32Array.from(picture.data), [1, picture.height, picture.width, 3]);
  const output = await net.forward(input);
  const values = (await output.data()) as Float32Array;
  tf.dispose([input, output]);
  return values;
}

describe('instant networks on ONNX Runtime', () => {
  it.each(FAST_STYLES)('%s gives the same output as on tfjs (relative error ≤ 1e-4)', async (name) => {
    const picture = fixedPicture(32, 24);
    const tfjsNet = TfjsFastStyleNet.fromWeights(weights.get(name)!);
    const onnxNet = (await load(weights.get(name)!)) as OnnxFastStyleNet;
    try {
      const onTfjs = await forwardOn(tfjsNet, picture);
      const onOnnx = await forwardOn(onnxNet, picture);
      expect(onOnnx.length).toBe(32 * 24 * 3);
      const worst = onTfjs.reduce((max, v, i) => Math.max(max, Math.abs(v - onOnnx[i]!)), 0);
      const scale = onTfjs.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
      expect(worst / scale).toBeLessThanOrEqual(1e-4);
      // It paints: far from the photo, and not a flat field.
      expect(onOnnx.reduce((sum, v, i) => sum + Math.abs(v - picture.data[i]!), 0) / onOnnx.length).toBeGreaterThan(10);
    } finally {
      tfjsNet.dispose();
      onnxNet.dispose();
    }
  });

  it('is reproducible, and paints any size at that size as tfjs does', async () => {
    const photo = fixedPicture(30, 22);
    const first = await load(weights.get('wave')!);
    const second = await load(weights.get('wave')!);
    const tfjsNet = TfjsFastStyleNet.fromWeights(weights.get('wave')!);
    try {
      const a = await first.stylize(photo);
      const b = await second.stylize(photo);
      const again = await first.stylize(photo);
      expect([a.width, a.height]).toEqual([30, 22]);
      expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true);
      expect(Buffer.from(again.data).equals(Buffer.from(a.data))).toBe(true);
      // Rounded to bytes, a value at a half can fall either way: at most one step apart.
      const onTfjs = await tfjsNet.stylize(photo);
      expect(a.data.reduce((max, v, i) => Math.max(max, Math.abs(v - onTfjs.data[i]!)), 0)).toBeLessThanOrEqual(1);
      expect(first.executor).toBe('onnxruntime-cpu');
    } finally {
      first.dispose();
      second.dispose();
      tfjsNet.dispose();
    }
  });
});
