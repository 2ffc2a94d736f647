// Entry point of the render child process (forked by render-process.ts): one render, then the parent
// kills it. Running the engine here keeps the main process's event loop free for windows and IPC.
import { errorData } from '../../../common/errors.js';
import { renderFiles } from '../render/index.js';
import type { FromWorker, ToWorker } from './messages.js';

const controller = new AbortController();

function post(message: FromWorker): void {
  process.send!(message);
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    // The engine checks the signal between iterations and resolves with the best image so far.
    controller.abort();
    return;
  }
  renderFiles(message.request, {
    signal: controller.signal,
    onPhase: (phase) => post({ type: 'phase', phase }),
    onProgress: ({ previewJpeg, ...update }) => {
      post({ type: 'progress', update: { ...update, ...(previewJpeg && { previewJpegBase64: previewJpeg.toString('base64') }) } });
    },
  }).then(
    ({ image, losses, stages, cancelled, backend }) => post({ type: 'done', outcome: { image, losses, stages, cancelled, backend } }),
    (error: unknown) => post({ type: 'error', error: errorData(error) }),
  );
});

// An orphan must not go on rendering: when the parent goes away (quit, crash), so does the channel.
process.on('disconnect', () => process.exit(0));
