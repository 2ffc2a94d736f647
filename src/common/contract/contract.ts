import { z } from 'zod';
import { ONNX_DEVICE_CHOICES } from '../devices.js';
import type { ErrorCode } from '../errors.js';
import { FAST_STYLES } from '../instant.js';
import { MAX_STYLES } from '../wire.js';
import {
  backendStatusSchema, exportRequestSchema, id, MAX_UPLOAD_BASE64_LENGTH, imageAssetSchema, jobSchema, noticeSchema, pairSchema, presetSchema, queueStatusSchema,
  renderEstimateSchema, renderRecordSchema, settingsInputSchema, styleRefSchema, uploadSchema,
} from './domain.js';

/**
 * The largest request body web mode reads for an ordinary call. The biggest is a preset file's text:
 * 1,000,000 characters, at most 6 bytes each once escaped in JSON.
 */
export const MAX_CALL_BYTES = 8 * 1024 * 1024;
/** The same for a call carrying a file: its base64 and room for the name and the JSON around them. */
export const MAX_UPLOAD_CALL_BYTES = MAX_UPLOAD_BASE64_LENGTH + 64 * 1024;

/** One method: its single payload, its result, and how large a request for it may be on the wire. */
interface Method<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  maxBodyBytes: number;
  /** It carries a file (`uploadSchema`): web mode streams the file to disk as the request arrives. */
  upload: boolean;
}
const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, maxBodyBytes = MAX_CALL_BYTES): Method<I, O> => ({ input, output, maxBodyBytes, upload: false });
const uploadMethod = <O extends z.ZodType>(output: O) => ({ ...method(uploadSchema.strict(), output, MAX_UPLOAD_CALL_BYTES), upload: true });
const none = z.object({}).strict();
const ok = z.null();
const byId = z.object({ id }).strict();
/** Photos one batch may hold. */
export const MAX_BATCH = 200;

/** What the Models panel shows: each network installed and verified (where), or what is wrong. */
const modelsStatusSchema = z.object({
  networks: z.array(z.object({
    network: z.enum(['vgg19', 'fast-style', 'vgg16']),
    installed: z.boolean(),
    dir: z.string().nullable(),
    problem: z.object({ code: z.string(), message: z.string() }).nullable(),
  })),
  /** Where an install goes: the shipped folder when writable, else the user's; null when neither is. */
  installDir: z.string().nullable(),
  /** The desktop app asks for a folder with a dialog; web mode takes a typed path. */
  canChooseFolder: z.boolean(),
  busy: z.boolean(),
});
export type ModelsStatus = z.output<typeof modelsStatusSchema>;

/**
 * Every call the UI can make, by service. Main (IPC), web mode (HTTP), the preload and the renderer's
 * transports are all derived from this object: channel names are `service:method`, and main and the
 * web server validate every payload with `input` before a service sees it.
 */
export const contract = {
  app: {
    info: method(none, z.object({
      version: z.string(),
      /** The engine backend once a render has started it; null before. */
      backend: z.string().nullable(),
      modelsInstalled: z.boolean(),
      /** VGG16 is optional (settings.network); the studio says how to install it. */
      vgg16Installed: z.boolean(),
      samplesAvailable: z.boolean(),
      mode: z.enum(['desktop', 'web']),
      /**
       * The largest render the backend renders will use can hold: the most pixels of one stage (width ×
       * height), from the engine's own memory rule. The UI checks the size against it before Render.
       */
      renderLimit: z.object({ backend: z.string(), maxPixels: z.number().int().nonnegative() }),
    })),
  },
  notices: {
    /** What start-up recovered and other things the person must read, oldest first, until dismissed. */
    list: method(none, z.array(noticeSchema)),
    dismiss: method(byId, ok),
  },
  models: {
    status: method(none, modelsStatusSchema),
    /** Copies and checks weights from a folder laid out like shared/models; without `from` the desktop app asks. Null: the dialog was closed. */
    installFromFolder: method(z.object({ from: z.string().min(1).max(4096).optional() }).strict(), modelsStatusSchema.nullable()),
    /** Downloads from the manifests' sources, checking every checksum; resolves when done or cancelled. */
    download: method(none, modelsStatusSchema),
    cancel: method(none, ok),
  },
  library: {
    listImages: method(none, z.array(imageAssetSchema)),
    importImage: uploadMethod(z.object({ image: imageAssetSchema, duplicate: z.boolean() })),
    /** Imports the sample photos and paintings shipped with the app (when installed). */
    importSamples: method(none, z.array(imageAssetSchema)),
    deleteImage: method(byId, ok),
    listPairs: method(none, z.array(pairSchema)),
    savePair: method(z.object({
      id: id.optional(),
      name: z.string().min(1).max(200),
      contentId: id.nullable(),
      styles: z.array(styleRefSchema).max(MAX_STYLES),
      settings: settingsInputSchema,
      presetId: id.nullable().default(null),
      initImageId: id.nullable().optional(),
    }).strict(), pairSchema),
    deletePair: method(byId, ok),
    listRenders: method(z.object({ pairId: id.optional() }).strict(), z.array(renderRecordSchema)),
    deleteRender: method(byId, ok),
    /** A finished render as an imported image (named after its pair), so it can be a pair's picture: the start of a Gatys render. */
    importRender: method(byId, z.object({ image: imageAssetSchema, duplicate: z.boolean() })),
    /** Desktop only: a native folder dialog, then every image in the chosen folder is imported; null when dismissed. */
    importFolder: method(none, z.object({ folder: z.string(), images: z.array(imageAssetSchema), problems: z.array(z.string()) }).nullable()),
  },
  presets: {
    list: method(none, z.array(presetSchema)),
    /** A taken name is refused (NAME_TAKEN) unless `replace`: then the person's preset of that name is overwritten. */
    save: method(z.object({
      name: z.string().trim().min(1).max(100), description: z.string().max(500).default(''), settings: settingsInputSchema, replace: z.boolean().optional(),
    }).strict(), presetSchema),
    rename: method(z.object({ id, name: z.string().trim().min(1).max(100) }).strict(), presetSchema),
    delete: method(byId, ok),
    /** A preset file's text; rejected with a clear message when it is not a valid preset. */
    import: method(z.object({
      json: z.string().max(1_000_000),
      /** When its name is taken: refuse (NAME_TAKEN, so the UI can ask), suffix it with "(2)" (the default), or replace the person's preset. */
      onNameClash: z.enum(['fail', 'rename', 'replace']).optional(),
    }).strict(), presetSchema),
    export: method(byId, z.object({ fileName: z.string(), json: z.string() })),
  },
  queue: {
    list: method(none, z.array(jobSchema)),
    enqueue: method(z.object({ pairId: id }).strict(), jobSchema),
    cancel: method(byId, ok),
    /** Forgets finished, failed and cancelled jobs, except those holding a render the library could not store. */
    clearFinished: method(none, ok),
    /** A finished render the library could not store (`job.unsaved`), as a PNG to save elsewhere. */
    unsavedImage: method(byId, z.object({ fileName: z.string(), dataBase64: z.string() })),
    /** Queues an interrupted, failed or cancelled job again, as it was queued (the pair's settings then); the job as it now is. */
    retry: method(byId, jobSchema),
    /** Tries again to store an unsaved render in the library (after space was freed); the job as it now is. */
    retryStore: method(byId, jobSchema),
    /** One pair's styles and settings on each photo: a new pair per photo, their renders queued as one batch. */
    enqueueBatch: method(z.object({ pairId: id, contentIds: z.array(id).min(1).max(MAX_BATCH) }).strict(), z.object({ batchId: id, jobs: z.array(jobSchema) })),
    status: method(none, queueStatusSchema),
    /** A paused queue finishes the running job but starts no other. */
    setPaused: method(z.object({ paused: z.boolean() }).strict(), queueStatusSchema),
    /** Swaps a queued job with the queued job before or after it. */
    move: method(z.object({ id, direction: z.enum(['earlier', 'later']) }).strict(), queueStatusSchema),
  },
  backends: {
    /** Every backend the engine knows, in its order of preference, probed on this machine; and the one chosen. */
    list: method(none, z.object({ choice: z.string(), device: z.enum(ONNX_DEVICE_CHOICES), backends: z.array(backendStatusSchema) })),
    /** 'auto' or a backend's name; used by the renders queued from now on. */
    choose: method(z.object({ name: z.string().min(1).max(40) }).strict(), ok),
    /** onnx's execution provider for the renders queued from now on; one that cannot start here is refused with why. */
    chooseDevice: method(z.object({ device: z.enum(ONNX_DEVICE_CHOICES) }).strict(), ok),
    /** Time and memory a render of these settings would take on the chosen backend. */
    estimate: method(
      // initImageId: the picture a render starts from when settings.init is 'image' (a refined instant result).
      z.object({ settings: settingsInputSchema, contentId: id.nullable(), styleIds: z.array(id).max(8), initImageId: id.optional() }).strict(),
      renderEstimateSchema,
    ),
  },
  instant: {
    /**
     * The photo in each of the nine instant looks, small (JPEG, long side INSTANT_PREVIEW_SIZE), in
     * FAST_STYLES order: the studio's grid. A full-size instant render is a pair render like any other.
     */
    looks: method(z.object({ contentId: id }).strict(), z.array(z.object({ net: z.enum(FAST_STYLES), jpegBase64: z.string(), ms: z.number() }))),
  },
  export: {
    /** Writes the render in the export folder under a sanitized, never-overwriting name. */
    render: method(exportRequestSchema.strict(), z.object({ path: z.string(), fileName: z.string(), bytes: z.number(), dataBase64: z.string().optional() })),
    /** Reads the settings Atelier embedded in an exported image. */
    readSettings: uploadMethod(z.object({ settings: settingsInputSchema, pairName: z.string().nullable() })),
    /** Where exports are written; `canChoose` only where a native folder dialog exists (desktop). */
    folder: method(none, z.object({ folder: z.string(), canChoose: z.boolean() })),
    /** Desktop only: a native folder dialog; the choice is remembered. Null when dismissed. */
    chooseFolder: method(none, z.object({ folder: z.string() }).nullable()),
    /** Desktop only: opens the file manager at a file this app exported. */
    showInFolder: method(z.object({ path: z.string().min(1).max(4096) }).strict(), ok),
  },
} as const;

export type Contract = typeof contract;
export type ServiceName = keyof Contract;
export type MethodName<S extends ServiceName> = keyof Contract[S] & string;
export type Channel = { [S in ServiceName]: `${S}:${MethodName<S>}` }[ServiceName];

type MethodOf<S extends ServiceName, M extends MethodName<S>> = Contract[S][M] extends Method<infer I, infer O> ? { input: I; output: O } : never;
export type Input<S extends ServiceName, M extends MethodName<S>> = z.input<MethodOf<S, M>['input']>;
export type Output<S extends ServiceName, M extends MethodName<S>> = z.output<MethodOf<S, M>['output']>;

/** What a service implements and what the renderer calls: the same shape on both sides. */
export type Api = { [S in ServiceName]: { [M in MethodName<S>]: (input: Input<S, M>) => Promise<Output<S, M>> } };
/** The implementation side receives payloads already validated (defaults applied). */
export type Handlers = { [S in ServiceName]: { [M in MethodName<S>]: (input: z.output<MethodOf<S, M>['input']>) => Promise<Output<S, M>> } };

/**
 * Events pushed from main to the UI, with their payloads' schemas.
 * @public (the schemas are the events' contract; today only their types are read)
 */
export const events = {
  'queue:job': jobSchema,
  'library:changed': z.object({ what: z.enum(['images', 'pairs', 'renders']) }),
  'presets:changed': z.object({}),
  'notices:changed': z.object({}),
  'queue:status': queueStatusSchema,
  /** An install's progress: bytes for a download, files for a copy; null where unknown. */
  'models:progress': z.object({
    network: z.string(),
    step: z.enum(['download', 'file', 'convert', 'installed']),
    file: z.string().nullable(),
    done: z.number().nullable(),
    total: z.number().nullable(),
  }),
  /** Menu commands and shortcuts handled by the UI. */
  'app:command': z.object({ command: z.enum(['open-photos', 'export', 'preferences', 'help']) }),
} as const;
export type EventName = keyof typeof events;
export type ModelsProgress = z.output<(typeof events)['models:progress']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export function channels(): Channel[] {
  return (Object.keys(contract) as ServiceName[]).flatMap((service) => Object.keys(contract[service]).map((m) => `${service}:${m}` as Channel));
}

/**
 * The contract's entry for a channel, or undefined for anything else. Both names are looked up as own
 * properties: `constructor:prototype` or `__proto__:toString` must not reach what objects inherit.
 */
export function methodSchema(channel: string): { input: z.ZodType; output: z.ZodType; maxBodyBytes: number; upload: boolean } | undefined {
  const [service = '', name = ''] = channel.split(':');
  if (!Object.hasOwn(contract, service)) return undefined;
  const methods = contract[service as ServiceName] as Record<string, { input: z.ZodType; output: z.ZodType; maxBodyBytes: number; upload: boolean }>;
  return Object.hasOwn(methods, name) ? methods[name] : undefined;
}

/** A call's result on the wire: errors travel as data, never as thrown strings. */
export type WireResult<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };
