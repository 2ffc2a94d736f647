import { constants, existsSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Handlers, ModelsProgress, ModelsStatus } from '../../../common/contract/index.js';
import { AtelierError, errorData } from '../../../common/errors.js';
import { ModelsMissingError } from './errors.js';
import type { InstallOptions, InstallProgress } from './install.js';
import type { ModelsLocation } from './locations.js';
import { DEFAULT_NETWORKS, NETWORKS, type Network } from './manifest.js';
import { verifyModels } from './verify.js';

export interface ModelsServiceOptions {
  /** The shipped network manifests. */
  manifestsDir: string;
  /**
   * Folders that may hold installed weights, in the order they are searched: the shipped or checkout
   * folder first, then the user's own. Installs go to the first one that can be written.
   */
  dirs: readonly string[];
  /** Asks the person for a folder (the desktop app's dialog); web mode has none and sends a path. */
  chooseFolder?: () => Promise<string | null>;
  /** Download from here instead of the manifests' URLs (a mirror, or a test server). */
  sources?: InstallOptions['sources'];
}

export type ModelsService = Handlers['models'] & {
  /**
   * Where a render finds its network (VGG19 unless told; `fast-style` for instant renders and the grid): the
   * first folder where it verifies; a missing-weights error in the app's words otherwise.
   */
  renderLocation(network?: Network): Promise<ModelsLocation>;
  /** Whether a network is installed and verified in one of the folders (the Chollet preset asks about VGG16). */
  isInstalled(network: Network): Promise<boolean>;
  onProgress(listener: (progress: ModelsProgress) => void): () => void;
};

/** What a person reads when a render needs weights that are not there: the app's own way, not a command line. */
const APP_INSTALL_HINT =
  'Open Models (in the top bar) to install them from a folder that holds them, or to download them (about 140 MB).';

/** VGG16 is optional and never shipped: it comes from Keras's own weights file, put where an install from a folder finds it. */
const APP_VGG16_HINT =
  'To add it, put Keras\'s vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5 (59 MB) in a folder named vgg16 ' +
  'inside a folder, then open Models and install from that folder.';

const NETWORK_NAMES: Record<Network, string> = { vgg19: 'VGG19 weights', vgg16: 'VGG16 weights', 'fast-style': 'instant style networks' };

async function writable(dir: string): Promise<boolean> {
  // The folder may not exist yet (user data on first run): then its nearest existing parent decides.
  for (let at = dir; ; at = dirname(at)) {
    try {
      await access(at, constants.W_OK);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) return false;
    }
  }
}

/**
 * The Models panel's service: which networks are installed and verified, and installs (from a folder or
 * downloaded) with progress and cancel, one at a time, into the first writable models folder.
 */
export function createModelsService({ manifestsDir, dirs, chooseFolder, sources }: ModelsServiceOptions): ModelsService {
  if (dirs.length === 0) throw new Error('the models service needs at least one models folder');
  const listeners = new Set<(progress: ModelsProgress) => void>();
  let running: AbortController | undefined;

  async function installDir(): Promise<string> {
    for (const dir of dirs) if (await writable(dir)) return dir;
    throw new AtelierError('MODELS_READ_ONLY', `None of the models folders can be written: ${dirs.join(', ')}.`);
  }

  /** The first folder where `network` verifies, or the first error seen (a corrupt file says more than a missing one). */
  async function find(network: Network): Promise<{ dir: string } | { error: ReturnType<typeof errorData> }> {
    let firstError: ReturnType<typeof errorData> | undefined;
    for (const dir of dirs) {
      try {
        await verifyModels({ dir, manifestsDir, networks: [network] });
        return { dir };
      } catch (error) {
        const data = errorData(error);
        if (!firstError || (firstError.code === 'MODELS_MISSING' && data.code !== 'MODELS_MISSING')) firstError = data;
      }
    }
    return { error: firstError! };
  }

  async function status(): Promise<ModelsStatus> {
    const networks = await Promise.all(
      NETWORKS.map(async (network) => {
        const found = await find(network);
        return 'dir' in found
          ? { network, installed: true, dir: found.dir, problem: null }
          : { network, installed: false, dir: null, problem: network === 'vgg16' && found.error.code === 'MODELS_MISSING' ? { code: found.error.code, message: APP_VGG16_HINT } : found.error };
      }),
    );
    return { networks, installDir: await installDir().catch(() => null), canChooseFolder: !!chooseFolder, busy: !!running };
  }

  async function install(options: Pick<InstallOptions, 'from' | 'networks'>): Promise<ModelsStatus> {
    if (running) throw new AtelierError('IN_USE', 'An install is already running; cancel it or wait for it to finish.');
    const controller = new AbortController();
    running = controller;
    try {
      const to = await installDir();
      await mkdir(to, { recursive: true });
      // Installing pulls in h5wasm and tfjs (the Keras conversion): loaded on the first install, not at start-up.
      const { installModels } = await import('./install.js');
      await installModels({
        ...options,
        to,
        manifestsDir,
        ...(sources && { sources }),
        signal: controller.signal,
        onProgress: (event) => emitProgress(event),
      });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      running = undefined;
    }
    return status();
  }

  function emitProgress(event: InstallProgress): void {
    const progress = toProgress(event);
    for (const listener of listeners) listener(progress);
  }

  return {
    status,
    async installFromFolder({ from }) {
      const folder = from ?? (chooseFolder ? await chooseFolder() : null);
      if (folder === null) {
        if (!chooseFolder) throw new AtelierError('BAD_INPUT', 'Give the path of a folder that holds vgg19/ and fast-style/.');
        return null;
      }
      // VGG16 comes along when the folder holds its Keras file's folder; the others are always expected.
      return install({ from: folder, networks: existsSync(join(folder, 'vgg16')) ? [...DEFAULT_NETWORKS, 'vgg16'] : DEFAULT_NETWORKS });
    },
    download: () => install({}),
    async cancel() {
      running?.abort();
      return null;
    },
    async renderLocation(network = 'vgg19') {
      const found = await find(network);
      if ('dir' in found) return { manifestsDir, dir: found.dir };
      const what = NETWORK_NAMES[network];
      if (found.error.code !== 'MODELS_MISSING') {
        throw new AtelierError(found.error.code, `The ${what} failed their check (a damaged or partly written file). ${APP_INSTALL_HINT}`);
      }
      throw new ModelsMissingError(`The ${what} are not installed. ${network === 'vgg16' ? APP_VGG16_HINT : APP_INSTALL_HINT}`, []);
    },
    async isInstalled(network) {
      return 'dir' in (await find(network));
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function toProgress(event: InstallProgress): ModelsProgress {
  switch (event.step) {
    case 'download':
      return { network: event.network, step: 'download', file: event.file, done: event.receivedBytes, total: event.totalBytes };
    case 'file':
      return { network: event.network, step: 'file', file: event.file, done: event.done, total: event.total };
    case 'convert':
      return { network: event.network, step: 'convert', file: event.file, done: null, total: null };
    case 'installed':
      return { network: event.network, step: 'installed', file: null, done: event.files, total: event.files };
  }
}
