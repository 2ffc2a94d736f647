import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFile } from './checksum.js';
import { readKerasH5 } from './keras-h5.js';
import { writeLayersModel } from './layers-model.js';
import type { ConvLayerSpec, FileEntry } from './manifest.js';

/**
 * Converts a Keras HDF5 weights file into a tfjs layers model in `outDir`, returning what it wrote
 * (with hashes, for the install receipt).
 */
export async function convertKerasH5(h5Path: string, outDir: string, layers: readonly ConvLayerSpec[]): Promise<FileEntry[]> {
  const weights = await readKerasH5(h5Path, layers);
  const written = await writeLayersModel(outDir, layers, weights);
  return Promise.all(
    written.map(async (path) => {
      const full = join(outDir, path);
      return { path, bytes: (await stat(full)).size, sha256: await hashFile(full) };
    }),
  );
}
