import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { FastStyle } from '../../../common/instant.js';
// The architecture table only: the engine's index would load TensorFlow.js and its backends here.
import { VARIABLE_SHAPES, variableName } from '../../engine/fast-style/architecture.js';
import type { FastStyleWeights } from '../../engine/index.js';
import { ModelsCorruptError, ModelsMissingError, INSTALL_HINT, REINSTALL_HINT } from './errors.js';
import { modelsLocation, type ModelsLocation } from './locations.js';
import { readFastStyleManifest } from './manifest.js';
import { sameShape } from './shapes.js';
import { verifyFiles } from './verify.js';
import { parseJson } from '../json/index.js';

/** The deeplearn.js checkpoint manifest inside a network's folder: variable name → file and shape. */
const checkpointManifest = z.record(z.string(), z.object({ filename: z.string().regex(/^[\w][\w.-]*$/), shape: z.array(z.number().int().nonnegative()) }));

/**
 * Verifies one fast-style network's files against the committed manifest's sha256 list, then reads
 * its 48 variables in checkpoint order. A missing network raises MODELS_MISSING with the install
 * commands; a changed or malformed one MODELS_CORRUPT, naming the file.
 */
export async function loadFastStyleWeights(name: FastStyle, where: string | Partial<ModelsLocation> = {}): Promise<FastStyleWeights> {
  const location = modelsLocation(typeof where === 'string' ? { dir: where } : where);
  const entry = (await readFastStyleManifest(location.manifestsDir)).networks.find((network) => network.name === name);
  if (!entry) throw new ModelsMissingError(`no fast-style network "${name}" in the manifest. ${INSTALL_HINT}`, [name]);
  const dir = join(location.dir, 'fast-style', name);
  await verifyFiles(dir, entry.files, `fast-style network "${name}"`);

  const manifestPath = join(dir, 'manifest.json');
  const parsed = checkpointManifest.safeParse(parseJson(await readFile(manifestPath, 'utf8')));
  if (!parsed.success) throw new ModelsCorruptError(`${manifestPath} is not a checkpoint manifest. ${REINSTALL_HINT}`, manifestPath);
  const variables = await Promise.all(
    VARIABLE_SHAPES.map(async (shape, i) => {
      const spec = parsed.data[variableName(i)];
      if (!spec || !sameShape(spec.shape, shape)) {
        throw new ModelsCorruptError(`${manifestPath}: ${variableName(i)} is ${spec ? `[${spec.shape.join()}]` : 'missing'}, expected [${shape.join()}]. ${REINSTALL_HINT}`, manifestPath);
      }
      const path = join(dir, spec.filename);
      const bytes = await readFile(path);
      const count = shape.reduce((a, b) => a * b, 1);
      if (bytes.length !== count * 4) throw new ModelsCorruptError(`${path} holds ${bytes.length} bytes; [${shape.join()}] float32 needs ${count * 4}. ${REINSTALL_HINT}`, path);
      // Copied into a fresh, aligned buffer; the values are little-endian float32 as the format says.
      const values = new Float32Array(count);
      new Uint8Array(values.buffer).set(bytes);
      return { values, shape };
    }),
  );
  return { name, variables };
}
