import { join } from 'node:path';
import { NETWORK_LAYERS, type VggNetwork } from '../../../common/networks.js';
import type { Vgg19Weights, VggWeights } from '../../engine/index.js';
import { readLayersModelWeights } from './layers-model.js';
import { modelsLocation, type ModelsLocation } from './locations.js';
import { readVggManifest } from './manifest.js';
import { verifyVgg } from './verify.js';

/**
 * Verifies and loads a VGG network's convolution weights from `<models dir>/<network>`, keyed by the paper's
 * layer names: every layer of its table. A string is the models folder with the checkout's manifests; missing
 * parts default as in modelsLocation.
 */
export async function loadVggWeights(network: VggNetwork, where: string | Partial<ModelsLocation> = {}): Promise<VggWeights> {
  const location = modelsLocation(typeof where === 'string' ? { dir: where } : where);
  const dir = join(location.dir, network);
  const manifest = await readVggManifest(location.manifestsDir, network);
  await verifyVgg(dir, manifest);
  const read = await readLayersModelWeights(dir, manifest.layers);
  const weights: VggWeights = {};
  for (const name of NETWORK_LAYERS[network]) {
    const layer = read.get(name);
    // The manifest schema guarantees the table's layers, and the reader returns every one it is given.
    if (!layer) throw new Error(`no weights read for ${name}`);
    weights[name] = layer;
  }
  return weights;
}

export async function loadVgg19Weights(where: string | Partial<ModelsLocation> = {}): Promise<Vgg19Weights> {
  return (await loadVggWeights('vgg19', where)) as Vgg19Weights;
}
