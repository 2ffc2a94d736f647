import type { VggNetwork } from '../../../common/networks.js';
import { Vgg19 } from '../../engine/index.js';
import { loadVggWeights, modelsLocation, type ModelsLocation } from '../models/index.js';

const loaded = new Map<string, Promise<Vgg19>>();

/**
 * The network, built once per models folder and network and kept: reading and checking 60–80 MB of
 * weights takes seconds, and every render in a session uses the same ones.
 */
export function loadVgg19(where: Partial<ModelsLocation> = {}, network: VggNetwork = 'vgg19'): Promise<Vgg19> {
  const location = modelsLocation(where);
  const key = `${JSON.stringify(location)}\0${network}`;
  let model = loaded.get(key);
  if (!model) {
    model = loadVggWeights(network, location).then((weights) => Vgg19.fromWeights(weights, network));
    // A failed load (weights missing) must not stick: the person may install them and try again.
    model.catch(() => loaded.delete(key));
    loaded.set(key, model);
  }
  return model;
}
