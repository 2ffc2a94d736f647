import { Vgg19 } from '../../engine/index.js';
import { loadVgg19Weights, modelsLocation, type ModelsLocation } from '../models/index.js';

const loaded = new Map<string, Promise<Vgg19>>();

/**
 * The network, built once per models folder and kept: reading and checking 80 MB of weights takes
 * seconds, and every render in a session uses the same ones.
 */
export function loadVgg19(where: Partial<ModelsLocation> = {}): Promise<Vgg19> {
  const location = modelsLocation(where);
  const key = JSON.stringify(location);
  let model = loaded.get(key);
  if (!model) {
    model = loadVgg19Weights(location).then((weights) => Vgg19.fromWeights(weights));
    // A failed load (weights missing) must not stick: the person may install them and try again.
    model.catch(() => loaded.delete(key));
    loaded.set(key, model);
  }
  return model;
}
