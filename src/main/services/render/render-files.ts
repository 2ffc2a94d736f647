import type { RenderOutcome, RenderPhase, RenderProgress } from '../../../common/progress.js';
import type { RenderSettingsInput } from '../../../common/settings.js';
import type { BackendChoice, BackendInfo, OnnxDeviceChoice, RenderPlan } from '../../engine/index.js';
import { initBackend, stylize } from '../../engine/runtime.js';
import { encodePreview, readImage } from '../images/index.js';
import type { ModelsLocation } from '../models/index.js';
import { loadExecutor } from './vgg19-model.js';

export interface RenderRequest {
  /** Content photo; not needed for texture synthesis. */
  content?: string;
  /** Style images with their blend weights (default 1 each). */
  styles: { path: string; weight?: number }[];
  /** Starting image when settings.init is 'image'. */
  initImage?: string;
  settings: RenderSettingsInput;
  /** Unset: auto, the first backend that starts. */
  backend?: BackendChoice;
  /** onnx's execution provider (default auto). */
  device?: OnnxDeviceChoice;
  /** WebAssembly's threads (default: the machine's cores, at most 8). */
  wasmThreads?: number;
  /** Where the manifests and installed weights are (default: the checkout's models folder). */
  models?: ModelsLocation;
  /** The speed the studio's estimate assumed; time left starts from it (see engine/speedometer.ts). */
  expectedMsPerPixelIteration?: number;
}

/** A progress event as it leaves the render service: the preview is a JPEG, ready to show or send. */
export type RenderUpdate = Omit<RenderProgress, 'preview'> & { previewJpeg?: Buffer };

export interface RenderResult extends RenderOutcome {
  plan: RenderPlan;
  backendInfo: BackendInfo;
  /** Size of the content photo as shown, before it was scaled for rendering. */
  contentSize?: { width: number; height: number };
}

/**
 * Renders image files: reads and checks them, scales them to the render size with a proper
 * filter, loads the network, and runs the engine. Shared by the CLI and the app's render queue.
 */
export async function renderFiles(
  request: RenderRequest,
  hooks: {
    onProgress?: (update: RenderUpdate) => void;
    onPhase?: (phase: RenderPhase) => void;
    signal?: AbortSignal;
    /** Attach preview pictures to progress updates (default true); a terminal has nowhere to show them. */
    previews?: boolean;
  } = {},
): Promise<RenderResult> {
  hooks.onPhase?.('engine');
  const { backend, device, wasmThreads } = request;
  const backendInfo = await initBackend({ ...(backend && { backend }), ...(device && { device }), ...(wasmThreads && { wasmThreads }) });
  hooks.onPhase?.('images');
  const size = request.settings.size ?? 512;
  const [content, init, ...styles] = await Promise.all([
    request.content ? readImage(request.content, { maxLongSide: size }) : undefined,
    request.initImage ? readImage(request.initImage, { maxLongSide: size }) : undefined,
    // A style scale above 1 sees the painting larger than the result.
    ...request.styles.map((style) => readImage(style.path, { maxLongSide: Math.ceil(size * Math.max(1, request.settings.styleScale ?? 1)) })),
  ]);
  hooks.onPhase?.('network');
  const executor = await loadExecutor(backendInfo, request.models, request.settings.network);
  hooks.onPhase?.('painting');

  // Previews are encoded off the engine's loop; chaining keeps events in order.
  let delivered = Promise.resolve();
  const onProgress = hooks.onProgress && ((progress: RenderProgress) => {
    const { preview, ...rest } = progress;
    delivered = delivered.then(async () => hooks.onProgress!({ ...rest, ...(preview && { previewJpeg: await encodePreview(preview) }) }));
  });

  const outcome = await stylize(
    executor,
    { content: content?.image, initImage: init?.image, styles: styles.map((s) => s!.image) },
    { ...request.settings, styleBlend: request.settings.styleBlend ?? request.styles.map((s) => s.weight ?? 1) },
    {
      ...(onProgress && { onProgress }), ...(hooks.signal && { signal: hooks.signal }), previews: hooks.previews ?? true,
      ...(request.expectedMsPerPixelIteration && { expectedMsPerPixelIteration: request.expectedMsPerPixelIteration }),
    },
  );
  await delivered;
  return {
    ...outcome,
    backendInfo,
    ...(content && { contentSize: { width: content.originalWidth, height: content.originalHeight } }),
  };
}
