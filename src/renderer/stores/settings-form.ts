import { backendLabel } from '../../common/backends.js';
import {
  renderSettingsSchema, SETTINGS_VERSION, VGG19_LAYERS, type Mode, type RenderSettings, type RenderSettingsInput, type VggLayer,
} from '../../common/settings.js';

/**
 * The settings panel edits text and choices; a render takes a settings object. This module converts
 * between the two and validates with the same schema the engine uses, so the panel can show a field's
 * problem before a render is queued.
 */

/** Numbers arrive as text from text fields and as numbers from `type="number"` fields. */
type NumberText = string | number;

export interface SettingsForm {
  mode: Mode;
  size: NumberText;
  /** Comma-separated stage sizes; empty for automatic. */
  scales: string;
  /** One number, or one per stage; empty for automatic. */
  iterations: string;
  /** The automatic schedule used while `iterations` is empty. */
  schedule: RenderSettings['schedule'];
  optimizer: RenderSettings['optimizer'];
  learningRate: NumberText;
  historySize: NumberText;
  /** Empty for automatic (the content photo, or noise in the reconstruction modes); 'image': the pair's starting picture. */
  init: '' | 'content' | 'noise' | 'style' | 'image';
  seed: NumberText;
  contentLayers: VggLayer[];
  styleLayers: VggLayer[];
  /** Comma-separated, one per style layer; empty for equal weights. */
  styleLayerWeights: string;
  contentWeight: NumberText;
  styleWeight: NumberText;
  tvWeight: NumberText;
  tvKind: RenderSettings['tvKind'];
  pooling: RenderSettings['pooling'];
  network: RenderSettings['network'];
  keepColors: boolean;
  /** The style image's size relative to the result (neural-style's -style_scale). */
  styleScale: NumberText;
  colourTransfer: RenderSettings['colourTransfer'];
  /** Carried, not shown: the units of the weights above (settings saved before version 2 keep 'paper'). */
  lossNormalization: RenderSettings['lossNormalization'];
  progressEvery: NumberText;
}

export type SettingsField = keyof SettingsForm;
export type FieldErrors = Partial<Record<SettingsField, string>>;

/** The engine's defaults, read from the schema rather than repeated here. */
export const DEFAULT_SETTINGS: RenderSettings = renderSettingsSchema.parse({});

function formatNumber(value: number): string {
  return String(value);
}

function formatList(values: readonly number[] | number | undefined): string {
  if (values === undefined) return '';
  return (Array.isArray(values) ? values : [values]).map(formatNumber).join(', ');
}

/** Layers in network order, Keras names (`block4_conv2`) read as the paper's (`conv4_2`). */
function orderedLayers(layers: readonly string[] | undefined, fallback: VggLayer[]): VggLayer[] {
  const known = new Set((layers ?? fallback).map((name) => name.replace(/^block(\d)_conv(\d)$/, 'conv$1_$2')));
  return VGG19_LAYERS.filter((layer) => known.has(layer));
}

/** A stored settings object (possibly partial) as the values of the panel's fields. */
export function toForm(input: RenderSettingsInput | undefined): SettingsForm {
  const s = { ...DEFAULT_SETTINGS, ...(input ?? {}) };
  return {
    mode: s.mode,
    size: formatNumber(s.size),
    scales: formatList(s.scales),
    iterations: formatList(s.iterations),
    schedule: s.schedule,
    optimizer: s.optimizer,
    learningRate: formatNumber(s.learningRate),
    historySize: formatNumber(s.historySize),
    init: s.init ?? '',
    seed: formatNumber(s.seed),
    contentLayers: orderedLayers(s.contentLayers, DEFAULT_SETTINGS.contentLayers),
    styleLayers: orderedLayers(s.styleLayers, DEFAULT_SETTINGS.styleLayers),
    styleLayerWeights: formatList(s.styleLayerWeights),
    contentWeight: formatNumber(s.contentWeight),
    styleWeight: formatNumber(s.styleWeight),
    tvWeight: formatNumber(s.tvWeight),
    tvKind: s.tvKind,
    pooling: s.pooling,
    network: s.network,
    keepColors: s.keepColors,
    styleScale: formatNumber(s.styleScale),
    colourTransfer: s.colourTransfer,
    lossNormalization: s.lossNormalization,
    progressEvery: formatNumber(s.progressEvery),
  };
}

/** Text as a number: NaN when empty or not a number (so validation reports it). */
export function parseNumber(text: NumberText): number {
  if (typeof text === 'number') return text;
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** "128, 256 512" → [128, 256, 512]; undefined when empty; NaN entries kept for validation. */
function parseList(text: string): number[] | undefined {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  return parts.length === 0 ? undefined : parts.map(Number);
}

export interface FormResult {
  settings: RenderSettingsInput;
  errors: FieldErrors;
  valid: boolean;
}

/** The panel's fields as a settings object, with a message per field that the schema or the engine would refuse. */
export function fromForm(form: SettingsForm): FormResult {
  const iterations = parseList(form.iterations);
  const settings: RenderSettingsInput = {
    mode: form.mode,
    size: parseNumber(form.size),
    schedule: form.schedule,
    optimizer: form.optimizer,
    learningRate: parseNumber(form.learningRate),
    historySize: parseNumber(form.historySize),
    seed: parseNumber(form.seed),
    contentLayers: [...form.contentLayers],
    styleLayers: [...form.styleLayers],
    contentWeight: parseNumber(form.contentWeight),
    styleWeight: parseNumber(form.styleWeight),
    tvWeight: parseNumber(form.tvWeight),
    tvKind: form.tvKind,
    pooling: form.pooling,
    keepColors: form.keepColors,
    styleScale: parseNumber(form.styleScale),
    colourTransfer: form.colourTransfer,
    version: SETTINGS_VERSION,
    lossNormalization: form.lossNormalization,
    progressEvery: parseNumber(form.progressEvery),
  };
  const scales = parseList(form.scales);
  if (scales) settings.scales = scales;
  if (iterations) settings.iterations = iterations.length === 1 ? iterations[0]! : iterations;
  if (form.init !== '') settings.init = form.init;
  // Left out at the default, like `init`, so a pair keeps following the app's default network.
  if (form.network !== DEFAULT_SETTINGS.network) settings.network = form.network;
  const layerWeights = parseList(form.styleLayerWeights);
  if (layerWeights) settings.styleLayerWeights = layerWeights;

  const errors: FieldErrors = {};
  const parsed = renderSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as SettingsField | undefined;
      // A custom issue (a layer the chosen network lacks) has its own words; the others get the field's hint.
      if (field && !errors[field]) errors[field] = issue.code === 'custom' ? issue.message : fieldMessage(field, issue.message);
    }
  }
  checkStages(settings, errors);
  if (layerWeights && layerWeights.length !== form.styleLayers.length && !errors.styleLayerWeights) {
    errors.styleLayerWeights = `Give one weight per style layer (${form.styleLayers.length}), or leave empty for equal weights.`;
  }
  return { settings, errors, valid: Object.keys(errors).length === 0 };
}

/** The CLI's rule for the stages: stage sizes ascending, the last equal to the size; one iteration count or one per stage. */
function checkStages(settings: RenderSettingsInput, errors: FieldErrors): void {
  const { scales, size, iterations } = settings;
  if (scales && !errors.scales) {
    const ascending = scales.every((value, i) => i === 0 || value > scales[i - 1]!);
    if (!ascending || scales[scales.length - 1] !== size) {
      errors.scales = 'Stage sizes go up, and the last one equals the size.';
    }
  }
  if (Array.isArray(iterations) && scales && iterations.length !== scales.length && !errors.iterations) {
    errors.iterations = `Give one number for every stage, or one per stage (${scales.length}).`;
  }
}

const FIELD_HINTS: Partial<Record<SettingsField, string>> = {
  size: 'A whole number of pixels from 16 to 4096.',
  scales: 'Sizes from 16 to 4096 px, separated by commas, or empty for automatic.',
  iterations: 'Whole numbers from 0 to 10000, or empty for automatic.',
  learningRate: 'A positive number up to 1000.',
  historySize: 'A whole number from 1 to 100.',
  seed: 'A whole number from 0 to 2147483647.',
  contentLayers: 'Pick at least one layer.',
  styleLayers: 'Pick at least one layer.',
  styleLayerWeights: 'Numbers of 0 or more, separated by commas, or empty for equal weights.',
  contentWeight: 'A number of 0 or more.',
  styleWeight: 'A number of 0 or more, such as 0.001 or 1e-3.',
  tvWeight: 'A number of 0 or more.',
  styleScale: 'A number from 0.1 to 4, such as 0.5 or 2.',
  progressEvery: 'A whole number from 1 to 1000.',
};

function fieldMessage(field: SettingsField, schemaMessage: string): string {
  return FIELD_HINTS[field] ?? schemaMessage;
}

/** Settings with the defaults filled in, for comparing and for display; invalid input gives null. */
export function completeSettings(input: RenderSettingsInput | undefined): RenderSettings | null {
  const parsed = renderSettingsSchema.safeParse({ ...(input ?? {}), styleBlend: undefined });
  return parsed.success ? parsed.data : null;
}

/** Whether two settings objects give the same look (blend weights, size and schedule belong to the pair, not here). */
export function sameSettings(a: RenderSettingsInput | undefined, b: RenderSettingsInput | undefined): boolean {
  const left = completeSettings(a);
  const right = completeSettings(b);
  if (!left || !right) return false;
  // The size and schedule are the pair's (see applyLook): a preset with another size is still the same look.
  const look = (s: RenderSettings) => JSON.stringify({ ...s, size: 0, scales: undefined, iterations: undefined, progressEvery: 0 });
  return look(left) === look(right);
}

/** The largest size the backend can render, for a picture of this shape. */
export interface SizeLimit {
  backend: string;
  /** Long side in pixels, rounded down to a multiple of 16. */
  size: number;
}

/**
 * The largest long side whose full-size stage fits in `maxPixels` (width × height) for a picture of
 * this shape: the engine's memory rule, said as the number the Size field takes.
 */
export function largestSize(maxPixels: number, shape: { width: number; height: number }): number {
  const long = Math.max(shape.width, shape.height);
  const short = Math.max(1, Math.min(shape.width, shape.height));
  return Math.floor(Math.sqrt((maxPixels * long) / short) / 16) * 16;
}

/** The form's result, refused at the Size field when the backend cannot hold a render that large. */
export function withSizeLimit(result: FormResult, limit: SizeLimit | null): FormResult {
  const size = result.settings.size;
  if (!limit || result.errors.size || typeof size !== 'number' || size <= limit.size) return result;
  const errors = { ...result.errors, size: `Too large for the memory of ${backendLabel(limit.backend)}: ${limit.size} px at most for this picture.` };
  return { ...result, errors, valid: false };
}

/** Fields that belong to the pair, not to a look: a preset never changes them. */
const PAIR_FIELDS = ['size', 'scales', 'iterations', 'progressEvery'] as const satisfies readonly SettingsField[];

/** The form with a preset's look applied: the preset's settings, but the pair's size and schedule. */
export function applyLook(current: SettingsForm, look: RenderSettingsInput): SettingsForm {
  const next = toForm(look);
  for (const field of PAIR_FIELDS) (next as unknown as Record<string, unknown>)[field] = current[field];
  return next;
}
