import type { FastStyle } from '../../../common/instant.js';
import { loadTfjsFastStyle, type FastStyleLoader, type FastStyleNet } from '../../engine/index.js';
// Not through the models index, which the studio's main process imports: this pulls in the engine's tables.
import { loadFastStyleWeights } from '../models/fast-style.js';
import { modelsLocation, type ModelsLocation } from '../models/locations.js';

const loaded = new Map<string, Promise<FastStyleNet>>();

/**
 * A network, loaded once per models folder and executor and kept for the process: the grid asks
 * for all nine, and a full-size render right after asks for one of them again.
 */
export function loadFastStyle(name: FastStyle, options: { models?: Partial<ModelsLocation>; loader?: FastStyleLoader } = {}): Promise<FastStyleNet> {
  const loader = options.loader ?? loadTfjsFastStyle;
  const location = modelsLocation(options.models);
  const key = `${JSON.stringify(location)}\0${loader.name}\0${name}`;
  let net = loaded.get(key);
  if (!net) {
    net = loadFastStyleWeights(name, location).then(loader);
    // A failed load (not installed yet, a damaged file) must not stick: the person may fix it and retry.
    net.catch(() => loaded.delete(key));
    loaded.set(key, net);
  }
  return net;
}
