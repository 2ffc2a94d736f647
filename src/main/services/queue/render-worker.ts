// Entry point of a render process (started by render-process.ts as a Node child, or by the desktop app as
// an Electron utility process): one render, then the parent kills it. Running the engine here keeps the
// main process's event loop free for windows and IPC.
import { errorData } from '../../../common/errors.js';
import { renderFiles } from '../render/index.js';
import type { FromWorker, ToWorker } from './messages.js';

/** Electron's utility process talks through `process.parentPort`; a forked Node through process.send. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: ToWorker }) => void): void;
  postMessage(message: FromWorker): void;
}
const parentPort = (process as { parentPort?: ParentPort }).parentPort;

const controller = new AbortController();

function post(message: FromWorker): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send!(message);
}

function receive(message: ToWorker): void {
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
}

if (parentPort) {
  // Electron ends a utility process with its parent, so it needs no orphan guard.
  parentPort.on('message', (event) => receive(event.data));
} else {
  process.on('message', receive);
  // An orphan must not go on rendering: when the parent goes away (quit, crash), so does the channel.
  process.on('disconnect', () => process.exit(0));
}
