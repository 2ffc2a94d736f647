import { AtelierError } from '../../common/errors.js';
import { defaultSchedule, renderSettingsSchema, type RenderSettings, type RenderSettingsInput, type VggLayer } from '../../common/settings.js';
import { fitLongSide } from './sizes.js';
import { estimateIterationBytes, memoryLimitBytes } from './memory.js';

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

  const auto = defaultSchedule(settings.size, settings.schedule);
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

/** Refuses a stage that would not fit on `backend`, before any work starts. */
export function checkMemory(stage: StagePlan, backend: string): void {
  const needed = estimateIterationBytes(stage.width, stage.height, backend);
  const limit = memoryLimitBytes(backend);
  if (needed <= limit) return;
  const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
  const hint = backend === 'wasm'
    ? 'the WebAssembly backend cannot address more than 4 GB; render at a smaller size (about 640 px at most) or use the onnx backend'
    : 'render at a smaller size';
  throw new AtelierError('TOO_LARGE', `a ${stage.width}×${stage.height} render needs about ${gb(needed)} GB of memory, more than the ${gb(limit)} GB available to the ${backend} backend: ${hint}`);
}
