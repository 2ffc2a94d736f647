import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { channels, contract, methodSchema, type EventName, type EventPayload, type Handlers, type NewNotice, type ServiceName, type WireResult } from '../common/contract/index.js';
import type { BackendChoice } from '../common/backends.js';
import { AtelierError } from '../common/errors.js';
import { createBackends, type StartHelper } from './services/backends/index.js';
import { expectedBackend, maxRenderPixels } from './engine/index.js';
import { createDispatcher, failure, type Dispatch } from './services/dispatch/index.js';
import type { StagedUpload } from './services/files/upload.js';
import { createExporter } from './services/export/index.js';
// The grid's service alone: the instant index would load the engine (TensorFlow.js) into the main process.
import { createInstant } from './services/instant/looks-service.js';
import { createLibrary, resolveInside } from './services/library/index.js';
import { createNotices, storeRecoveryNotice } from './services/notices/index.js';
import type { StoreRecovery } from './services/store/index.js';
import { sampleFiles } from './services/library/import-image.js';
import { createModelsService, type ModelsServiceOptions } from './services/models/models-service.js';
import { createPreferences } from './services/preferences/index.js';
import { createPresets } from './services/presets/index.js';
import { createQueue } from './services/queue/index.js';
import type { RenderLauncher } from './services/queue/render-process.js';
import { checkoutResources, type ResourceLocations } from './services/resources/index.js';
import { parseMediaRequest, type MediaKind, type MediaVariant } from './media.js';

export type { MediaKind, MediaVariant } from './media.js';
export type StudioEventListener = (name: EventName, payload: EventPayload<EventName>) => void;
type QueueNotify = NonNullable<Parameters<typeof createQueue>[0]['notify']>;

export interface StudioOptions {
  /** Where the library, presets and exports live (the desktop app's userData folder, or --data). */
  dataDir: string;
  /** Manifests, shipped weights and samples (see services/resources); default: this checkout's models, no samples. */
  resources?: ResourceLocations;
  /** A second, writable models folder for when the shipped one is read-only (the desktop app's user data). */
  userModelsDir?: string;
  /** Starts render processes; default: a forked Node (the desktop app passes Electron's utility process). */
  launchRender?: RenderLauncher;
  /** Asks the person for a folder of weights to install (the desktop app's dialog). */
  chooseModelsFolder?: ModelsServiceOptions['chooseFolder'];
  /** Tells the person a render finished or failed while they look elsewhere (desktop notifications). */
  notify?: QueueNotify;
  mode: 'desktop' | 'web';
  /** Starts the backends' probe processes; default: a forked Node (the desktop app passes Electron's utility process). */
  startHelper?: StartHelper;
  /** The desktop's native folder dialog and file manager (Electron's dialog and shell); absent in web mode. */
  shell?: DesktopShell;
  /** Reported by app.info; defaults to package.json's. */
  version?: string;
  /** The backend renders use while the person's choice is 'auto' (the entry points take it from ATELIER_BACKEND). */
  defaultBackend?: BackendChoice;
}

export interface DesktopShell {
  chooseFolder(title: string): Promise<string | null>;
  showItemInFolder(path: string): void;
}

export interface Studio {
  /** The contract's handlers, one per `service:method`; they trust their payloads, so call `dispatch`. */
  handlers: Handlers;
  /** Validates a payload against the contract, then calls its handler: both doors go through here. */
  dispatch: Dispatch;
  /** Every event the services push, by contract name; returns the function that stops listening. */
  onEvent(listener: StudioEventListener): () => void;
  /** Pushes an event that does not come from a service (the desktop menu's `app:command`). */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /**
   * Web mode's door for the calls that carry a file (the contract's `upload` methods): `receive` streams
   * the request's file to the path it is given, in the data folder's staging folder, and returns its
   * name; the call's service then takes the file from there, and it is removed afterwards. Answers as
   * `dispatch` does, errors as data.
   */
  dispatchUpload(channel: string, receive: (path: string) => Promise<{ name: string }>): Promise<WireResult<unknown>>;
  /** The absolute path of a library file, after checking the kind, id and variant. */
  mediaPath(kind: MediaKind, id: string, variant: MediaVariant): Promise<string>;
  dispose(): Promise<void>;
}

function checkoutModelsOnly(): ResourceLocations {
  const { manifestsDir, modelsDir } = checkoutResources();
  return { manifestsDir, modelsDir };
}

function packageVersion(): string {
  // src/main/studio.ts and dist/main/studio.js both sit two folders below package.json.
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The methods of `service` that the contract names for `name`, bound to it: nothing else is reachable. */
function contractMethods<S extends ServiceName>(name: S, service: Handlers[S]): Handlers[S] {
  const source = service as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  const bound: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const method of Object.keys(contract[name])) {
    const fn = source[method];
    if (typeof fn !== 'function') throw new Error(`the ${name} service has no "${method}" method`);
    bound[method] = fn.bind(service);
  }
  return bound as unknown as Handlers[S];
}

function renderLimit(backend: string): { backend: string; maxPixels: number } {
  return { backend, maxPixels: maxRenderPixels(backend) };
}

/**
 * The composition root shared by the desktop app and web mode: builds every service on one data folder,
 * the contract's handler map and its validating dispatcher, and one stream of contract events.
 */
export async function createStudio(options: StudioOptions): Promise<Studio> {
  const { dataDir, notify, mode, shell } = options;
  const resources = options.resources ?? checkoutModelsOnly();
  const { samplesDir } = resources;
  const version = options.version ?? packageVersion();
  const listeners = new Set<StudioEventListener>();
  let backend: string | null = null;
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => {
    for (const listener of [...listeners]) {
      try {
        listener(name, payload);
      } catch (error) {
        // One broken door (a closed window, a dropped stream) must not stop events reaching the others.
        console.error(`atelier: an event listener failed on ${name}:`, error);
      }
    }
  };

  const notices = createNotices({ dataDir });
  // Recovery happens before anyone can ask: what it found stays as a notice until the person reads it.
  const tell = (notice: NewNotice): void => void notices.add(notice).catch((error: unknown) => console.error('atelier: could not keep a notice:', error));
  const recovered = (recovery: StoreRecovery): void => tell(storeRecoveryNotice(recovery));
  const library = await createLibrary({ dataDir, samplesDir, onNotice: tell, ...(shell && { chooseFolder: shell.chooseFolder }) });
  const models = createModelsService({
    manifestsDir: resources.manifestsDir,
    dirs: [resources.modelsDir, ...(options.userModelsDir ? [options.userModelsDir] : [])],
    ...(options.chooseModelsFolder && { chooseFolder: options.chooseModelsFolder }),
  });
  const vgg16Installed = () => models.isInstalled('vgg16');
  const presets = await createPresets({ dataDir, vgg16Installed, onRecovered: recovered });
  const preferences = createPreferences(dataDir, recovered);
  const exporter = await createExporter({
    exportDir: join(dataDir, 'exports'),
    library,
    chosenDir: {
      get: async () => (await preferences.read()).exportDir,
      set: async (folder) => void (await preferences.update((current) => ({ ...current, exportDir: folder }))),
    },
    ...(shell && { shell }),
  });
  const backends = createBackends({
    preferences,
    library,
    ...(options.startHelper && { startHelper: options.startHelper }),
    ...(options.defaultBackend && { defaultBackend: options.defaultBackend }),
  });
  const queue = createQueue({
    library,
    notify,
    stateFile: join(dataDir, 'queue.json'),
    onRecovered: recovered,
    onNotice: tell,
    engine: () => backends.renderEngine(),
    onRendered: (render) => void backends.recordRender(render).catch((error: unknown) => console.error('atelier: could not keep the render speed:', error)),
    models: (network) => models.renderLocation(network),
    ...(options.launchRender && { launch: options.launchRender }),
  });
  const instant = createInstant({
    library,
    models: () => models.renderLocation('fast-style'),
    engine: () => backends.renderEngine(),
    ...(options.launchRender && { launch: options.launchRender }),
  });

  const unsubscribers = [
    notices.onDidChange(() => emit('notices:changed', {})),
    library.onDidChange((payload) => emit('library:changed', payload)),
    presets.onDidChange(() => emit('presets:changed', {})),
    models.onProgress((progress) => emit('models:progress', progress)),
    queue.onDidChangeJob((job) => emit('queue:job', job)),
    queue.onDidChangeStatus((status) => emit('queue:status', status)),
    // Renders run in child processes, so the engine's backend is known here from their records only.
    queue.onDidChangeJob((job) => {
      if (job.state !== 'done' || !job.renderId) return;
      library.getRender(job.renderId).then((render) => (backend = render.backend), () => undefined);
    }),
  ];
  await queue.restore();

  const handlers: Handlers = {
    app: {
      info: async () => ({
        version,
        backend,
        modelsInstalled: await models.renderLocation().then(() => true, () => false),
        vgg16Installed: await vgg16Installed(),
        samplesAvailable: (await sampleFiles(samplesDir)).length > 0,
        mode,
        renderLimit: renderLimit(backend ?? expectedBackend(options.defaultBackend)),
      }),
    },
    notices: contractMethods('notices', notices),
    models: contractMethods('models', models),
    library: contractMethods('library', library),
    presets: contractMethods('presets', presets),
    queue: contractMethods('queue', queue),
    backends: contractMethods('backends', backends),
    instant: contractMethods('instant', instant),
    export: contractMethods('export', exporter),
  };

  const uploadHandlers: Record<string, (upload: StagedUpload) => Promise<unknown>> = {
    'library:importImage': (upload) => library.importImage(upload),
    'export:readSettings': (upload) => exporter.readSettings(upload),
  };
  for (const channel of channels()) {
    if (methodSchema(channel)?.upload && !Object.hasOwn(uploadHandlers, channel)) throw new Error(`no upload handler for ${channel}`);
  }

  let disposed = false;
  return {
    handlers,
    dispatch: createDispatcher(handlers, { dataDir }),
    onEvent(listener) {
      const entry: StudioEventListener = (name, payload) => listener(name, payload);
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    emit,
    async dispatchUpload(channel, receive) {
      if (!methodSchema(channel)?.upload) return { ok: false, error: { code: 'BAD_REQUEST', message: `"${channel}" does not take a file` } };
      let path: string | undefined;
      try {
        path = await library.uploadPath();
        const { name } = await receive(path);
        return { ok: true, value: await uploadHandlers[channel]!({ name, path }) };
      } catch (error) {
        // Removed first, so a full disk is measured without the part of the upload that did fit.
        if (path !== undefined) await rm(path, { force: true });
        return failure(error, dataDir);
      } finally {
        if (path !== undefined) await rm(path, { force: true });
      }
    },
    async mediaPath(kind, id, variant) {
      const request = parseMediaRequest(kind, id, variant);
      if (!request) throw new AtelierError('NOT_FOUND', 'No such picture.');
      const file = request.kind === 'image'
        ? await library.imageFile(request.id, request.variant)
        : await library.renderFile(request.id, request.variant);
      // The one containment check (safe-path.ts) for both doors: a file the person replaced by a symlink
      // that leaves the data folder is refused, as the static route refuses one leaving the renderer.
      return resolveInside(dataDir, relative(resolve(dataDir), file).split(sep).map(encodeURIComponent).join('/'));
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
      listeners.clear();
      // A download in progress stops too; its staged files are removed as it unwinds.
      await models.cancel({});
      await queue.dispose();
      await notices.flush();
    },
  };
}
