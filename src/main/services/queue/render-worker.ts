// Entry point of the render child process (forked by render-process.ts): one render, then the parent
// kills it. Running the engine here keeps the main process's event loop free for windows and IPC.
import { errorData } from '../../../common/errors.js';
import { encodePreview } from '../images/index.js';
import { instantFiles, instantLooks } from '../instant/index.js';
import { renderFiles, type RenderRequest } from '../render/index.js';
import type { FromWorker, LooksRequest, ToWorker } from './messages.js';

const controller = new AbortController();

function post(message: FromWorker): void {
  process.send!(message);
}

function render(request: RenderRequest): Promise<FromWorker> {
  // An instant render is one forward pass: no progress to report, nothing to cancel halfway.
  const result = request.settings.instant
    ? instantFiles(request.content, request.settings, { ...(request.backend && { backend: request.backend }), ...(request.modelsDir && { modelsDir: request.modelsDir }) })
    : renderFiles(request, {
      signal: controller.signal,
      onProgress: ({ previewJpeg, ...update }) => {
        post({ type: 'progress', update: { ...update, ...(previewJpeg && { previewJpegBase64: previewJpeg.toString('base64') }) } });
      },
    });
  return result.then(({ image, losses, stages, cancelled, backend }) => ({ type: 'done', outcome: { image, losses, stages, cancelled, backend } }));
}

async function looks(request: LooksRequest): Promise<FromWorker> {
  const painted = await instantLooks(request.content, { size: request.size, signal: controller.signal, ...(request.modelsDir && { modelsDir: request.modelsDir }) });
  return {
    type: 'looks',
    looks: await Promise.all(painted.map(async ({ net, image, ms }) => ({ net, ms, jpegBase64: (await encodePreview(image)).toString('base64') }))),
  };
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    // The engine checks the signal between iterations and resolves with the best image so far.
    controller.abort();
    return;
  }
  (message.type === 'looks' ? looks(message.request) : render(message.request)).then(post, (error: unknown) => post({ type: 'error', error: errorData(error) }));
});

// An orphan must not go on rendering: when the parent goes away (quit, crash), so does the channel.
process.on('disconnect', () => process.exit(0));
