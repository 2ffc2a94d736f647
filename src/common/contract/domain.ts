import { z } from 'zod';
import { ONNX_DEVICE_CHOICES } from '../devices.js';
import { RENDER_PHASES } from '../progress.js';
import { LOSS_TERMS, migrateStoredSettings, renderSettingsPatchSchema } from '../settings.js';
import { ID_PATTERN, MAX_STYLES } from '../wire.js';

/** Library ids are sha256 hex digests of the file's bytes (images) or random UUIDs (pairs, renders, jobs, presets). */
export const id = z.string().regex(ID_PATTERN, 'not a valid id');

const lossTerms = z.object(Object.fromEntries(LOSS_TERMS.map((k) => [k, z.number()])) as Record<(typeof LOSS_TERMS)[number], z.ZodNumber>);

export const imageAssetSchema = z.object({
  id,
  /** The file name it was imported under, for display. */
  name: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  format: z.string(),
  bytes: z.number().int(),
  importedAt: z.string(),
});
export type ImageAsset = z.infer<typeof imageAssetSchema>;

export const styleRefSchema = z.object({ imageId: id, weight: z.number().positive().max(100) });

/**
 * Settings as stored and sent: a partial input, completed by the schema's defaults when rendered. One
 * without a `version` was saved before version 2 and is read in its own units (`migrateStoredSettings`).
 */
export const settingsInputSchema = z.preprocess(migrateStoredSettings, renderSettingsPatchSchema);

export const pairSchema = z.object({
  id,
  name: z.string().min(1).max(200),
  contentId: id.nullable(),
  styles: z.array(styleRefSchema).max(MAX_STYLES),
  settings: settingsInputSchema,
  presetId: id.nullable(),
  /** The picture a Gatys render starts from when settings.init is 'image' (a refined instant result, say); older pairs: none. */
  initImageId: id.nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Pair = z.infer<typeof pairSchema>;

export const renderRecordSchema = z.object({
  id,
  pairId: id,
  settings: settingsInputSchema,
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  backend: z.string(),
  /** onnx's execution provider it ran on (older records, and other backends: none). */
  device: z.string().optional(),
  cancelled: z.boolean(),
  losses: z.object({ initial: lossTerms, final: lossTerms }),
  width: z.number().int(),
  height: z.number().int(),
  /** The pictures it was painted from: the content photo and each style with its blend weight (older records: none). */
  contentId: id.nullable().optional(),
  styles: z.array(styleRefSchema).optional(),
  /** The picture it started from, when its settings say init 'image'. */
  initImageId: id.optional(),
});
export type RenderRecord = z.infer<typeof renderRecordSchema>;

export const presetSchema = z.object({
  id,
  name: z.string().min(1).max(100),
  description: z.string().max(500).default(''),
  builtIn: z.boolean(),
  settings: settingsInputSchema,
});
export type Preset = z.infer<typeof presetSchema>;

/** 'interrupted': it was running when Atelier stopped without finishing it (a crash, a power cut); Retry renders it again. */
const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export const jobSchema = z.object({
  id,
  pairId: id,
  state: z.enum(JOB_STATES),
  queuedAt: z.string(),
  /** Latest progress while running; a JPEG preview as base64. */
  progress: z
    .object({
      stage: z.number(), stages: z.number(), stageSize: z.number(),
      done: z.number(), total: z.number(),
      losses: lossTerms, elapsedMs: z.number(), etaMs: z.number(),
      previewJpegBase64: z.string().optional(),
    })
    .nullable(),
  /** Total loss per progress event, for the chart. */
  lossHistory: z.array(z.number()),
  /** What a running render is doing before its first progress event. */
  phase: z.enum(RENDER_PHASES).optional(),
  renderId: id.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** True while the job holds a finished render the library could not store (see queue.unsavedImage). */
  unsaved: z.boolean().default(false),
  /** Set for the jobs `queue.enqueueBatch` queued together: one pair's look on many photos. */
  batchId: id.optional(),
});
export type Job = z.infer<typeof jobSchema>;

export const EXPORT_FORMATS = ['png', 'jpeg', 'webp', 'tiff', 'avif'] as const;
export const exportRequestSchema = z.object({
  renderId: id,
  format: z.enum(EXPORT_FORMATS),
  /** 1–100, for JPEG, WebP and AVIF. */
  quality: z.number().int().min(1).max(100).default(92),
  /** 'rendered': as painted; 'original': upscaled to the content photo's original size. */
  size: z.enum(['rendered', 'original']).default('rendered'),
  /** Base name without extension; sanitized by the service. */
  name: z.string().min(1).max(200),
  /** Also send the file's bytes back, for the browser to save (web mode, where the export folder is the server's). */
  download: z.boolean().optional(),
});
export type ExportRequest = z.input<typeof exportRequestSchema>;

/**
 * The largest file a person can hand over in one call (an image to import, one to read settings from):
 * the one limit the contract, the web server (as the body streams in) and the library's import check.
 */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** The words for a file past MAX_UPLOAD_BYTES, the same wherever it is refused: the studio before sending it, the import. */
export function uploadTooLargeMessage(name: string, bytes: number): string {
  // Rounded up, so a file just over the limit never reads as "100 MB" in a message refusing it.
  const size = (Math.ceil((bytes / 1024 / 1024) * 10) / 10).toLocaleString('en-US');
  return `"${name}" is ${size} MB; Atelier takes files of up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`;
}
/** The same file as base64, the form it travels in: 4 characters per 3 bytes. */
export const MAX_UPLOAD_BASE64_LENGTH = Math.ceil(MAX_UPLOAD_BYTES / 3) * 4;

/** Bytes cross the boundary as base64: the same JSON on IPC and HTTP. */
export const uploadSchema = z.object({ name: z.string().min(1).max(255), dataBase64: z.string().max(MAX_UPLOAD_BASE64_LENGTH) });

/** The queue as a whole: whether it starts its next job, and the order queued jobs will run in. */
export const queueStatusSchema = z.object({ paused: z.boolean(), order: z.array(id) });
export type QueueStatus = z.infer<typeof queueStatusSchema>;

/** One of onnx's execution providers as this machine has it: whether a small convolution ran on it, and if not, why. */
const deviceStatusSchema = z.object({ device: z.enum(ONNX_DEVICE_CHOICES).exclude(['auto']), available: z.boolean(), reason: z.string().nullable() });
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

/** One engine backend as this machine has it: whether a render could use it, and if not, why. */
export const backendStatusSchema = z.object({
  name: z.string(),
  available: z.boolean(),
  reason: z.string().nullable(),
  /** onnx: each execution provider, and the one its 'auto' device picks here. */
  devices: z.array(deviceStatusSchema).optional(),
  autoDevice: z.string().optional(),
});
export type BackendStatus = z.infer<typeof backendStatusSchema>;

/** What a render is expected to cost before it starts, on the backend it would use. */
export const renderEstimateSchema = z.object({
  backend: z.string(),
  seconds: z.number(),
  /** Memory the largest stage needs. */
  bytes: z.number(),
  /** Why the backend cannot hold that, in the engine's words; null when it can. */
  tooLarge: z.string().nullable(),
  /** From this machine's own finished renders; false: the built-in figure for the backend. */
  measured: z.boolean(),
});
export type RenderEstimate = z.infer<typeof renderEstimateSchema>;

/**
 * Something the person must hear about that no call of theirs asked for: what start-up found and
 * recovered (a damaged or missing file, pictures listed again, renders a crash interrupted). It stays
 * until they dismiss it, across restarts.
 */
export const noticeSchema = z.object({
  id,
  title: z.string(),
  message: z.string(),
  /** One line per thing found or done (a picture listed again, a file kept aside), for a details list. */
  details: z.array(z.string()),
  createdAt: z.string(),
});
export type Notice = z.infer<typeof noticeSchema>;
export type NewNotice = Omit<Notice, 'id' | 'createdAt'>;
