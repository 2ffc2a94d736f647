// Entry point of a render process (started by render-process.ts as a Node child, or by the desktop app as
// an Electron utility process): one render, then the parent kills it. Running the engine here keeps the
// main process's event loop free for windows and IPC.
import { errorData } from '../../../common/errors.js';
import { encodePreview } from '../images/index.js';
import { instantFiles, instantLooks } from '../instant/index.js';
import { renderFiles, type RenderRequest } from '../render/index.js';
import type { FromWorker, LooksRequest, ToWorker } from './messages.js';

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

function render(request: RenderRequest): Promise<FromWorker> {
  // An instant render is one forward pass: no progress to report, nothing to cancel halfway.
  const result = request.settings.instant
    ? instantFiles(request.content, request.settings, { ...(request.backend && { backend: request.backend }), ...(request.models && { models: request.models }) })
    : renderFiles(request, {
      signal: controller.signal,
      onPhase: (phase) => post({ type: 'phase', phase }),
      onProgress: ({ previewJpeg, ...update }) => {
        post({ type: 'progress', update: { ...update, ...(previewJpeg && { previewJpegBase64: previewJpeg.toString('base64') }) } });
      },
    });
  return result.then(({ image, losses, stages, cancelled, backend, backendInfo }) => ({
    type: 'done',
    // An instant render paints on tfjs even when the backend is onnx: no provider to report.
    outcome: { image, losses, stages, cancelled, backend, ...(!request.settings.instant && backendInfo.device && { device: backendInfo.device }) },
  }));
}

async function looks(request: LooksRequest): Promise<FromWorker> {
  const { content, size, models, backend, device } = request;
  const painted = await instantLooks(content, { size, signal: controller.signal, ...(models && { models }), ...(backend && { backend }), ...(device && { device }) });
  return {
    type: 'looks',
    looks: await Promise.all(painted.map(async ({ net, image, ms }) => ({ net, ms, jpegBase64: (await encodePreview(image)).toString('base64') }))),
  };
}

function receive(message: ToWorker): void {
  if (message.type === 'cancel') {
    // The engine checks the signal between iterations and resolves with the best image so far.
    controller.abort();
    return;
  }
  (message.type === 'looks' ? looks(message.request) : render(message.request)).then(post, (error: unknown) => post({ type: 'error', error: errorData(error) }));
}

if (parentPort) {
  // Electron ends a utility process with its parent, so it needs no orphan guard.
  parentPort.on('message', (event) => receive(event.data));
} else {
  process.on('message', receive);
  // An orphan must not go on rendering: when the parent goes away (quit, crash), so does the channel.
  process.on('disconnect', () => process.exit(0));
}
