import type { Handlers } from '../../../common/contract/index.js';
import { INSTANT_PREVIEW_SIZE } from '../../../common/instant.js';
import type { RenderEngine } from '../backends/index.js';
import type { ModelsLocation } from '../models/locations.js';
import { startLooksProcess, type RenderLauncher } from '../queue/render-process.js';

export interface InstantServiceOptions {
  library: { imageFile(id: string, variant: 'original'): string | Promise<string> };
  /** The manifests and weights the grid paints with, asked per call (default: the checkout's models folder). */
  models?: () => ModelsLocation | Promise<ModelsLocation>;
  /** How worker processes start: forked Node by default, a utility process in the desktop app. */
  launch?: RenderLauncher;
  /** The backend and onnx device to paint on, as renders do; unset: the engine picks. */
  engine?: () => Promise<RenderEngine>;
}

/**
 * The studio's instant grid. It runs in a worker process like every render, so nine forward passes
 * never hold up the main process's event loop; a full-size instant render goes through the queue.
 */
export function createInstant({ library, models, launch, engine }: InstantServiceOptions): Handlers['instant'] {
  return {
    async looks({ contentId }) {
      const content = await library.imageFile(contentId, 'original');
      const location = models && (await models());
      const chosen = engine && (await engine());
      return startLooksProcess({ content, size: INSTANT_PREVIEW_SIZE, ...(location && { models: location }), ...chosen }, launch).result;
    },
  };
}
