import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import h5wasm, { type Group } from 'h5wasm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  ModelsCorruptError,
  convertKerasH5,
  installModels,
  readLayersModelWeights,
  verifyFiles,
  verifyModels,
  type ConvLayerSpec,
} from '../../src/main/services/models/index.js';
import { writeReceipt } from '../../src/main/services/models/receipt.js';
import { SHARED_MODELS } from './paths.js';

const LAYERS: ConvLayerSpec[] = [
  { name: 'conv1_1', kerasName: 'block1_conv1', kernelShape: [3, 3, 3, 4], biasShape: [4] },
  { name: 'conv1_2', kerasName: 'block1_conv2', kernelShape: [3, 3, 4, 4], biasShape: [4] },
  { name: 'conv2_1', kerasName: 'block2_conv1', kernelShape: [3, 3, 4, 2], biasShape: [2] },
];

/** Distinct, exactly representable values, so any mix-up of order or layer shows. */
function values(length: number, seed: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => (seed * 1000 + i) / 64 - 7);
}
const kernelOf = (layer: ConvLayerSpec, seed: number) => values(layer.kernelShape.reduce((a, b) => a * b), seed);
const biasOf = (layer: ConvLayerSpec, seed: number) => values(layer.biasShape[0], seed + 0.5);

/**
 * A small Keras-layout weights file, each layer named the way a different Keras version writes it:
 * Keras 2 (`kernel:0` in a subgroup), Keras 1 as in the VGG19 release (`<layer>_W_1:0`), and no
 * `:0` suffix, stored as float64.
 */
async function writeKerasH5(path: string, layers: readonly ConvLayerSpec[]): Promise<void> {
  const { FS } = await h5wasm.ready;
  const memoryPath = `/test-${process.pid}-${Date.now()}.h5`;
  const file = new h5wasm.File(memoryPath, 'w');
  file.create_attribute('layer_names', layers.map((layer) => layer.kerasName));
  layers.forEach((layer, i) => {
    const group = file.create_group(layer.kerasName);
    const write = (parent: Group, name: string, data: Float32Array, shape: number[], dtype = '<f') =>
      parent.create_dataset({ name, data: dtype === '<d' ? Float64Array.from(data) : data, shape, dtype });
    const kernel = kernelOf(layer, i);
    const bias = biasOf(layer, i);
    if (i === 0) {
      const inner = group.create_group(layer.kerasName);
      write(inner, 'kernel:0', kernel, layer.kernelShape);
      write(inner, 'bias:0', bias, layer.biasShape);
    } else if (i === 1) {
      write(group, `${layer.kerasName}_W_1:0`, kernel, layer.kernelShape);
      write(group, `${layer.kerasName}_b_1:0`, bias, layer.biasShape);
    } else {
      const inner = group.create_group(layer.kerasName);
      write(inner, 'kernel', kernel, layer.kernelShape, '<d');
      write(inner, 'bias', bias, layer.biasShape, '<d');
    }
  });
  file.close();
  await writeFile(path, FS.readFile(memoryPath));
  FS.unlink(memoryPath);
}

let temp: string;
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'atelier-h5-'));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

/** A models folder whose vgg19/ was converted from `LAYERS`, with its receipt. */
async function convertedInstall(): Promise<string> {
  const h5 = join(temp, 'tiny.h5');
  await writeKerasH5(h5, LAYERS);
  const vggDir = join(temp, 'models', 'vgg19');
  await mkdir(vggDir, { recursive: true });
  const files = await convertKerasH5(h5, vggDir, LAYERS);
  await writeReceipt(vggDir, { format: 'tfjs-layers-model', source: h5, convertedAt: new Date().toISOString(), files });
  return vggDir;
}

describe('Keras HDF5 conversion', () => {
  test('converts to a tfjs layers model that loads back with identical values', async () => {
    const h5 = join(temp, 'tiny.h5');
    await writeKerasH5(h5, LAYERS);
    const out = join(temp, 'out');
    await mkdir(out);

    const files = await convertKerasH5(h5, out, LAYERS);
    expect(files.map((file) => file.path)).toEqual(['model.json', 'group1-shard1of1.bin']);
    await verifyFiles(out, files, 'tiny model');

    const read = await readLayersModelWeights(out, LAYERS);
    LAYERS.forEach((layer, i) => {
      expect(read.get(layer.name)).toEqual({ kernel: kernelOf(layer, i), kernelShape: layer.kernelShape, bias: biasOf(layer, i) });
    });
  });

  test('the converted folder is a complete layers model for TensorFlow.js', async () => {
    const h5 = join(temp, 'tiny.h5');
    await writeKerasH5(h5, LAYERS);
    await convertKerasH5(h5, temp, LAYERS);
    const modelJson = JSON.parse(await readFile(join(temp, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const group = modelJson.weightsManifest[0];
    if (!group) throw new Error('no weight group');
    const shard = await readFile(join(temp, group.paths[0] ?? ''));

    const before = tf.memory().numTensors;
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: group.weights, weightData: new Uint8Array(shard).buffer }),
    );
    // Two 'same' convolutions, 2x2 pooling where block 1 ends, then block 2's two channels.
    const outputShape = tf.tidy(() => (model.predict(tf.ones([1, 4, 4, 3])) as tf.Tensor).shape);
    expect(outputShape).toEqual([1, 2, 2, 2]);
    const [kernel] = model.getLayer('block2_conv1').getWeights();
    expect(kernel?.dataSync()).toEqual(kernelOf(LAYERS[2] as ConvLayerSpec, 2));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a file without an expected layer is refused, naming the layer', async () => {
    const h5 = join(temp, 'short.h5');
    await writeKerasH5(h5, LAYERS.slice(0, 2));
    const failure = convertKerasH5(h5, temp, LAYERS);
    await expect(failure).rejects.toBeInstanceOf(ModelsCorruptError);
    await expect(failure).rejects.toThrow(`${h5} has no layer "block2_conv1"`);
  });

  test('a kernel of the wrong shape is refused', async () => {
    const h5 = join(temp, 'transposed.h5');
    await writeKerasH5(h5, LAYERS);
    const theanoOrder = LAYERS.map((layer, i) =>
      i === 0 ? { ...layer, kernelShape: [4, 3, 3, 3] as ConvLayerSpec['kernelShape'] } : layer,
    );
    await expect(convertKerasH5(h5, temp, theanoOrder)).rejects.toThrow(
      /block1_conv1\/kernel:0 is .* \[3,3,3,4\], expected float \[4,3,3,3\]/,
    );
  });

  test('a converted install is checked against its receipt', async () => {
    const vggDir = await convertedInstall();

    const [verified] = await verifyModels({ dir: join(temp, 'models'), networks: ['vgg19'] });
    expect(verified?.files.map((file) => file.path)).toEqual(['model.json', 'group1-shard1of1.bin']);
    const shard = join(vggDir, 'group1-shard1of1.bin');
    await chmod(shard, 0o644);
    await writeFile(shard, Buffer.alloc((await readFile(shard)).length));
    await expect(verifyModels({ dir: join(temp, 'models'), networks: ['vgg19'] })).rejects.toMatchObject({
      code: 'MODELS_CORRUPT',
      file: shard,
    });
  });

  test('a copy install replaces a converted one, receipt and shards included', async () => {
    const vggDir = await convertedInstall();
    await installModels({ from: SHARED_MODELS, to: join(temp, 'models'), networks: ['vgg19'] });
    expect((await readdir(vggDir)).sort()).toEqual([
      ...Array.from({ length: 7 }, (_, i) => `group1-shard${i + 1}of7.bin`),
      'model.json',
    ]);
    await expect(verifyModels({ dir: join(temp, 'models'), networks: ['vgg19'] })).resolves.toHaveLength(1);
  });
});
