import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { VggLayer } from '../../../common/settings.js';
import type { ConvWeights } from '../../engine/index.js';
import { decodeWeightShards } from './weight-shards.js';
import { ModelsCorruptError, REINSTALL_HINT } from './errors.js';
import { layersTopology } from './layers-topology.js';
import type { ConvLayerSpec } from './manifest.js';
import { sameShape } from './shapes.js';
import { parseJson } from '../json/index.js';

/** The tfjs converter's shard size, as in the shared folder. */
const SHARD_BYTES = 4 * 1024 * 1024;

const weightSpec = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
  quantization: z
    .object({ dtype: z.enum(['uint8', 'uint16', 'float16']), scale: z.number().optional(), min: z.number().optional() })
    .optional(),
});
const modelJson = z.object({
  weightsManifest: z.array(z.object({ paths: z.array(z.string().regex(/^[\w][\w.-]*$/)).nonempty(), weights: z.array(weightSpec) })),
});

const kernelName = (layer: ConvLayerSpec) => `${layer.kerasName}/kernel`;
const biasName = (layer: ConvLayerSpec) => `${layer.kerasName}/bias`;

/**
 * Writes the layers as a tfjs layers model (model.json + float32 shards), the format of the shared
 * folder, so one reader serves copied and converted installs. Returns the file names written.
 * Float32Array bytes are written as they lie in memory: little-endian, as the format requires, on
 * every platform the app ships for.
 */
export async function writeLayersModel(
  dir: string,
  layers: readonly ConvLayerSpec[],
  weights: ReadonlyMap<VggLayer, ConvWeights>,
): Promise<string[]> {
  const specs: z.infer<typeof weightSpec>[] = [];
  const parts: Buffer[] = [];
  for (const layer of layers) {
    const layerWeights = weights.get(layer.name);
    if (!layerWeights) throw new Error(`no weights for ${layer.name}`);
    specs.push({ name: kernelName(layer), shape: layer.kernelShape, dtype: 'float32' });
    specs.push({ name: biasName(layer), shape: layer.biasShape, dtype: 'float32' });
    for (const values of [layerWeights.kernel, layerWeights.bias]) {
      parts.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    }
  }
  const data = Buffer.concat(parts);
  const count = Math.max(1, Math.ceil(data.length / SHARD_BYTES));
  const paths = Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
  for (const [i, path] of paths.entries()) {
    await writeFile(join(dir, path), data.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES));
  }
  const model = {
    format: 'layers-model',
    generatedBy: 'Keras HDF5 weights',
    convertedBy: 'atelier models install',
    modelTopology: layersTopology(layers),
    weightsManifest: [{ paths, weights: specs }],
  };
  await writeFile(join(dir, 'model.json'), JSON.stringify(model));
  return ['model.json', ...paths];
}

async function readModelJson(path: string): Promise<z.infer<typeof modelJson>> {
  const text = await readFile(path, 'utf8');
  const json = parseJson(text);
  const parsed = modelJson.safeParse(json);
  if (!parsed.success) throw new ModelsCorruptError(`${path} is not a tfjs layers model. ${REINSTALL_HINT}`, path);
  return parsed.data;
}

/** Reads the listed layers from a tfjs layers model folder, decoding quantized weights. */
export async function readLayersModelWeights(
  dir: string,
  layers: readonly ConvLayerSpec[],
): Promise<Map<VggLayer, ConvWeights>> {
  const modelPath = join(dir, 'model.json');
  const { weightsManifest } = await readModelJson(modelPath);
  const decoded = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const group of weightsManifest) {
    const shards = await Promise.all(group.paths.map(async (path) => new Uint8Array(await readFile(join(dir, path))).buffer));
    try {
      for (const [name, weight] of decodeWeightShards(shards, group.weights)) decoded.set(name, weight);
    } catch (error) {
      throw new ModelsCorruptError(`${modelPath} does not match its shards (${String(error)}). ${REINSTALL_HINT}`, modelPath);
    }
  }
  const values = (name: string, shape: readonly number[]): Float32Array => {
    const weight = decoded.get(name);
    if (!weight || !sameShape(weight.shape, shape)) {
      throw new ModelsCorruptError(`${modelPath} has no float32 weight ${name} of shape [${shape.join()}]. ${REINSTALL_HINT}`, modelPath);
    }
    return weight.values;
  };
  return new Map(
    layers.map((layer) => {
      const kernel = values(kernelName(layer), layer.kernelShape);
      return [layer.name, { kernel, kernelShape: layer.kernelShape, bias: values(biasName(layer), layer.biasShape) }];
    }),
  );
}
