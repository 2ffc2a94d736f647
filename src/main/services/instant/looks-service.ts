import type { Handlers } from '../../../common/contract/index.js';
import { INSTANT_PREVIEW_SIZE } from '../../../common/instant.js';
import { startLooksProcess } from '../queue/render-process.js';

export interface InstantServiceOptions {
  library: { imageFile(id: string, variant: 'original'): string | Promise<string> };
  modelsDir?: string;
}

/**
 * The studio's instant grid. It runs in a worker process like every render, so nine forward passes
 * never hold up the main process's event loop; a full-size instant render goes through the queue.
 */
export function createInstant({ library, modelsDir }: InstantServiceOptions): Handlers['instant'] {
  return {
    async looks({ contentId }) {
      const content = await library.imageFile(contentId, 'original');
      return startLooksProcess({ content, size: INSTANT_PREVIEW_SIZE, ...(modelsDir && { modelsDir }) }).result;
    },
  };
}
