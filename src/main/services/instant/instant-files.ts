import { FAST_STYLES, INSTANT_PREVIEW_SIZE, type FastStyle } from '../../../common/instant.js';
import type { RenderOutcome, RgbImage } from '../../../common/progress.js';
import { AtelierError } from '../../../common/errors.js';
import { renderSettingsSchema, type RenderSettingsInput } from '../../../common/settings.js';
import type { BackendChoice, BackendInfo, OnnxDeviceChoice } from '../../engine/index.js';
import { initBackend, instantStylize } from '../../engine/runtime.js';
import { readImage } from '../images/index.js';
import type { ModelsLocation } from '../models/locations.js';
import { loadFastStyle } from './networks.js';

export interface InstantFilesOptions {
  /** Unset: auto, as for Gatys renders. */
  backend?: BackendChoice;
  /** onnx's execution provider, as for Gatys renders (unset: auto). */
  device?: OnnxDeviceChoice;
  /** Where the manifests and installed weights are (default: the checkout's models folder). */
  models?: Partial<ModelsLocation>;
}

function startBackend({ backend, device }: InstantFilesOptions): Promise<BackendInfo> {
  return initBackend({ ...(backend && { backend }), ...(device && { device }) });
}

export interface InstantResult extends RenderOutcome {
  net: FastStyle;
  executor: string;
  backendInfo: BackendInfo;
  /** Size of the content photo as shown, before it was scaled for rendering. */
  contentSize: { width: number; height: number };
}

/**
 * An instant render of a photo file: the render settings' `instant` block chooses the network and
 * strength, `size` the long side, `keepColors` the colours. The result has the shape of any render's
 * (no losses: nothing was optimized), so the queue and the library keep it like one.
 */
export async function instantFiles(content: string | undefined, input: RenderSettingsInput, options: InstantFilesOptions = {}): Promise<InstantResult> {
  const parsed = renderSettingsSchema.safeParse(input);
  if (!parsed.success) throw new AtelierError('BAD_SETTINGS', parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '));
  const settings = parsed.data;
  if (!settings.instant) throw new AtelierError('BAD_SETTINGS', 'an instant render needs settings.instant (which network, what strength)');
  if (!content) throw new AtelierError('BAD_INPUT', 'an instant render needs a content photo');
  const started = performance.now();
  const backendInfo = await startBackend(options);
  const [photo, net] = await Promise.all([
    readImage(content, { maxLongSide: settings.size }),
    loadFastStyle(settings.instant.net, backendInfo, options),
  ]);
  const image = await instantStylize(net, photo.image, { strength: settings.instant.strength, keepColors: settings.keepColors }, backendInfo.kind);
  const zero = { content: 0, style: 0, tv: 0, total: 0 };
  return {
    image, net: settings.instant.net, executor: net.executor, backendInfo, backend: backendInfo.kind, cancelled: false,
    losses: { initial: zero, final: zero },
    stages: [{ size: settings.size, width: image.width, height: image.height, iterations: 0, ms: performance.now() - started }],
    contentSize: { width: photo.originalWidth, height: photo.originalHeight },
  };
}

export interface InstantLook {
  net: FastStyle;
  image: RgbImage;
  ms: number;
}

/**
 * The photo, small, in each look (full strength unless told): the studio's grid and the CLI's
 * contact sheet. `onLook` hears each one as it is ready, in order.
 */
export async function instantLooks(
  content: string,
  options: InstantFilesOptions & {
    size?: number;
    nets?: readonly FastStyle[];
    strength?: number;
    keepColors?: boolean;
    onLook?: (look: InstantLook) => void;
    signal?: AbortSignal;
  } = {},
): Promise<InstantLook[]> {
  const backendInfo = await startBackend(options);
  const photo = await readImage(content, { maxLongSide: options.size ?? INSTANT_PREVIEW_SIZE });
  const looks: InstantLook[] = [];
  for (const name of options.nets ?? FAST_STYLES) {
    if (options.signal?.aborted) break;
    const started = performance.now();
    const net = await loadFastStyle(name, backendInfo, options);
    const image = await instantStylize(net, photo.image, { strength: options.strength ?? 100, keepColors: options.keepColors ?? false }, backendInfo.kind);
    const look = { net: name, image, ms: performance.now() - started };
    looks.push(look);
    options.onLook?.(look);
  }
  return looks;
}
