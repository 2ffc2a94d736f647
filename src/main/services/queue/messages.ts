import type { FastStyle } from '../../../common/instant.js';
import type { RenderOutcome } from '../../../common/progress.js';
import type { RenderRequest, RenderUpdate } from '../render/index.js';

/**
 * The conversation between the queue (main process) and a render worker, over the IPC channel that
 * `child_process.fork` opens with 'advanced' serialization, so the result's pixels cross as a
 * Uint8Array, not as JSON numbers.
 */
export type ToWorker = { type: 'start'; request: RenderRequest } | { type: 'looks'; request: LooksRequest } | { type: 'cancel' };

/** The photo in every instant look, small (the studio's grid). */
export interface LooksRequest {
  content: string;
  size: number;
  modelsDir?: string;
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
  | { type: 'progress'; update: WorkerProgress }
  | { type: 'done'; outcome: RenderOutcome }
  | { type: 'looks'; looks: WorkerLook[] }
  | { type: 'error'; error: { code: string; message: string } };
