import type { BackendChoice } from '../../../common/backends.js';
import type { OnnxDeviceChoice } from '../../../common/devices.js';
import type { FastStyle } from '../../../common/instant.js';
import type { ErrorCode } from '../../../common/errors.js';
import type { RenderOutcome, RenderPhase } from '../../../common/progress.js';
import type { RenderRequest, RenderUpdate } from '../render/index.js';
import type { ModelsLocation } from '../models/index.js';

/**
 * The conversation between the queue (main process) and a render worker. Both channels (a forked Node's
 * with 'advanced' serialization, an Electron utility process's) use structured clone, so the result's
 * pixels cross as a Uint8Array, not as JSON numbers.
 */
export type ToWorker = { type: 'start'; request: RenderRequest } | { type: 'looks'; request: LooksRequest } | { type: 'cancel' };

/** The photo in every instant look, small (the studio's grid). */
export interface LooksRequest {
  content: string;
  size: number;
  models?: ModelsLocation;
  /** The engine to paint on, as for a render (unset: the engine's own choice). */
  backend?: BackendChoice;
  device?: OnnxDeviceChoice;
}

/** One look of the grid, as the UI shows it. */
export interface WorkerLook {
  net: FastStyle;
  jpegBase64: string;
  ms: number;
}

/** A progress event with its JPEG preview as base64: the form the UI's Job carries it in. */
export type WorkerProgress = Omit<RenderUpdate, 'previewJpeg'> & { previewJpegBase64?: string };

export type FromWorker =
  | { type: 'phase'; phase: RenderPhase }
  | { type: 'progress'; update: WorkerProgress }
  | { type: 'done'; outcome: RenderOutcome }
  | { type: 'looks'; looks: WorkerLook[] }
  | { type: 'error'; error: { code: ErrorCode; message: string } };
