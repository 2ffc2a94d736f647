import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { renderSettingsPatchSchema, type RenderSettingsInput } from '../../common/settings.js';
import type { BackendChoice, Distances } from '../engine/index.js';
import { initBackend, styleContentDistances } from '../engine/runtime.js';
import { readImage, writeImage } from '../services/images/index.js';
import { loadExecutor, renderFiles } from '../services/render/index.js';
import { BUILT_IN_PRESETS } from '../services/presets/built-in.js';
import { backendOption, nameList } from './parse.js';
import { numberIn, settingNumber, settingRangeWords } from './ranges.js';

/** The sample pairs with jcjohnson/neural-style's results on them (../shared/images/reference/README.md). */
const PAIRS = [
  { content: 'tubingen.jpg', style: 'starry_night.jpg', reference: 'tubingen_starry.png' },
  { content: 'tubingen.jpg', style: 'the_scream.jpg', reference: 'tubingen_scream.png' },
  { content: 'tubingen.jpg', style: 'shipwreck.jpg', reference: 'tubingen_shipwreck.png' },
  { content: 'golden_gate.jpg', style: 'the_scream.jpg', reference: 'golden_gate_scream.png' },
];

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

/**
 * `atelier bench-quality` (npm run bench:quality): renders the sample pairs with the default settings
 * and compares ours and the reference on the same two distances, measured by our engine.
 */
export function registerQualityBench(program: Command): void {
  program
    .command('bench-quality')
    .description('render the sample pairs with the defaults and compare style and content distances with the reference results')
    .option('--images <dir>', 'the shared images folder (content/, style/, reference/)', '../shared/images')
    .option('--size <px>', 'long side of the renders', numberIn(settingNumber('size')), 512)
    .option('--out <dir>', 'also write our renders here, to look at beside the references')
    .option('--json', 'print a JSON document instead of a table')
    .addOption(backendOption())
    .option('--pairs <list>', 'only the pairs whose reference file name contains one of these (e.g. shipwreck,golden)', nameList)
    .option('--preset <name>', 'render with a built-in preset\'s look instead of the defaults (e.g. Finest)', presetSettings)
    .option('--settings <json>', 'settings over the defaults (or the preset), e.g. \'{"styleWeight":5e-3,"iterations":[200,60,30]}\'', settingsPatch)
    .action(async (options: QualityOptions) => {
      const backend = await initBackend({ backend: options.backend });
      const executor = await loadExecutor(backend);
      const settings: RenderSettingsInput = { ...(options.preset ?? {}), ...(options.settings ?? {}), size: options.size };
      const pairs = options.pairs ? PAIRS.filter((p) => options.pairs!.some((part) => p.reference.includes(part))) : PAIRS;
      if (!options.json) process.stderr.write(`settings: ${JSON.stringify(settings)}\n`);
      const rows = [];
      for (const pair of pairs) {
        const file = (folder: string, name: string) => path.resolve(options.images, folder, name);
        if (!options.json) process.stderr.write(`${pair.reference} …\n`);
        const started = performance.now();
        const ours = await renderFiles({ content: file('content', pair.content), styles: [{ path: file('style', pair.style) }], settings, backend: backend.kind as BackendChoice });
        const seconds = (performance.now() - started) / 1000;
        if (options.out) {
          await mkdir(path.resolve(options.out), { recursive: true });
          await writeImage(path.resolve(options.out, pair.reference), ours.image);
        }
        const [photo, style, reference] = await Promise.all([
          readImage(file('content', pair.content), { maxLongSide: options.size }),
          readImage(file('style', pair.style), { maxLongSide: options.size }),
          readImage(file('reference', pair.reference), { maxLongSide: options.size }),
        ]);
        const measure = (picture: typeof ours.image): Promise<Distances> => styleContentDistances(executor, picture, photo.image, style.image);
        const [mine, theirs] = [await measure(ours.image), await measure(reference.image)];
        rows.push({
          pair: pair.reference, seconds: Math.round(seconds),
          style: mine.style, referenceStyle: theirs.style, styleRatio: mine.style / theirs.style,
          content: mine.content, referenceContent: theirs.content, contentRatio: mine.content / theirs.content,
        });
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ backend: backend.kind, device: backend.device ?? null, settings, rows }, null, 2)}\n`);
        return;
      }
      console.log(`backend: ${backend.kind}${backend.device ? ` ${backend.device}` : ''}; targets: style ratio ≤ 1.25, content ratio ≤ 1.1`);
      console.table(rows.map((r) => ({
        pair: r.pair, 's': r.seconds,
        style: r.style.toExponential(2), 'ref style': r.referenceStyle.toExponential(2), 'style ×': r.styleRatio.toFixed(2),
        content: r.content.toExponential(2), 'ref content': r.referenceContent.toExponential(2), 'content ×': r.contentRatio.toFixed(2),
      })));
    });
}
