// VGG16: its manifest, the Keras download-and-convert path on a small HDF5 file written here (the real
// 59 MB file cannot be downloaded on this machine), the install checks, and the engine built from the
// layer table. No VGG16 render runs here: that needs the real weights.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { NETWORK_LAYERS, VGG16_LAYERS } from '../../src/common/networks.js';
import { renderSettingsSchema } from '../../src/common/settings.js';
import { initBackend } from '../../src/main/engine/backend/index.js';
import * as tf from '../../src/main/engine/tf.js';
import { Vgg19 } from '../../src/main/engine/vgg19.js';
import {
  ModelsCorruptError, ModelsMissingError, convertKerasH5, installModels, readLayersModelWeights, readVggManifest, verifyModels, type ConvLayerSpec,
} from '../../src/main/services/models/index.js';
import { randomVggWeights } from '../engine/support.js';
import { checkoutResources } from '../../src/main/services/resources/index.js';

const MANIFESTS = checkoutResources().manifestsDir;

let temp: string;
// Importing the engine registers the wasm backend; the weight reader's tensors need it started too.
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'atelier-vgg16-'));
});
afterEach(() => rm(temp, { recursive: true, force: true }));

/** The manifest's thirteen layers with two channels each (three in): the real names, small shapes. */
async function smallLayers(): Promise<ConvLayerSpec[]> {
  return (await readVggManifest(MANIFESTS, 'vgg16')).layers.map((layer, i) => ({ ...layer, kernelShape: [3, 3, i === 0 ? 3 : 2, 2], biasShape: [2] }));
}

const valuesFor = (length: number, seed: number) => Float32Array.from({ length }, (_, i) => (seed * 100 + i) / 32 - 3);

/** A Keras 2 weights file (`<layer>/<layer>/kernel:0`), as keras.applications.VGG16 ships it. */
async function writeKerasH5(path: string, layers: readonly ConvLayerSpec[]): Promise<void> {
  const { FS } = await h5wasm.ready;
  const memoryPath = `/vgg16-test-${process.pid}-${Date.now()}.h5`;
  const file = new h5wasm.File(memoryPath, 'w');
  layers.forEach((layer, i) => {
    const inner = file.create_group(layer.kerasName).create_group(layer.kerasName);
    inner.create_dataset({ name: 'kernel:0', data: valuesFor(layer.kernelShape.reduce((a, b) => a * b), i), shape: layer.kernelShape, dtype: '<f' });
    inner.create_dataset({ name: 'bias:0', data: valuesFor(layer.biasShape[0], i + 50), shape: layer.biasShape, dtype: '<f' });
  });
  file.close();
  await writeFile(path, FS.readFile(memoryPath));
  FS.unlink(memoryPath);
}

describe('the VGG16 manifest', () => {
  test('lists the thirteen convolutions of configuration D and the Keras file with its published md5', async () => {
    const manifest = await readVggManifest(MANIFESTS, 'vgg16');
    expect(manifest.layers.map((layer) => layer.name)).toEqual([...VGG16_LAYERS]);
    expect(manifest.layers.map((layer) => layer.kerasName).at(-1)).toBe('block5_conv3');
    expect(manifest.parameters).toBe(14_714_688);
    expect(manifest.files).toEqual([]);
    expect(manifest.source).toMatchObject({
      file: 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
      url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
      hash: { algorithm: 'md5', value: '6d6bbae143d832006294945121d1f1fc' },
    });
  });
});

describe('installing VGG16', () => {
  test('the Keras file converts to a layers model that reads back with identical values', async () => {
    const layers = await smallLayers();
    const h5 = join(temp, 'small.h5');
    await writeKerasH5(h5, layers);
    const out = join(temp, 'out');
    await mkdir(out);
    const files = await convertKerasH5(h5, out, layers);
    expect(files.map((file) => file.path)).toEqual(['model.json', 'group1-shard1of1.bin']);
    const read = await readLayersModelWeights(out, layers);
    expect([...read.keys()]).toEqual([...VGG16_LAYERS]);
    layers.forEach((layer, i) => expect(read.get(layer.name)?.bias).toEqual(valuesFor(2, i + 50)));
  });

  test('a Keras file in --from that is not the published one is refused, and nothing is installed', async () => {
    const source = join(temp, 'from', 'vgg16');
    await mkdir(source, { recursive: true });
    await writeKerasH5(join(source, 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5'), await smallLayers());
    const failure = installModels({ from: join(temp, 'from'), to: join(temp, 'models'), networks: ['vgg16'] });
    await expect(failure).rejects.toBeInstanceOf(ModelsCorruptError);
    await expect(failure).rejects.toThrow(/failed its check: expected md5 6d6bbae143d832006294945121d1f1fc, got [0-9a-f]{32}\. Nothing was installed for vgg16/);
    await expect(verifyModels({ dir: join(temp, 'models'), networks: ['vgg16'] })).rejects.toBeInstanceOf(ModelsMissingError);
  });

  describe('downloads', () => {
    const server = createServer((_request, response) => response.end(Buffer.alloc(2000, 3)));
    let base: string;
    beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    })));
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    test('a downloaded file that fails the published hash is refused', async () => {
      const failure = installModels({ to: temp, networks: ['vgg16'], sources: { vgg16: `${base}/vgg16.h5` } });
      await expect(failure).rejects.toThrow(/vgg16\.h5 failed its check: expected md5 6d6bbae143d832006294945121d1f1fc, got/);
    });
  });

  test('is not part of a default install, and says how to get it when missing', async () => {
    const failure = verifyModels({ dir: temp, networks: ['vgg16'] });
    await expect(failure).rejects.toMatchObject({ code: 'MODELS_MISSING' });
    await expect(failure).rejects.toThrow(/VGG16 weights not installed .*atelier models install --only vgg16/);
  });
});

describe('the network setting', () => {
  test('defaults to VGG19 and checks layer names against the chosen network', () => {
    expect(renderSettingsSchema.parse({}).network).toBe('vgg19');
    expect(renderSettingsSchema.safeParse({ network: 'vgg16', contentLayers: ['block5_conv2'] }).success).toBe(true);
    const wrong = renderSettingsSchema.safeParse({ network: 'vgg16', styleLayers: ['conv1_1', 'conv5_4'] });
    expect(wrong.error?.issues).toEqual([expect.objectContaining({ path: ['styleLayers', 1], message: 'VGG16 has no layer conv5_4 (use conv1_1 … conv5_3)' })]);
    expect(renderSettingsSchema.safeParse({ network: 'vgg19', styleLayers: ['conv5_4'] }).success).toBe(true);
  });
});

describe('the engine built from the layer table', () => {
  test('VGG16 pools after conv3_3 and matches VGG19 on the layers they share', () => {
    const weights = randomVggWeights(3, { through: 'conv4_1' });
    const vgg16 = Vgg19.fromWeights(weights, 'vgg16');
    const vgg19 = Vgg19.fromWeights(weights, 'vgg19');
    const image = tf.randomUniform([1, 32, 32, 3], -100, 100, 'float32', 1) as tf.Tensor4D;
    try {
      const shared = tf.tidy(() => {
        const a = vgg16.features(image, ['conv3_3'], 'max').get('conv3_3')!;
        const b = vgg19.features(image, ['conv3_3'], 'max').get('conv3_3')!;
        return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      });
      expect(shared).toBe(0);
      const shape = tf.tidy(() => vgg16.features(image, ['conv4_1'], 'max').get('conv4_1')!.shape);
      expect(shape).toEqual([1, 4, 4, 512]);
      expect(() => vgg16.features(image, ['conv3_4'], 'max')).toThrow('vgg16 has no layer conv3_4');
      expect(NETWORK_LAYERS.vgg16).toHaveLength(13);
    } finally {
      tf.dispose(image);
      vgg16.dispose();
      vgg19.dispose();
    }
  });
});
