import { Option, type Command } from 'commander';
import type { RgbImage } from '../../common/progress.js';
import { BACKEND_CHOICES, forwardFlops, initBackend, stylize, type BackendChoice } from '../engine/index.js';
import { loadVgg19 } from '../services/render/index.js';
import { benchInstant, median } from './instant-bench.js';
import { integer, integerList } from './parse.js';

interface BenchOptions {
  sizes: number[];
  iterations: number;
  warmup: number;
  optimizer: 'adam' | 'lbfgs';
  backend: BackendChoice;
  json?: boolean;
  instant?: boolean;
}

export interface BenchResult {
  size: number;
  width: number;
  height: number;
  msPerIteration: number;
  gflops: number;
  peakRssBytes: number;
}

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('time one optimization iteration (VGG19 forward + backward to the pixels + optimizer step) per size')
    .option('--sizes <list>', 'square image sizes in pixels', integerList, [256, 512])
    .option('--iterations <n>', 'timed iterations per size (the median is reported)', integer, 5)
    .option('--warmup <n>', 'untimed iterations first', integer, 1)
    .addOption(new Option('--optimizer <name>').choices(['adam', 'lbfgs']).default('lbfgs'))
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(BACKEND_CHOICES).default('auto'))
    .option('--json', 'print a JSON document instead of a table')
    .option('--instant', 'time instant styles instead: one look at 1024 px and the nine-look grid at 256 px (median of --iterations runs)')
    .action(async (options: BenchOptions) => {
      const backend = await initBackend({ backend: options.backend });
      if (options.instant) {
        const result = await benchInstant(backend, options.iterations, pattern);
        if (options.json) process.stdout.write(`${JSON.stringify({ threads: backend.threads ?? null, ...result }, null, 2)}\n`);
        else {
          console.log(`backend: ${backend.kind}${backend.threads ? ` (${backend.threads} threads)` : ''}, executor ${result.executor}`);
          console.table([
            { what: 'one look, 1024×768', ms: Math.round(result.fullSizeMs), 'CPU ms': Math.round(result.fullSizeCpuMs) },
            { what: 'nine looks, 256×192 each', ms: Math.round(result.gridMs), 'CPU ms': Math.round(result.gridCpuMs) },
          ]);
          console.log(`peak RSS ${Math.round(result.peakRssBytes / 1e6)} MB`);
        }
        return;
      }
      const results: BenchResult[] = [];
      for (const size of options.sizes) {
        if (!options.json) process.stderr.write(`${size}px …\n`);
        results.push(await benchSize(size, options));
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ backend: backend.kind, threads: backend.threads ?? null, results }, null, 2)}\n`);
        return;
      }
      console.log(`backend: ${backend.kind}${backend.threads ? ` (${backend.threads} threads)` : ''}`);
      console.table(results.map((r) => ({
        size: `${r.width}×${r.height}`,
        'ms / iteration': Math.round(r.msPerIteration),
        'GFLOP/s': Number(r.gflops.toFixed(1)),
        'peak RSS (MB)': Math.round(r.peakRssBytes / 1e6),
      })));
    });
}

async function benchSize(size: number, options: BenchOptions): Promise<BenchResult> {
  const vgg = await loadVgg19();
  const stamps: number[] = [];
  let peakRss = process.memoryUsage().rss;
  await stylize(vgg, { content: pattern(size, size, 1), styles: [pattern(size, size, 2)] }, {
    size, scales: [size], iterations: options.warmup + options.iterations, optimizer: options.optimizer, progressEvery: 1,
  }, {
    previews: false,
    onProgress: (progress) => {
      stamps.push(progress.elapsedMs);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    },
  });
  const times = stamps.slice(options.warmup).map((t, i) => t - stamps[options.warmup + i - 1]!).filter(Number.isFinite);
  const msPerIteration = median(times);
  // Backward to the pixels costs about one more forward pass: the weights get no gradient.
  const flops = 2 * forwardFlops(size, size, 'conv5_1');
  return { size, width: size, height: size, msPerIteration, gflops: flops / msPerIteration / 1e6, peakRssBytes: peakRss };
}


/** A deterministic test picture: smooth gradients with some texture, so activations are realistic. */
function pattern(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (128 + 100 * Math.sin((x * seed) / 17)) | 0;
      data[i + 1] = (128 + 100 * Math.cos((y + seed * x) / 23)) | 0;
      data[i + 2] = ((x ^ y) * seed) & 255;
    }
  }
  return { width, height, data };
}
