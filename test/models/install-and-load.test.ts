import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VGG19_LAYERS } from '../../src/common/settings.js';
import type { Vgg19Weights } from '../../src/main/engine/index.js';
import { installModels, loadVgg19Weights, verifyModels, type InstallProgress } from '../../src/main/services/models/index.js';
import { SHARED_MODELS } from './paths.js';

interface WeightSpec {
  name: string;
  shape: number[];
  quantization?: { scale: number; min: number };
}

/** Where a weight's bytes start in the concatenated shards, read straight from model.json. */
async function rawWeight(dir: string, name: string): Promise<{ spec: WeightSpec; bytes: Buffer }> {
  const model = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
    weightsManifest: [{ paths: string[]; weights: WeightSpec[] }];
  };
  const [group] = model.weightsManifest;
  const data = Buffer.concat(await Promise.all(group.paths.map((path) => readFile(join(dir, path)))));
  let offset = 0;
  for (const spec of group.weights) {
    const length = spec.shape.reduce((a, b) => a * b, 1) * (spec.quantization ? 1 : 4);
    if (spec.name === name) return { spec, bytes: data.subarray(offset, offset + length) };
    offset += length;
  }
  throw new Error(`no weight ${name}`);
}

describe('installing from a local folder', () => {
  let modelsDir: string;
  const events: InstallProgress[] = [];
  let weights: Vgg19Weights;

  beforeAll(async () => {
    modelsDir = await mkdtemp(join(tmpdir(), 'atelier-models-'));
    await installModels({ from: SHARED_MODELS, to: modelsDir, onProgress: (event) => events.push(event) });
    weights = await loadVgg19Weights(modelsDir);
  });
  afterAll(() => rm(modelsDir, { recursive: true, force: true }));

  test('installs and verifies VGG19 and the nine fast-style networks', async () => {
    const installed = events.filter((event) => event.step === 'installed').map((event) => event.network);
    expect(installed).toEqual([
      'vgg19',
      ...['la_muse', 'mathura', 'matilde_perez', 'matta', 'rain_princess', 'scream', 'udnie', 'wave', 'wreck'].map(
        (name) => `fast-style/${name}`,
      ),
    ]);
    const verified = await verifyModels({ dir: modelsDir });
    expect(verified.map((network) => network.network)).toEqual(installed);
    expect(verified[0]?.files).toHaveLength(8);
  });

  test('loads all sixteen layers, 20,024,384 parameters', () => {
    expect(Object.keys(weights)).toEqual([...VGG19_LAYERS]);
    let parameters = 0;
    for (const { kernel, kernelShape, bias } of Object.values(weights)) {
      expect(kernel.length).toBe(kernelShape.reduce((a, b) => a * b));
      expect(bias.length).toBe(kernelShape[3]);
      parameters += kernel.length + bias.length;
    }
    expect(parameters).toBe(20_024_384);
    expect(weights.conv1_1.kernelShape).toEqual([3, 3, 3, 64]);
    expect(weights.conv5_4.kernelShape).toEqual([3, 3, 512, 512]);
  });

  test('decodes float32 and uint8-quantized weights to the values in the files', async () => {
    const vggDir = join(modelsDir, 'vgg19');
    const float = await rawWeight(vggDir, 'block1_conv1/kernel');
    expect(weights.conv1_1.kernel[0]).toBe(float.bytes.readFloatLE(0));
    expect(weights.conv1_1.kernel[1727]).toBe(float.bytes.readFloatLE(1727 * 4));

    const bias = await rawWeight(vggDir, 'block5_conv4/bias');
    expect(weights.conv5_4.bias[511]).toBe(bias.bytes.readFloatLE(511 * 4));

    const quantized = await rawWeight(vggDir, 'block4_conv1/kernel');
    const { scale, min } = quantized.spec.quantization ?? { scale: NaN, min: NaN };
    for (const i of [0, 12345, quantized.bytes.length - 1]) {
      expect(weights.conv4_1.kernel[i]).toBe(Math.fround((quantized.bytes[i] ?? NaN) * scale + min));
    }
  });

  test('a second load of unchanged files gives the same weights', async () => {
    const again = await loadVgg19Weights(modelsDir);
    const bytes = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    expect(bytes(again.conv3_2.kernel).equals(bytes(weights.conv3_2.kernel))).toBe(true);
  });
});
