// Shared helpers for the engine tests. Not a test file: vitest only collects `*.test.ts`.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, expect } from 'vitest';
import type { RgbImage } from '../../src/common/progress.js';
import { VGG19_LAYERS, type VggLayer } from '../../src/common/settings.js';
import { expectedKernelShape, type Vgg19Weights } from '../../src/main/engine/vgg19.js';
import * as tf from '../../src/main/engine/tf.js';

/** Files shared between checkouts: sample pictures and the installed VGG19 weights. */
export const SHARED = resolve(import.meta.dirname, '../../../shared');
export const MODEL_DIR = join(SHARED, 'models/vgg19');
export const TUBINGEN = join(SHARED, 'images/content/tubingen.jpg');
export const STARRY_NIGHT = join(SHARED, 'images/style/starry_night.jpg');
export const THE_SCREAM = join(SHARED, 'images/style/the_scream.jpg');

/** Mulberry32: a small seeded generator, so random test data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [−scale, scale). */
export function randomArray(length: number, random: () => number, scale = 1): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = (2 * random() - 1) * scale;
  return values;
}

/**
 * VGG19-shaped weights drawn at random (He-uniform kernels, small biases): the real channel counts, so
 * the network's code paths are the real ones, at no cost of loading the real model. With `through`,
 * only the layers up to that one get their real shapes.
 */
export function randomVggWeights(seed: number, { through }: { through?: VggLayer } = {}): Vgg19Weights {
  const random = seededRandom(seed);
  const weights = {} as Vgg19Weights;
  const last = through ? VGG19_LAYERS.indexOf(through) : VGG19_LAYERS.length - 1;
  for (const [index, layer] of VGG19_LAYERS.entries()) {
    // Past `through`, a 3×3×1×1 stand-in: a test that never runs those layers need not pay for them
    // (the cpu backend takes ~2 s to flip one 512×512 kernel for ConvRelu's backward pass).
    const kernelShape: [number, number, number, number] = index <= last ? expectedKernelShape(layer) : [3, 3, 1, 1];
    const [kh, kw, cin, cout] = kernelShape;
    const kernel = randomArray(kh * kw * cin * cout, random, Math.sqrt(6 / (kh * kw * cin)));
    weights[layer] = { kernel, kernelShape, bias: randomArray(cout, random, 0.1) };
  }
  return weights;
}

/** The real ImageNet VGG19 weights from the shared tfjs layers model (block1_conv1/kernel …). */
export async function loadRealVggWeights(): Promise<Vgg19Weights> {
  const model = JSON.parse(await readFile(join(MODEL_DIR, 'model.json'), 'utf8')) as {
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weights = {} as Vgg19Weights;
  for (const group of model.weightsManifest) {
    const shards = await Promise.all(group.paths.map((path) => readFile(join(MODEL_DIR, path))));
    const bytes = Buffer.concat(shards);
    const named = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), group.weights);
    try {
      for (const layer of VGG19_LAYERS) {
        const keras = `block${layer[4]}_conv${layer[6]}`;
        const kernel = named[`${keras}/kernel`];
        const bias = named[`${keras}/bias`];
        if (!kernel || !bias) continue;
        weights[layer] = {
          kernel: kernel.dataSync() as Float32Array,
          kernelShape: kernel.shape as [number, number, number, number],
          bias: bias.dataSync() as Float32Array,
        };
      }
    } finally {
      tf.dispose(Object.values(named));
    }
  }
  for (const layer of VGG19_LAYERS) if (!weights[layer]) throw new Error(`${layer} is missing from ${MODEL_DIR}`);
  return weights;
}

/** Reads a picture as RGB, fitted inside size×size. */
export async function readRgb(path: string, size: number): Promise<RgbImage> {
  const { data, info } = await sharp(path).resize(size, size, { fit: 'inside' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Mean BT.601 chroma (U, V) of an RGB image, the split keepColors works in. */
export function meanChroma(image: RgbImage): { u: number; v: number } {
  let u = 0;
  let v = 0;
  const pixels = image.width * image.height;
  for (let i = 0; i < pixels; i++) {
    const [r, g, b] = [image.data[3 * i]!, image.data[3 * i + 1]!, image.data[3 * i + 2]!];
    u += -0.14713 * r - 0.28886 * g + 0.436 * b;
    v += 0.615 * r - 0.51499 * g - 0.10001 * b;
  }
  return { u: u / pixels, v: v / pixels };
}

/** Checks, around every test of the calling file, that it leaves no tensor behind. */
export function expectNoTensorLeaks(): void {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors, 'tensors left behind by this test').toBe(before);
  });
}

/** Reads a tensor's values and disposes it. */
export function take(tensor: tf.Tensor): Float32Array {
  const values = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return values;
}

/** A fixed picture: smooth gradients with a little seeded noise (30×22 by default: sides not multiples of 4). */
export function fixedPicture(width = 30, height = 22): RgbImage {
  const random = seededRandom(7);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((255 * x) / width);
      data[i + 1] = Math.round((255 * y) / height);
      data[i + 2] = Math.floor(random() * 256);
    }
  }
  return { width, height, data };
}
