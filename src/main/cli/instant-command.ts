import { Option, type Command } from 'commander';
import { FAST_STYLES, INSTANT_PREVIEW_SIZE, type FastStyle } from '../../common/instant.js';
import { DEVICE_CHOICES, type BackendChoice, type OnnxDeviceChoice } from '../engine/index.js';
import { contactSheet, instantFiles, instantLooks } from '../services/instant/index.js';
import { modelsLocation } from '../services/models/index.js';
import { checkOutputs, checkInputsAndOutputs, saveImage } from './outputs.js';
import { renderSettingsSchema } from '../../common/settings.js';
import { backendOption, formatDuration } from './parse.js';
import { numberIn, settingNumber } from './ranges.js';

interface InstantOptions {
  net: FastStyle | 'all';
  content: string;
  out: string;
  strength: number;
  size?: number;
  keepColors?: boolean;
  backend: BackendChoice;
  device: OnnxDeviceChoice;
  modelsDir?: string;
}

/** The instant settings' own range for the strength (0–100 %). */
const strength = numberIn(renderSettingsSchema.shape.instant.unwrap().shape.strength.unwrap());

/** `atelier instant`: one network in one pass (seconds, not minutes), or all nine on a contact sheet. */
export function registerInstantCommand(program: Command): void {
  program
    .command('instant')
    .description('paint a photo with a pretrained feed-forward style network in one pass (Johnson et al. 2016)')
    .addOption(new Option('--net <name>', 'the network, or "all" for a contact sheet of the nine').choices([...FAST_STYLES, 'all']).makeOptionMandatory())
    .requiredOption('--content <file>', 'the photo')
    .requiredOption('--out <file>', 'output image (.png, .jpg, .webp, .tif or .avif)')
    .option('--strength <percent>', 'how much of the painting goes over the photo, 0–100', strength, 100)
    .option('--size <px>', `long side in pixels (default 512; ${INSTANT_PREVIEW_SIZE} per picture with --net all)`, numberIn(settingNumber('size')))
    .option('--keep-colors', 'keep the colours of the photo')
    .addOption(backendOption('compute backend, as for renders (onnx runs the network on ONNX Runtime)'))
    .addOption(new Option('--device <name>', 'onnx execution provider').choices(DEVICE_CHOICES).default('auto'))
    .option('--models-dir <dir>', 'where the weights are installed (default: the models folder of this checkout)')
    .action(async (options: InstantOptions) => {
      const started = Date.now();
      const log = (line: string) => process.stderr.write(`${line}\n`);
      await checkInputsAndOutputs([['--out', options.out]], [['--content', options.content]]);
      const outputs = await checkOutputs(options.out, undefined, log);
      const models = options.modelsDir ? { models: modelsLocation({ dir: options.modelsDir }) } : {};
      const saved = async (image: Parameters<typeof saveImage>[1]) => {
        const where = await saveImage(outputs.image, image);
        if ('failure' in where) {
          log(`atelier: ${where.failure}; the image was saved instead to ${where.path}`);
          process.exitCode = 1;
        }
        return where.path;
      };
      if (options.net === 'all') {
        const looks = await instantLooks(options.content, {
          size: options.size ?? INSTANT_PREVIEW_SIZE, strength: options.strength, keepColors: !!options.keepColors, backend: options.backend, device: options.device, ...models,
          onLook: (look) => process.stderr.write(`${look.net}: ${Math.round(look.ms)} ms\n`),
        });
        const sheet = await contactSheet(looks);
        const path = await saved(sheet);
        process.stderr.write(`done: ${path} (${sheet.width}×${sheet.height}, nine looks) in ${formatDuration(Date.now() - started)}\n`);
        return;
      }
      const settings = { ...(options.size !== undefined && { size: options.size }), keepColors: !!options.keepColors, instant: { net: options.net, strength: options.strength } };
      const result = await instantFiles(options.content, settings, { backend: options.backend, device: options.device, ...models });
      const path = await saved(result.image);
      process.stderr.write(`done: ${path} (${result.image.width}×${result.image.height}, ${options.net} at ${options.strength}%) in ${formatDuration(Date.now() - started)} on ${result.executor}\n`);
    });
}
