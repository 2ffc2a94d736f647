import { join } from 'node:path';
import { NETWORK_TITLES, type VggNetwork } from '../../../common/networks.js';
import { sha256Cached } from './checksum.js';
import { INSTALL_HINT, ModelsCorruptError, ModelsMissingError, REINSTALL_HINT, VGG16_INSTALL_HINT } from './errors.js';
import { modelsLocation } from './locations.js';
import {
  DEFAULT_NETWORKS,
  readFastStyleManifest,
  readVggManifest,
  type FileEntry,
  type Network,
  type VggManifest,
} from './manifest.js';
import { readReceipt } from './receipt.js';

export interface VerifiedNetwork {
  /** `vgg19`, or `fast-style/<name>` for each style network. */
  network: string;
  dir: string;
  files: readonly FileEntry[];
}

/** Checks that `dir` holds exactly the listed files; throws a missing or corrupt error otherwise. */
export async function verifyFiles(dir: string, files: readonly FileEntry[], label: string): Promise<void> {
  const found: { entry: FileEntry; bytes: number; sha256: string }[] = [];
  const missing: string[] = [];
  for (const entry of files) {
    try {
      found.push({ entry, ...(await sha256Cached(join(dir, entry.path))) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(entry.path);
    }
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '');
    const what = missing.length === files.length ? 'not installed' : `incomplete (missing ${shown})`;
    throw new ModelsMissingError(`${label} ${what} in ${dir}. ${INSTALL_HINT}`, missing);
  }
  for (const { entry, bytes, sha256 } of found) {
    const path = join(dir, entry.path);
    if (bytes !== entry.bytes) {
      throw new ModelsCorruptError(`${path} is corrupt: expected ${entry.bytes} bytes, found ${bytes}. ${REINSTALL_HINT}`, path);
    }
    if (sha256 !== entry.sha256) {
      throw new ModelsCorruptError(
        `${path} is corrupt: expected sha256 ${entry.sha256}, found ${sha256}. ${REINSTALL_HINT}`,
        path,
      );
    }
  }
}

/**
 * A VGG network is checked against its install receipt when it was converted from Keras, else the
 * manifest's files; a network that only comes converted (VGG16) and has no receipt is not installed.
 */
export async function verifyVgg(dir: string, manifest: VggManifest): Promise<readonly FileEntry[]> {
  const network = manifest.network as VggNetwork;
  const files = (await readReceipt(dir))?.files ?? manifest.files;
  if (files.length === 0) {
    throw new ModelsMissingError(`${NETWORK_TITLES[network]} weights not installed in ${dir}. ${VGG16_INSTALL_HINT}`, [join(dir, manifest.source.file)]);
  }
  await verifyFiles(dir, files, `${NETWORK_TITLES[network]} weights`);
  return files;
}

export async function verifyModels(
  options: { dir?: string; manifestsDir?: string; networks?: readonly Network[] } = {},
): Promise<VerifiedNetwork[]> {
  const { dir: modelsDir, manifestsDir } = modelsLocation(options);
  const networks = options.networks ?? DEFAULT_NETWORKS;
  const verified: VerifiedNetwork[] = [];
  for (const network of (['vgg19', 'vgg16'] as const).filter((n) => networks.includes(n))) {
    const dir = join(modelsDir, network);
    verified.push({ network, dir, files: await verifyVgg(dir, await readVggManifest(manifestsDir, network)) });
  }
  if (networks.includes('fast-style')) {
    for (const { name, files } of (await readFastStyleManifest(manifestsDir)).networks) {
      const dir = join(modelsDir, 'fast-style', name);
      await verifyFiles(dir, files, `fast-style network "${name}"`);
      verified.push({ network: `fast-style/${name}`, dir, files });
    }
  }
  return verified;
}
