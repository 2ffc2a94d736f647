// Instant styles on the real fast-style weights (the shared development copy) and the wasm backend,
// at tiny sizes: one forward pass of a 30×22 picture takes a few milliseconds.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtelierError } from '../../src/common/errors.js';
import { instantLongSide } from '../../src/common/instant.js';
import type { RgbImage } from '../../src/common/progress.js';
import { initBackend } from '../../src/main/engine/backend/index.js';
import { checkInstantMemory, instantStylize, TfjsFastStyleNet, type FastStyleWeights } from '../../src/main/engine/fast-style/index.js';
import * as tf from '../../src/main/engine/tf.js';
import { loadFastStyleWeights } from '../../src/main/services/models/fast-style.js';
import { SHARED_MODELS } from '../models/paths.js';
import { expectNoTensorLeaks, fixedPicture } from '../engine/support.js';

let wave: FastStyleWeights;
let net: TfjsFastStyleNet;
let temp: string;


beforeAll(async () => {
  expect((await initBackend({ backend: 'wasm' })).kind).toBe('wasm');
  wave = await loadFastStyleWeights('wave', SHARED_MODELS);
  net = TfjsFastStyleNet.fromWeights(wave);
  temp = await mkdtemp(join(tmpdir(), 'atelier-instant-'));
});
afterAll(async () => {
  net?.dispose();
  if (temp) await rm(temp, { recursive: true, force: true });
});
expectNoTensorLeaks();

describe('the feed-forward network', () => {
  it('paints a picture of any size at that size, the same on every run', async () => {
    const photo = fixedPicture();
    const first = await net.stylize(photo);
    const other = TfjsFastStyleNet.fromWeights(wave);
    const again = await other.stylize(photo);
    other.dispose();
    expect([first.width, first.height]).toEqual([30, 22]);
    expect(Buffer.from(again.data).equals(Buffer.from(first.data))).toBe(true);
    // It does paint: the output is far from the photo.
    const meanDifference = first.data.reduce((sum, v, i) => sum + Math.abs(v - photo.data[i]!), 0) / first.data.length;
    expect(meanDifference).toBeGreaterThan(20);
  });

  it('gives the same output on the cpu and wasm executors (relative error ≤ 1e-4)', async () => {
    const forward = () => {
      const other = TfjsFastStyleNet.fromWeights(wave);
      const input = tf.tensor4d(Float32Array.from(fixedPicture(32, 24).data), [1, 24, 32, 3]);
      const output = other.forward(input);
      const values = output.dataSync() as Float32Array;
      tf.dispose([input, output]);
      other.dispose();
      return values;
    };
    const onWasm = forward();
    await tf.setBackend('cpu');
    let onCpu: Float32Array;
    try {
      onCpu = forward();
    } finally {
      await tf.setBackend('wasm');
    }
    const worst = onWasm.reduce((max, v, i) => Math.max(max, Math.abs(v - onCpu[i]!)), 0);
    const scale = onWasm.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
    expect(worst / scale).toBeLessThanOrEqual(1e-4);
  });
});

describe('instantStylize', () => {
  it('returns the photo itself at strength 0', async () => {
    const photo = fixedPicture();
    const result = await instantStylize(net, photo, { strength: 0, keepColors: false }, 'wasm');
    expect(Buffer.from(result.data).equals(Buffer.from(photo.data))).toBe(true);
  });

  it('mixes in proportion to the strength', async () => {
    const photo = fixedPicture();
    const full = await instantStylize(net, photo, { strength: 100, keepColors: false }, 'wasm');
    const half = await instantStylize(net, photo, { strength: 50, keepColors: false }, 'wasm');
    half.data.forEach((v, i) => expect(Math.abs(v - (photo.data[i]! + full.data[i]!) / 2)).toBeLessThanOrEqual(1));
  });

  it('keeps the photo’s colours when asked', async () => {
    const photo = fixedPicture();
    const painted = await instantStylize(net, photo, { strength: 100, keepColors: false }, 'wasm');
    const kept = await instantStylize(net, photo, { strength: 100, keepColors: true }, 'wasm');
    const chromaDistance = (a: RgbImage) => {
      let sum = 0;
      for (let i = 0; i < a.data.length; i += 3) {
        const u = (d: Uint8Array) => -0.14713 * d[i]! - 0.28886 * d[i + 1]! + 0.436 * d[i + 2]!;
        const v = (d: Uint8Array) => 0.615 * d[i]! - 0.51499 * d[i + 1]! - 0.10001 * d[i + 2]!;
        sum += Math.abs(u(a.data) - u(photo.data)) + Math.abs(v(a.data) - v(photo.data));
      }
      return sum / (a.data.length / 3);
    };
    expect(chromaDistance(kept)).toBeLessThan(chromaDistance(painted) / 4);
  });

  it('refuses a picture the backend cannot hold, naming a size that fits', () => {
    expect(() => checkInstantMemory(12_000, 9_000, 'wasm')).toThrow(AtelierError);
    expect(() => checkInstantMemory(12_000, 9_000, 'wasm')).toThrow(/instant 12000×9000 picture needs about .* GB .* at most \d+ px/);
    expect(() => checkInstantMemory(1024, 768, 'wasm')).not.toThrow();
  });

  it('sizes the studio’s full-size render within what one pass holds', () => {
    expect(instantLongSide(1024, 768)).toBe(1024);
    expect(instantLongSide(4000, 3000)).toBe(2000);
    expect(instantLongSide(3000, 4000)).toBe(2000);
    const square = instantLongSide(2048, 2048);
    expect(square * square).toBeLessThanOrEqual(3_000_000);
    expect(() => checkInstantMemory(square, square, 'wasm')).not.toThrow();
  });
});

describe('loading a network', () => {
  it('gives the install message when the network is not installed', async () => {
    const failure = loadFastStyleWeights('wave', join(temp, 'nothing-here'));
    await expect(failure).rejects.toMatchObject({ code: 'MODELS_MISSING' });
    await expect(failure).rejects.toThrow(/fast-style network "wave" not installed .*models:install/);
  });

  it('refuses a damaged file, naming it', async () => {
    const models = join(temp, 'damaged');
    await cp(join(SHARED_MODELS, 'fast-style', 'udnie'), join(models, 'fast-style', 'udnie'), { recursive: true });
    const file = join(models, 'fast-style', 'udnie', 'Variable_9');
    const bytes = await readFile(file);
    bytes[100] = bytes[100]! ^ 0xff;
    await writeFile(file, bytes, { mode: 0o644 });
    const failure = loadFastStyleWeights('udnie', models);
    await expect(failure).rejects.toMatchObject({ code: 'MODELS_CORRUPT', file });
    await expect(failure).rejects.toThrow(/is corrupt: expected sha256 .* Reinstall with/);
  });
});
