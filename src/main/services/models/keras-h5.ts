import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import h5wasm, { Dataset, Group } from 'h5wasm';
import type { VggLayer } from '../../../common/settings.js';
import type { ConvWeights } from '../../engine/index.js';
import { ModelsCorruptError } from './errors.js';
import type { ConvLayerSpec } from './manifest.js';
import { sameShape } from './shapes.js';

/** HDF5 type class of IEEE floats in h5wasm's dataset metadata. */
const H5T_FLOAT = 1;

/*
 * Keras names a layer's weights differently by version: Keras 2 writes `<layer>/<layer>/kernel:0`,
 * later writers drop the `:0`, and Keras 1 (which wrote the original VGG19 release file) puts
 * `<layer>_W_1:0` and `<layer>_b_1:0` straight into the layer's group. Matching the last path
 * component covers all three.
 */
const KERNEL_NAME = /(?:^|_)(?:kernel|W)(?:_\d+)?(?::\d+)?$/;
const BIAS_NAME = /(?:^|_)(?:bias|b)(?:_\d+)?(?::\d+)?$/;

function* datasetsUnder(group: Group): Generator<Dataset> {
  for (const key of group.keys()) {
    const entity = group.get(key);
    if (entity instanceof Dataset) yield entity;
    else if (entity instanceof Group) yield* datasetsUnder(entity);
  }
}

function readTensor(
  datasets: readonly Dataset[],
  pattern: RegExp,
  shape: readonly number[],
  what: string,
  file: string,
): Float32Array {
  const matches = datasets.filter((dataset) => pattern.test(dataset.path.slice(dataset.path.lastIndexOf('/') + 1)));
  const [dataset] = matches;
  if (matches.length !== 1 || !dataset) {
    throw new ModelsCorruptError(`${file}: expected one ${what}, found ${matches.length}`, file);
  }
  if (dataset.metadata.type !== H5T_FLOAT || !sameShape(dataset.shape, shape)) {
    throw new ModelsCorruptError(
      `${file}: ${dataset.path} is ${String(dataset.dtype)} [${String(dataset.shape)}], expected float [${shape.join()}]`,
      file,
    );
  }
  const value = dataset.value;
  if (value instanceof Float32Array) return value;
  if (value instanceof Float64Array) return Float32Array.from(value);
  throw new ModelsCorruptError(`${file}: ${dataset.path} did not read as floats`, file);
}

/** Reads each listed layer's kernel (HWIO) and bias from a Keras HDF5 weights file. */
export async function readKerasH5(path: string, layers: readonly ConvLayerSpec[]): Promise<Map<VggLayer, ConvWeights>> {
  const { FS } = await h5wasm.ready;
  // h5wasm's portable build opens files in its own in-memory file system, so the file goes there first.
  const memoryPath = `/${randomUUID()}.h5`;
  FS.writeFile(memoryPath, await readFile(path));
  const file = new h5wasm.File(memoryPath, 'r');
  try {
    if (file.file_id < 0n) throw new ModelsCorruptError(`${path} is not an HDF5 file`, path);
    // A whole saved model keeps its weights under `model_weights`; a weights-only file at the root.
    const modelWeights = file.get('model_weights');
    const root = modelWeights instanceof Group ? modelWeights : file;
    const weights = new Map<VggLayer, ConvWeights>();
    for (const layer of layers) {
      const group = root.get(layer.kerasName);
      if (!(group instanceof Group)) throw new ModelsCorruptError(`${path} has no layer "${layer.kerasName}"`, path);
      const datasets = [...datasetsUnder(group)];
      weights.set(layer.name, {
        kernel: readTensor(datasets, KERNEL_NAME, layer.kernelShape, `${layer.kerasName} kernel`, path),
        kernelShape: layer.kernelShape,
        bias: readTensor(datasets, BIAS_NAME, layer.biasShape, `${layer.kerasName} bias`, path),
      });
    }
    return weights;
  } finally {
    if (file.file_id >= 0n) file.close();
    FS.unlink(memoryPath);
  }
}
