import os from 'node:os';
import { AtelierError } from '../../common/errors.js';
import { renderSettingsSchema, type RenderSettings, type RenderSettingsInput, type VggLayer } from '../../common/settings.js';
import { fitLongSide } from './image-tensor.js';

export interface StagePlan {
  size: number;
  width: number;
  height: number;
  iterations: number;
}

/** Settings with every choice made: what a render will actually do. */
export interface RenderPlan {
  settings: RenderSettings;
  init: NonNullable<RenderSettings['init']>;
  stages: StagePlan[];
  contentWeight: number;
  styleWeight: number;
  tvWeight: number;
  contentLayers: VggLayer[];
  styleLayers: { layer: VggLayer; weight: number }[];
  /** Normalized blend weight per style image. */
  styleBlend: number[];
}

/**
 * Default stages. The low-resolution stage lays out the style's large structures cheaply; the full-size
 * stage is where the strokes and the balance with the photo are settled, and too few iterations there
 * left the style half-painted (bench:quality at 200/60/15: style and content distances both higher).
 * On onnx (2 idle cores) an iteration costs about 0.08 s, 0.3 s and 1.3 s at 128², 256² and 512², so a
 * 512 px render takes about 80 s of iterations; on wasm about 6–7 minutes.
 */
function defaultStages(size: number): { sizes: number[]; iterations: number[] } {
  if (size <= 160) return { sizes: [size], iterations: [200] };
  if (size <= 320) return { sizes: [Math.round(size / 2), size], iterations: [150, 100] };
  return { sizes: [Math.round(size / 4), Math.round(size / 2), size], iterations: [150, 100, 30] };
}

export function planRender(
  input: RenderSettingsInput,
  sources: { content?: { width: number; height: number }; styles: { width: number; height: number }[]; initImage?: unknown },
): RenderPlan {
  const parsed = renderSettingsSchema.safeParse(input);
  if (!parsed.success) throw new AtelierError('BAD_SETTINGS', parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; '));
  const settings = parsed.data;
  const { mode } = settings;

  if (mode !== 'texture' && !sources.content) throw new AtelierError('BAD_INPUT', `the ${mode === 'transfer' ? 'style transfer' : 'content reconstruction'} mode needs a content image`);
  if (mode !== 'content' && sources.styles.length === 0) throw new AtelierError('BAD_INPUT', 'at least one style image is needed');
  const shape = sources.content ?? sources.styles[0]!;
  const init = settings.init ?? (mode === 'transfer' ? 'content' : 'noise');
  if (init === 'content' && !sources.content) throw new AtelierError('BAD_INPUT', 'starting from the content image needs a content image');
  if (init === 'style' && sources.styles.length === 0) throw new AtelierError('BAD_INPUT', 'starting from the style image needs a style image');
  if (init === 'image' && !sources.initImage) throw new AtelierError('BAD_INPUT', 'starting from an image needs that image');

  const auto = defaultStages(settings.size);
  const sizes = settings.scales ?? auto.sizes;
  if (sizes.some((s, i) => i > 0 && s <= sizes[i - 1]!)) throw new AtelierError('BAD_SETTINGS', `scales must increase (got ${sizes.join(', ')})`);
  if (sizes.at(-1) !== settings.size) throw new AtelierError('BAD_SETTINGS', `the last scale (${sizes.at(-1)}) must equal the size (${settings.size})`);
  const iterations = resolveIterations(settings.iterations, sizes.length, settings.scales ? undefined : auto.iterations);
  const stages = sizes.map((size, i) => ({ size, ...fitLongSide(shape.width, shape.height, size), iterations: iterations[i]! }));

  const styleBlend = normalize(settings.styleBlend ?? sources.styles.map(() => 1), sources.styles.length, 'styleBlend', 'style images');
  const layerWeights = normalize(settings.styleLayerWeights ?? settings.styleLayers.map(() => 1), settings.styleLayers.length, 'styleLayerWeights', 'style layers');

  return {
    settings,
    init,
    stages,
    contentWeight: mode === 'texture' ? 0 : settings.contentWeight,
    styleWeight: mode === 'content' ? 0 : settings.styleWeight,
    tvWeight: mode === 'transfer' ? settings.tvWeight : 0,
    contentLayers: [...new Set(settings.contentLayers)],
    styleLayers: settings.styleLayers.map((layer, i) => ({ layer, weight: layerWeights[i]! })),
    styleBlend,
  };
}

function resolveIterations(given: number | number[] | undefined, stages: number, auto: number[] | undefined): number[] {
  if (given === undefined) return auto ?? Array.from({ length: stages }, (_, i) => (i === stages - 1 ? 100 : 200));
  if (typeof given === 'number') return Array.from({ length: stages }, () => given);
  if (given.length !== stages) throw new AtelierError('BAD_SETTINGS', `${given.length} iteration counts given for ${stages} stages`);
  return given;
}

function normalize(weights: number[], count: number, name: string, what: string): number[] {
  if (weights.length !== count) throw new AtelierError('BAD_SETTINGS', `${name} has ${weights.length} values for ${count} ${what}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (count > 0 && !(sum > 0)) throw new AtelierError('BAD_SETTINGS', `${name} must not be all zero`);
  return weights.map((w) => w / sum);
}

/**
 * Bytes one optimization iteration needs at width×height: VGG19's activations up to conv5_1 come to
 * about 320 floats per pixel; forward values kept for the backward pass, gradients and temporaries
 * multiply that by about 7 (3.8 GB measured at 640×640 on wasm).
 */
export function estimateIterationBytes(width: number, height: number): number {
  return 320 * 4 * 7 * width * height + 200e6;
}

/** WebAssembly memory is 32-bit: the heap stops at 4 GiB whatever the machine has. */
const WASM_HEAP_BYTES = 4 * 1024 ** 3;

export function tfjsMemoryLimit(backend: string): number {
  return backend === 'wasm' ? Math.min(WASM_HEAP_BYTES * 0.95, os.totalmem()) : os.totalmem();
}

/** Refuses a stage that would not fit, before any work starts. */
export function checkMemory(stage: StagePlan, needed: number, limit: number, backend: string): void {
  if (needed <= limit) return;
  const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
  const hint = backend === 'wasm'
    ? 'the WebAssembly backend cannot address more than 4 GB; render at a smaller size (about 640 px at most) or use the onnx backend'
    : 'render at a smaller size';
  throw new AtelierError('TOO_LARGE', `a ${stage.width}×${stage.height} render needs about ${gb(needed)} GB of memory, more than the ${gb(limit)} GB available to the ${backend} backend: ${hint}`);
}
