import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json above this module: the repo root whether this runs from src/
 * (tests) or dist/ (the built CLI and app), and the app root when packaged.
 */
export function packageRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json in any folder above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The committed manifests ship with the app, wherever the weights themselves are installed. */
export function manifestsDir(): string {
  return join(packageRoot(), 'models');
}

/** Where weights live: an explicit folder, else `ATELIER_MODELS_DIR`, else `<app root>/models`. */
export function resolveModelsDir(explicit?: string): string {
  const chosen = explicit || process.env.ATELIER_MODELS_DIR;
  return chosen ? resolve(chosen) : manifestsDir();
}
