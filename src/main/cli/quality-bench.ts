import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { initBackend, styleContentDistances, type Distances } from '../engine/index.js';
import { readImage, writeImage } from '../services/images/index.js';
import { loadExecutor, renderFiles } from '../services/render/index.js';
import { integer } from './parse.js';

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
    .option('--size <px>', 'long side of the renders', integer, 512)
    .option('--out <dir>', 'also write our renders here, to look at beside the references')
    .option('--json', 'print a JSON document instead of a table')
    .action(async (options: QualityOptions) => {
      const backend = await initBackend();
      const executor = await loadExecutor(backend);
      const rows = [];
      for (const pair of PAIRS) {
        const file = (folder: string, name: string) => path.resolve(options.images, folder, name);
        if (!options.json) process.stderr.write(`${pair.reference} …\n`);
        const started = performance.now();
        const ours = await renderFiles({ content: file('content', pair.content), styles: [{ path: file('style', pair.style) }], settings: { size: options.size } });
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
        process.stdout.write(`${JSON.stringify({ backend: backend.kind, device: backend.device ?? null, size: options.size, rows }, null, 2)}\n`);
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
