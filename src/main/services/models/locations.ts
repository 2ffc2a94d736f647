import { resolve } from 'node:path';
import { checkoutResources } from '../resources/index.js';

/** The two folders the models service works on; the composition root knows them (see services/resources). */
export interface ModelsLocation {
  /** The network manifests that list every file with its size and checksum. */
  manifestsDir: string;
  /** The installed weights: `<dir>/vgg19`, `<dir>/fast-style/<name>`. */
  dir: string;
}

/**
 * Fills what the caller left out with the checkout's folders: the CLI and the tests run from a checkout,
 * the packaged app always passes both.
 */
export function modelsLocation(given: Partial<ModelsLocation> = {}): ModelsLocation {
  const fill = !given.manifestsDir || !given.dir ? checkoutResources() : undefined;
  return {
    manifestsDir: resolve(given.manifestsDir ?? fill!.manifestsDir),
    dir: resolve(given.dir ?? fill!.modelsDir),
  };
}
