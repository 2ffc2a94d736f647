import { z } from 'zod';
import { FAST_STYLES } from './instant.js';
import { NETWORK_LAYERS, NETWORK_TITLES, VGG19_LAYERS, VGG_NETWORKS, layerRange } from './networks.js';

export { VGG19_LAYERS, type VggLayer } from './networks.js';

/** Accepts the paper's `conv4_2` and Keras's `block4_conv2` for the same layer. */
export const layerName = z
  .string()
  .transform((name) => name.replace(/^block(\d)_conv(\d)$/, 'conv$1_$2'))
  .pipe(z.enum(VGG19_LAYERS, { error: (issue) => `unknown VGG19 layer "${String(issue.input)}" (use conv1_1 … conv5_4)` }));

export const MODES = ['transfer', 'content', 'texture'] as const;
export type Mode = (typeof MODES)[number];
export const OPTIMIZERS = ['adam', 'lbfgs', 'gd'] as const;
export const INITS = ['content', 'noise', 'style', 'image'] as const;
export const POOLINGS = ['max', 'avg'] as const;
export const TV_KINDS = ['l1', 'squared'] as const;
/**
 * How each layer's loss is scaled. 'relative': by the target's own squared norm, Σ(F − P)²/ΣP² and
 * Σ(G − A)²/ΣA², so every term is a relative error whatever the painting's (or photo's) scale of
 * activations, and one style weight holds across paintings. 'paper': Gatys et al.'s ½·mean((F − P)²)
 * and Σ(G − A)²/(4N²M²), whose balance moves with the painting; what settings saved before version 2 use.
 */
export const COLOUR_TRANSFERS = ['none', 'luminance', 'match'] as const;
export const LOSS_NORMALIZATIONS = ['relative', 'paper'] as const;
export type LossNormalization = (typeof LOSS_NORMALIZATIONS)[number];

/** Largest long side the app accepts for a render at all; memory checks refine this per backend. */
const MAX_RENDER_SIZE = 4096;

const size = z.number().int().min(16).max(MAX_RENDER_SIZE);

export const SCHEDULES = ['standard', 'finest'] as const;
export type Schedule = (typeof SCHEDULES)[number];

/**
 * The stages and iterations a render of this size gets when the person leaves them unset. The
 * low-resolution stage lays out the style's large structures cheaply (more iterations there lowered the
 * style distance at little cost); the full-size stage settles the strokes and the balance with the photo
 * (its iteration count decides the content distance). Chosen with `npm run bench:quality` against
 * jcjohnson/neural-style's results (README, "Quality against the reference"). On onnx (2 idle cores) an
 * iteration costs about 0.07 s, 0.27 s and 1.04 s at 128, 256 and 512 px: 'standard' paints 512 px in
 * about 85 s, 'finest' (which beat the reference on both distances) in about 7 minutes. Here, not in
 * the engine, because the settings panel explains it too.
 */
export function defaultSchedule(size: number, schedule: Schedule = 'standard'): { sizes: number[]; iterations: number[] } {
  const finest = schedule === 'finest';
  if (size <= 160) return { sizes: [size], iterations: [finest ? 600 : 200] };
  if (size <= 320) return { sizes: [Math.round(size / 2), size], iterations: finest ? [500, 300] : [150, 100] };
  return { sizes: [Math.round(size / 4), Math.round(size / 2), size], iterations: finest ? [500, 200, 300] : [200, 40, 55] };
}

/**
 * Version 2 measures every loss term relative to its target (lossNormalization 'relative') and re-expresses
 * the weights in those units. Version 1 settings (no `version` field) keep the paper's normalization and the
 * version 1 defaults for the weights they left unset, so a pair, preset or exported image saved before
 * paints as it did.
 */
export const SETTINGS_VERSION = 2;
export const DEFAULT_STYLE_WEIGHT = 10;
const VERSION_1_DEFAULTS = { lossNormalization: 'paper', styleWeight: 4.4e-4, tvWeight: 5 } as const;

/** A stored settings object as version 2 settings; anything else (not an object) is passed to the schema to refuse. */
export function migrateStoredSettings(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return stored;
  const settings = stored as Record<string, unknown>;
  if (settings.version !== undefined && settings.version !== 1) return stored;
  return { ...VERSION_1_DEFAULTS, ...settings, version: SETTINGS_VERSION };
}

/**
 * Everything that decides what a render produces. Shared by the CLI, presets, the queue and the UI,
 * so a preset file, a CLI report and an exported image's metadata all carry the same object.
 */
export const renderSettingsSchema = z
  .object({
    /** Which units the weights are in; stored settings without it are from before version 2 (`migrateStoredSettings`). */
    version: z.number().int().min(1).max(SETTINGS_VERSION).default(SETTINGS_VERSION),
    mode: z.enum(MODES).default('transfer'),
    /** Long side of the result in pixels. */
    size: size.default(512),
    /** Coarse-to-fine stage sizes (long side), ascending, the last equal to `size`; unset: chosen from `size`. */
    scales: z.array(size).min(1).max(6).optional(),
    /** Iterations per stage: one number for every stage, or one per stage; unset: chosen per stage. */
    iterations: z.union([z.number().int().min(0).max(10_000), z.array(z.number().int().min(0).max(10_000)).min(1)]).optional(),
    /** Which automatic schedule applies while `iterations` is unset: 'finest' runs about five times longer. */
    schedule: z.enum(SCHEDULES).default('standard'),
    /** The VGG network whose layers measure content and style; VGG16 must be installed separately. */
    network: z.enum(VGG_NETWORKS).default('vgg19'),
    optimizer: z.enum(OPTIMIZERS).default('lbfgs'),
    learningRate: z.number().positive().max(1000).default(5),
    historySize: z.number().int().min(1).max(100).default(10),
    contentLayers: z.array(layerName).min(1).default(['conv4_2']),
    styleLayers: z.array(layerName).min(1).default(['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1']),
    /** Per style layer weights (w_l in the paper); defaults to equal weights summing to 1. */
    styleLayerWeights: z.array(z.number().nonnegative()).optional(),
    contentWeight: z.number().nonnegative().default(1),
    // In version 2's relative units (lossNormalization): chosen with `npm run bench:quality` over every
    // reference pair (README, "Quality against the reference"). Lower keeps more of the photo.
    styleWeight: z.number().nonnegative().default(DEFAULT_STYLE_WEIGHT),
    // Version 1's 5 on a content loss about 2·10⁵ times larger (½·mean(P²) of conv4_2 on the sample photos).
    tvWeight: z.number().nonnegative().default(2e-5),
    tvKind: z.enum(TV_KINDS).default('l1'),
    lossNormalization: z.enum(LOSS_NORMALIZATIONS).default('relative'),
    // Max pooling, as VGG19 was trained and as neural-style renders: with average pooling the same weights
    // left 2–5× the reference's style distance (the photo's colours survived under the strokes).
    pooling: z.enum(POOLINGS).default('max'),
    /** Starting image; unset: the content image for style transfer, noise for the reconstructions. */
    init: z.enum(INITS).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    keepColors: z.boolean().default(false),
    /**
     * Colour control before the transfer (Gatys et al. 2017): 'luminance' paints the luminance alone (the
     * style's matched to the photo's mean and variance) and puts the photo's colours back; 'match' moves
     * the style image's colour statistics to the photo's first. 'none': the painting's own colours.
     */
    colourTransfer: z.enum(COLOUR_TRANSFERS).default('none'),
    /**
     * The style image's long side as a multiple of each stage's long side (neural-style's -style_scale,
     * applied per stage of the coarse-to-fine plan): above 1 the painting is seen larger, so its strokes
     * come out finer; below 1, larger swirls.
     */
    styleScale: z.number().min(0.1).max(4).default(1),
    /** Blend weight of each style image; normalized to sum to 1. */
    styleBlend: z.array(z.number().nonnegative()).optional(),
    /** Emit a progress event (with preview) every this many iterations. */
    progressEvery: z.number().int().min(1).max(1000).default(10),
    /**
     * Set: an instant render. One pass of a pretrained feed-forward network paints the content photo
     * at `size`, mixed with the photo by `strength` (0–100 %); of the rest only keepColors applies.
     */
    instant: z.object({ net: z.enum(FAST_STYLES), strength: z.number().min(0).max(100).default(100) }).strict().optional(),
  })
  .strict()
  .superRefine((settings, context) => {
    const { network = 'vgg19' } = settings;
    for (const key of ['contentLayers', 'styleLayers'] as const) {
      for (const [i, layer] of (settings[key] ?? []).entries()) {
        if (NETWORK_LAYERS[network].includes(layer)) continue;
        context.addIssue({ code: 'custom', path: [key, i], message: `${NETWORK_TITLES[network]} has no layer ${layer} (use ${layerRange(network)})` });
      }
    }
  });

export type RenderSettingsInput = z.input<typeof renderSettingsSchema>;

/**
 * The same fields, all optional and without defaults: what pairs, presets and files store, so that
 * a setting left unset keeps following the app's default instead of freezing today's value.
 */
export const renderSettingsPatchSchema = z
  .object(Object.fromEntries(Object.entries(renderSettingsSchema.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()])))
  .strict() as unknown as z.ZodType<Partial<RenderSettings>, Partial<RenderSettingsInput>>;
export type RenderSettings = z.output<typeof renderSettingsSchema>;

export const LOSS_TERMS = ['content', 'style', 'tv', 'total'] as const;
export type LossTerms = Record<(typeof LOSS_TERMS)[number], number>;
