import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { RgbImage } from '../../common/progress.js';
import { renderSettingsPatchSchema, type RenderSettingsInput } from '../../common/settings.js';
import type { BackendChoice, Executor } from '../engine/index.js';
import { blendStats, colourDistance, colourStats } from '../engine/index.js';
import { initBackend, styleContentDistances } from '../engine/runtime.js';
import { readImage, writeImage } from '../services/images/index.js';
import { loadExecutor, renderFiles } from '../services/render/index.js';
import { BUILT_IN_PRESETS } from '../services/presets/built-in.js';
import { contactSheet } from './contact-sheet.js';
import { strokeLength } from './stroke-size.js';
import { backendOption, nameList } from './parse.js';
import { numberIn, settingNumber, settingRangeWords } from './ranges.js';
import { REFERENCE_PAIRS, type ReferencePair } from './reference-pairs.js';

/** The bounds a default must hold on every pair, on the measure the loss does not minimize (average pooling). */
const QUALITY_BOUNDS = { style: 1.25, content: 1.1 } as const;

interface QualityOptions {
  images: string;
  size: number;
  out?: string;
  json?: boolean;
  backend: BackendChoice;
  pairs?: string[];
  preset?: Partial<RenderSettingsInput>;
  settings?: Partial<RenderSettingsInput>;
}

/** `--settings '{"styleWeight":5e-3}'`: checked like a preset's settings, so a typo is an error, not a silent default. */
/** A numeric setting out of range in the CLI's words ("expected a whole number from 16 to 4096"); any other issue in zod's. */
function settingWords(issue: { path: PropertyKey[]; message: string; code: string }): string {
  const range = ['too_small', 'too_big', 'invalid_type'].includes(issue.code) ? settingRangeWords(String(issue.path[0])) : undefined;
  return range ? `expected ${range}` : issue.message;
}

function settingsPatch(value: string): Partial<RenderSettingsInput> {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not JSON`);
  }
  const parsed = renderSettingsPatchSchema.safeParse(json);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${settingWords(i)}`).join('; '));
  return parsed.data as Partial<RenderSettingsInput>;
}

function presetSettings(name: string): Partial<RenderSettingsInput> {
  const preset = BUILT_IN_PRESETS.find((p) => p.name.toLowerCase() === name.toLowerCase() || p.id === name);
  if (!preset) throw new InvalidArgumentError(`no built-in preset "${name}" (${BUILT_IN_PRESETS.map((p) => p.name).join(', ')})`);
  return preset.settings as Partial<RenderSettingsInput>;
}

/** Ours against the reference on one pair: each measure as a ratio ours / reference (lower is better). */
interface Row {
  pair: string;
  seconds: number;
  /** Gram and content distances with average pooling: what the bounds hold on. */
  styleRatio: number;
  contentRatio: number;
  /** The same with max pooling, the measure the paper-normalized loss minimizes. */
  maxStyleRatio: number;
  maxContentRatio: number;
  /** Lab mean/std distance to the painting's colours: ours and the reference's. */
  colour: number;
  referenceColour: number;
  /** Stroke size in pixels (stroke-size.ts): ours and the reference's. */
  strokes: number;
  referenceStrokes: number;
  withinBounds: boolean;
}

async function measurePair(executor: Executor, options: QualityOptions, pair: ReferencePair, settings: RenderSettingsInput): Promise<{ row: Row; pictures: RgbImage[] }> {
  const file = (name: string) => path.resolve(options.images, name);
  const started = performance.now();
  const styleScale = pair.styleScale ?? 1;
  const ours = await renderFiles({
    content: file(pair.content), styles: pair.styles.map((s) => ({ path: file(s.path), weight: s.weight })),
    settings: { ...settings, ...(styleScale !== 1 && { styleScale }) },
    backend: options.backend,
  });
  const seconds = (performance.now() - started) / 1000;
  const styleSide = Math.ceil(options.size * Math.max(1, styleScale));
  const [photo, reference, ...styles] = await Promise.all([
    readImage(file(pair.content), { maxLongSide: options.size }),
    readImage(file(`reference/${pair.reference}`), { maxLongSide: options.size }),
    ...pair.styles.map((s) => readImage(file(s.path), { maxLongSide: styleSide })),
  ]);
  const styleImages = styles.map((s) => s.image);
  const blend = pair.styles.map((s) => s.weight);
  const measure = async (picture: RgbImage) => {
    const common = { styleBlend: blend, styleScale };
    const [avg, max] = [
      await styleContentDistances(executor, picture, photo.image, styleImages, { ...common, pooling: 'avg' }),
      await styleContentDistances(executor, picture, photo.image, styleImages, { ...common, pooling: 'max' }),
    ];
    return { avg, max };
  };
  const [mine, theirs] = [await measure(ours.image), await measure(reference.image)];
  const total = blend.reduce((a, b) => a + b, 0);
  const painting = blendStats(styleImages.map(colourStats), blend.map((w) => w / total));
  const styleRatio = mine.avg.style / theirs.avg.style;
  const contentRatio = mine.avg.content / theirs.avg.content;
  return {
    row: {
      pair: pair.reference, seconds: Math.round(seconds), styleRatio, contentRatio,
      maxStyleRatio: mine.max.style / theirs.max.style, maxContentRatio: mine.max.content / theirs.max.content,
      colour: colourDistance(colourStats(ours.image), painting), referenceColour: colourDistance(colourStats(reference.image), painting),
      strokes: strokeLength(ours.image), referenceStrokes: strokeLength(reference.image),
      withinBounds: styleRatio <= QUALITY_BOUNDS.style && contentRatio <= QUALITY_BOUNDS.content,
    },
    pictures: [photo.image, ...styleImages, reference.image, ours.image],
  };
}

/**
 * `atelier bench-quality` (npm run bench:quality): renders every reference pair (single styles, blends, style
 * scales) and compares ours with neural-style's result on measures our loss does not minimize directly.
 */
export function registerQualityBench(program: Command): void {
  program
    .command('bench-quality')
    .description('render every reference pair and compare ours with neural-style\'s results (Gram distances with average and max pooling, colour statistics), and write a contact sheet')
    .option('--images <dir>', 'the shared images folder (content/, style/, reference/)', '../shared/images')
    .option('--size <px>', 'long side of the renders', numberIn(settingNumber('size')), 512)
    .option('--out <dir>', 'write our renders and contact-sheet.png here', 'quality-bench')
    .option('--json', 'print a JSON document instead of a table')
    .addOption(backendOption())
    .option('--pairs <list>', 'only the pairs whose reference file name contains one of these (e.g. shipwreck,golden)', nameList)
    .option('--preset <name>', 'render with a built-in preset\'s look instead of the defaults (e.g. Finest)', presetSettings)
    .option('--settings <json>', 'settings over the defaults (or the preset), e.g. \'{"styleWeight":5e-3,"iterations":[200,60,30]}\'', settingsPatch)
    .action(async (options: QualityOptions) => {
      const backend = await initBackend({ backend: options.backend });
      const executor = await loadExecutor(backend);
      const settings: RenderSettingsInput = { ...(options.preset ?? {}), ...(options.settings ?? {}), size: options.size };
      const pairs = options.pairs ? REFERENCE_PAIRS.filter((p) => options.pairs!.some((part) => p.reference.includes(part))) : REFERENCE_PAIRS;
      if (!options.json) process.stderr.write(`settings: ${JSON.stringify(settings)}\n`);
      const out = path.resolve(options.out ?? 'quality-bench');
      await mkdir(out, { recursive: true });
      const rows: Row[] = [];
      const sheet = [];
      for (const pair of pairs) {
        if (!options.json) process.stderr.write(`${pair.reference} …\n`);
        const { row, pictures } = await measurePair(executor, { ...options, backend: backend.kind as BackendChoice }, pair, settings);
        rows.push(row);
        await writeImage(path.join(out, pair.reference), pictures.at(-1)!);
        // Photo, painting(s), reference, ours; a single painting leaves an empty column.
        const [photo, ...rest] = pictures;
        const paintings = rest.slice(0, -2);
        sheet.push({ label: `${pair.reference}: style × ${row.styleRatio.toFixed(2)}, content × ${row.contentRatio.toFixed(2)}`, pictures: [photo!, paintings[0]!, paintings[1] ?? paintings[0]!, ...rest.slice(-2)] });
      }
      const sheetFile = path.join(out, 'contact-sheet.png');
      await writeFile(sheetFile, await contactSheet(sheet, ['photo', 'painting', 'second painting', 'neural-style', 'Atelier']));
      const held = rows.every((r) => r.withinBounds);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ backend: backend.kind, device: backend.device ?? null, settings, bounds: QUALITY_BOUNDS, held, contactSheet: sheetFile, rows }, null, 2)}\n`);
        return;
      }
      console.log(`backend: ${backend.kind}${backend.device ? ` ${backend.device}` : ''}; bounds (average pooling): style × ≤ ${QUALITY_BOUNDS.style}, content × ≤ ${QUALITY_BOUNDS.content}`);
      console.table(rows.map((r) => ({
        pair: r.pair, s: r.seconds,
        'style ×': r.styleRatio.toFixed(2), 'content ×': r.contentRatio.toFixed(2),
        'max style ×': r.maxStyleRatio.toFixed(2), 'max content ×': r.maxContentRatio.toFixed(2),
        colour: r.colour.toFixed(1), 'ref colour': r.referenceColour.toFixed(1),
        strokes: r.strokes.toFixed(1), 'ref strokes': r.referenceStrokes.toFixed(1), ok: r.withinBounds ? 'yes' : 'NO',
      })));
      console.log(`${held ? 'every pair within the bounds' : 'NOT every pair within the bounds'}; contact sheet: ${sheetFile}`);
    });
}
