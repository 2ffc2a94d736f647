import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the files Atelier ships beside its code are: the networks' manifests, the weights installed with
 * them, and the sample images. The composition roots (desktop app, web mode, CLI) resolve this once and
 * pass it down as options; nothing below them guesses from its own location or the environment.
 */
export interface ResourceLocations {
  /** The committed network manifests (models/<network>/manifest.json). */
  manifestsDir: string;
  /** Where installed weights are looked for and, when writable, installed (models/<network>/…). */
  modelsDir: string;
  /** Sample photos and paintings, absent when none ship. */
  samplesDir?: string;
}

/**
 * The folder holding package.json above this module: the checkout whether this runs from src/ (tests)
 * or dist/ (the built CLI and app).
 */
function checkoutRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json in any folder above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The layout `npm run dist` produces: everything under the app's resources folder (electron-builder extraResources). */
export function packagedResources(resourcesPath: string): ResourceLocations {
  const models = join(resourcesPath, 'models');
  const samples = join(resourcesPath, 'samples');
  return { manifestsDir: models, modelsDir: models, ...(existsSync(samples) && { samplesDir: samples }) };
}

/**
 * A checkout: manifests and installed weights in its models/ folder, samples in the shared data folder
 * beside it (../shared/images) when that is there.
 */
export function checkoutResources(root = checkoutRoot()): ResourceLocations {
  const models = join(root, 'models');
  const samples = resolve(root, '..', 'shared', 'images');
  return { manifestsDir: models, modelsDir: models, ...(existsSync(samples) && { samplesDir: samples }) };
}
