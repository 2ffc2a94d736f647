import { chmod, copyFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readsAsDiskFull } from '../../../common/errors.js';
import { diskFullError } from '../files/disk-full.js';
import { hashFile } from './checksum.js';
import { convertKerasH5 } from './convert.js';
import { downloadFile, type DownloadProgress } from './download.js';
import { ModelsCorruptError, ModelsMissingError } from './errors.js';
import { modelsLocation } from './locations.js';
import type { VggNetwork } from '../../../common/networks.js';
import {
  DEFAULT_NETWORKS,
  readFastStyleManifest,
  readVggManifest,
  type FastStyleManifest,
  type FileEntry,
  type Network,
  type VggManifest,
} from './manifest.js';
import { removeReceipt, writeReceipt } from './receipt.js';
import { installStaged } from './staging.js';

export type InstallStep =
  | { step: 'file'; file: string; done: number; total: number }
  | ({ step: 'download'; file: string } & DownloadProgress)
  | { step: 'convert'; file: string }
  | { step: 'installed'; dir: string; files: number };

/** `network` is `vgg19` or `fast-style/<name>`. */
export type InstallProgress = { network: string } & InstallStep;

export interface InstallOptions {
  /** A folder laid out like shared/models (vgg19/, fast-style/<name>/); without it, files are downloaded. */
  from?: string;
  /** The models folder to install into; defaults to the checkout's (see modelsLocation). */
  to?: string;
  /** Where the manifests are; defaults to the checkout's. */
  manifestsDir?: string;
  networks?: readonly Network[];
  /**
   * Download from here instead of the manifests' URLs (a mirror, or a test server): the .h5 file's
   * URL for vgg19 and vgg16, the folder above the nine networks for fast-style.
   */
  sources?: Partial<Record<Network, string>>;
  onProgress?: (event: InstallProgress) => void;
  /** Stops between files and mid-download; the install then rejects with the signal's reason and changes nothing. */
  signal?: AbortSignal;
}

export interface InstalledNetwork {
  network: string;
  dir: string;
  files: readonly FileEntry[];
}

type Report = (step: InstallStep) => void;

/** Puts one file's bytes at the staged path and says where they came from; the caller checks them. */
type FetchFile = (entry: FileEntry, stagedPath: string) => Promise<string>;

/** Copies a source file into staging; a missing one is named, and nothing is installed from that folder. */
async function copyOne(source: string, stagedPath: string): Promise<void> {
  try {
    await copyFile(source, stagedPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ModelsMissingError(`${source} is missing from the source folder; nothing was installed from it.`, [source]);
  }
  // The copy keeps a read-only source's mode, and Windows refuses to rename over a read-only file on reinstall.
  await chmod(stagedPath, 0o644);
}

function copyFrom(sourceDir: string): FetchFile {
  return async (entry, stagedPath) => {
    const source = join(sourceDir, entry.path);
    await copyOne(source, stagedPath);
    return source;
  };
}

function downloadFrom(baseUrl: string, signal?: AbortSignal): FetchFile {
  return async (entry, stagedPath) => {
    const url = new URL(entry.path, baseUrl).href;
    await downloadFile(url, stagedPath, { algorithm: 'sha256', value: entry.sha256 }, undefined, signal);
    return url;
  };
}

/** Fetches every file into staging and checks it against the manifest, however it arrived. */
async function stageFiles(
  staging: string,
  files: readonly FileEntry[],
  fetchFile: FetchFile,
  network: string,
  report: Report,
  signal?: AbortSignal,
): Promise<string[]> {
  for (const [i, entry] of files.entries()) {
    signal?.throwIfAborted();
    const staged = join(staging, entry.path);
    const origin = await fetchFile(entry, staged);
    const actual = await hashFile(staged);
    if (actual !== entry.sha256) {
      throw new ModelsCorruptError(
        `${origin} failed its check: expected sha256 ${entry.sha256}, got ${actual}. Nothing was installed for ${network}.`,
        origin,
      );
    }
    report({ step: 'file', file: entry.path, done: i + 1, total: files.length });
  }
  return files.map((entry) => entry.path);
}

/** A converted install has more, differently named shards than a copied one; the other kind's would only take space. */
async function removeOtherShards(dir: string, keep: readonly FileEntry[]): Promise<void> {
  const kept = new Set(keep.map((entry) => entry.path));
  for (const name of await readdir(dir)) {
    if (name.endsWith('.bin') && !kept.has(name)) await rm(join(dir, name), { force: true });
  }
}

/**
 * A full disk during an install, said with what the network's files need beyond what is free once the
 * staged part is gone (the manifest knows their sizes).
 */
async function orDiskFull(dir: string, files: readonly FileEntry[], install: Promise<void>): Promise<void> {
  try {
    await install;
  } catch (error) {
    if (!readsAsDiskFull(error)) throw error;
    throw await diskFullError(dir, `"${dir}"`, error, files.reduce((sum, file) => sum + file.bytes, 0));
  }
}

/**
 * A VGG network: copied from a ready-made folder when its manifest lists one (VGG19 in shared/models),
 * else converted from the Keras weights file, taken from `from` when it holds the file (VGG16 from a
 * Keras cache) or downloaded; either way the file must match its published hash first.
 */
async function installVgg(
  network: VggNetwork,
  modelsDir: string,
  manifest: VggManifest,
  options: InstallOptions,
  report: Report,
): Promise<InstalledNetwork> {
  const dir = join(modelsDir, network);
  let files: readonly FileEntry[] = manifest.files;
  if (options.from && manifest.files.length > 0) {
    const fetchFile = copyFrom(join(options.from, network));
    await orDiskFull(dir, manifest.files, installStaged(dir, (staging) => stageFiles(staging, manifest.files, fetchFile, network, report, options.signal)));
    await removeReceipt(dir);
  } else {
    const { file, hash } = manifest.source;
    const local = options.from && join(options.from, network, file);
    const source = local || (options.sources?.[network] ?? manifest.source.url);
    let converted: FileEntry[] = [];
    await installStaged(dir, async (staging) => {
      const h5 = join(staging, file);
      if (local) {
        await copyOne(local, h5);
        const actual = await hashFile(h5, hash.algorithm);
        if (actual !== hash.value) {
          throw new ModelsCorruptError(`${local} failed its check: expected ${hash.algorithm} ${hash.value}, got ${actual}. Nothing was installed for ${network}.`, local);
        }
      } else {
        await downloadFile(source, h5, hash, (progress) => report({ step: 'download', file, ...progress }), options.signal);
      }
      report({ step: 'convert', file });
      converted = await convertKerasH5(h5, staging, manifest.layers);
      return converted.map((entry) => entry.path);
    });
    const convertedAt = new Date().toISOString();
    await writeReceipt(dir, { format: 'tfjs-layers-model', source, convertedAt, files: converted });
    files = converted;
  }
  await removeOtherShards(dir, files);
  report({ step: 'installed', dir, files: files.length });
  return { network, dir, files };
}

async function installFastStyle(
  modelsDir: string,
  manifest: FastStyleManifest,
  options: InstallOptions,
  reportFor: (network: string) => Report,
): Promise<InstalledNetwork[]> {
  const source = options.sources?.['fast-style'] ?? manifest.source.baseUrl;
  const baseUrl = source.endsWith('/') ? source : `${source}/`;
  const installed: InstalledNetwork[] = [];
  for (const { name, files } of manifest.networks) {
    const network = `fast-style/${name}`;
    const dir = join(modelsDir, 'fast-style', name);
    const fetchFile = options.from
      ? copyFrom(join(options.from, 'fast-style', name))
      : downloadFrom(new URL(`${name}/`, baseUrl).href, options.signal);
    await orDiskFull(dir, files, installStaged(dir, (staging) => stageFiles(staging, files, fetchFile, network, reportFor(network), options.signal)));
    reportFor(network)({ step: 'installed', dir, files: files.length });
    installed.push({ network, dir, files });
  }
  return installed;
}

/**
 * Installs the networks' weights from a local folder (copied and checked against the manifests) or,
 * without one, from their public sources (VGG19 as the Keras .h5, converted to the app's format).
 */
export async function installModels(options: InstallOptions = {}): Promise<InstalledNetwork[]> {
  const { dir: modelsDir, manifestsDir } = modelsLocation({ dir: options.to, manifestsDir: options.manifestsDir });
  const networks = options.networks ?? DEFAULT_NETWORKS;
  const reportFor = (network: string): Report => (step) => options.onProgress?.({ network, ...step });
  const installed: InstalledNetwork[] = [];
  for (const network of ['vgg19', 'fast-style', 'vgg16'] as const) {
    if (!networks.includes(network)) continue;
    if (network === 'fast-style') {
      installed.push(...(await installFastStyle(modelsDir, await readFastStyleManifest(manifestsDir), options, reportFor)));
    } else {
      installed.push(await installVgg(network, modelsDir, await readVggManifest(manifestsDir, network), options, reportFor(network)));
    }
  }
  return installed;
}
