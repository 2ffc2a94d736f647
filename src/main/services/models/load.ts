import { join } from 'node:path';
import { VGG19_LAYERS } from '../../../common/settings.js';
import type { Vgg19Weights } from '../../engine/index.js';
import { readLayersModelWeights } from './layers-model.js';
import { modelsLocation, type ModelsLocation } from './locations.js';
import { readVgg19Manifest } from './manifest.js';
import { verifyVgg19 } from './verify.js';

/**
 * Verifies and loads the VGG19 convolution weights from `<models dir>/vgg19`, keyed by the paper's layer
 * names. A string is the models folder with the checkout's manifests; missing parts default as in modelsLocation.
 */
export async function loadVgg19Weights(where: string | Partial<ModelsLocation> = {}): Promise<Vgg19Weights> {
  const location = modelsLocation(typeof where === 'string' ? { dir: where } : where);
  const dir = join(location.dir, 'vgg19');
  const manifest = await readVgg19Manifest(location.manifestsDir);
  await verifyVgg19(dir, manifest);
  const read = await readLayersModelWeights(dir, manifest.layers);
  const weights = {} as Vgg19Weights;
  for (const name of VGG19_LAYERS) {
    const layer = read.get(name);
    // The manifest schema guarantees all sixteen layers, and the reader returns every one it is given.
    if (!layer) throw new Error(`no weights read for ${name}`);
    weights[name] = layer;
  }
  return weights;
}
