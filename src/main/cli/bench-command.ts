import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Option, type Command } from 'commander';
import { OPTIMIZERS } from '../../common/settings.js';
import { DEVICE_CHOICES, type BackendChoice, type BackendInfo, type OnnxDeviceChoice } from '../engine/index.js';
import { forwardFlops, initBackend, stylize } from '../engine/runtime.js';
import { loadExecutor } from '../services/render/index.js';
import { benchInstant, median } from './instant-bench.js';
import { backendList, backendOption } from './parse.js';
import { pattern } from './pattern.js';
import { describePlacement, measurePlacement } from './placement.js';
import { listIn, numberIn, settingNumber, wholeNumber } from './ranges.js';
import { registerQualityBench } from './quality-bench.js';

interface BenchOptions {
  sizes: number[];
  iterations: number;
  warmup: number;
  optimizer: (typeof OPTIMIZERS)[number];
  backend: BackendChoice;
  backends?: BackendChoice[];
  device: OnnxDeviceChoice;
  json?: boolean;
  instant?: boolean;
  placement?: boolean;
}

export interface BenchResult {
  size: number;
  width: number;
  height: number;
  msPerIteration: number;
  /** CPU time (all threads) per iteration: what the iteration costs when other processes share the cores. */
  cpuMsPerIteration: number;
  gflops: number;
  /** The process's peak resident memory so far (sizes run in ascending order, one process per backend). */
  peakRssBytes: number;
}

/** One backend's run: what `bench --json` prints for a single backend. */
interface BackendRun {
  backend: string;
  device: string | null;
  threads: number | null;
  results: BenchResult[];
}

export function registerBenchCommand(program: Command): void {
  registerQualityBench(program);
  program
    .command('bench')
    .description('time one optimization iteration (VGG19 forward + backward to the pixels + optimizer step) per size')
    .option('--sizes <list>', 'square image sizes in pixels', listIn(settingNumber('size')), [256, 512])
    .option('--iterations <n>', 'timed iterations per size (the median is reported)', numberIn(wholeNumber(1, 10_000)), 5)
    .option('--warmup <n>', 'untimed iterations first', numberIn(wholeNumber(0, 10_000)), 1)
    .addOption(new Option('--optimizer <name>').choices(OPTIMIZERS).default('lbfgs'))
    .addOption(backendOption())
    .option('--backends <list>', 'several backends side by side, each in its own process (e.g. wasm,onnx)', backendList)
    .addOption(new Option('--device <name>', 'onnx execution provider').choices(DEVICE_CHOICES).default('auto'))
    .option('--json', 'print a JSON document instead of a table')
    .option('--instant', 'time instant styles instead: one look at 1024 px and the nine-look grid at 256 px (median of --iterations runs)')
    .option('--placement', 'report where each node of the Gatys graphs and an instant network runs on --device (ONNX Runtime\'s profiler), at the smallest --sizes')
    .action(async (options: BenchOptions) => {
      if (options.instant) {
        await printInstantBench(options);
        return;
      }
      if (options.placement) {
        await printPlacement(options);
        return;
      }
      const runs = options.backends ? await benchEach(options.backends, options) : [await benchHere(options)];
      if (options.json) {
        const doc = runs.length === 1 ? runs[0] : { runs, speedup: speedups(runs) };
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        return;
      }
      for (const run of runs) {
        console.log(`backend: ${run.backend}${run.device ? ` ${run.device}` : ''}${run.threads ? ` (${run.threads} threads)` : ''}`);
        console.table(run.results.map((r) => ({
          size: `${r.width}×${r.height}`,
          'ms / iteration': Math.round(r.msPerIteration),
          'CPU ms / iteration': Math.round(r.cpuMsPerIteration),
          'GFLOP/s': Number(r.gflops.toFixed(1)),
          'peak RSS (MB)': Math.round(r.peakRssBytes / 1e6),
        })));
      }
      if (runs.length > 1) {
        console.log(`speed relative to ${runs[0]!.backend} (its time per iteration / theirs):`);
        console.table(speedups(runs));
      }
    });
}

/** Instant styles on the Gatys loop's executor: ONNX Runtime (on --device) for onnx, tfjs's kernels otherwise. */
async function printInstantBench(options: BenchOptions): Promise<void> {
  const backend = await initBackend({ backend: options.backend, device: options.device });
  const result = await benchInstant(backend, { runs: options.iterations });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ device: backend.device ?? null, threads: backend.threads ?? null, ...result }, null, 2)}\n`);
    return;
  }
  console.log(`backend: ${backend.kind}${backend.device ? ` ${backend.device}` : ''}${backend.threads ? ` (${backend.threads} threads)` : ''}, executor ${result.executor}`);
  console.table([
    { what: `one look, ${result.fullSize.width}×${result.fullSize.height}`, ms: Math.round(result.fullSizeMs), 'CPU ms': Math.round(result.fullSizeCpuMs) },
    { what: 'nine looks, 256×192 each', ms: Math.round(result.gridMs!), 'CPU ms': Math.round(result.gridCpuMs!) },
  ]);
  console.log(`peak RSS ${Math.round(result.peakRssBytes / 1e6)} MB`);
}

async function printPlacement(options: BenchOptions): Promise<void> {
  const backend = await initBackend({ backend: 'onnx', device: options.device });
  const device = backend.device ?? 'cpu';
  const size = Math.min(...options.sizes);
  const placements = await measurePlacement(device, size);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ device, size, placements }, null, 2)}\n`);
    return;
  }
  console.log(`device: ${device}, ${size}×${size}`);
  console.table(placements.flatMap(({ graph, ops }) => ops.map((o) => ({ graph, provider: o.provider, op: o.op, nodes: o.nodes }))));
  for (const line of describePlacement(placements, device)) console.log(line);
}

async function benchHere(options: BenchOptions): Promise<BackendRun> {
  const backend = await initBackend({ backend: options.backend, device: options.device });
  const results: BenchResult[] = [];
  for (const size of [...options.sizes].sort((a, b) => a - b)) {
    if (!options.json) process.stderr.write(`${backend.kind} ${size}px …\n`);
    results.push(await benchSize(backend, size, options));
  }
  return { backend: backend.kind, device: backend.device ?? null, threads: backend.threads ?? null, results };
}

/** One child process per backend: a process holds one backend, and each gets its own peak memory. */
async function benchEach(backends: BackendChoice[], options: BenchOptions): Promise<BackendRun[]> {
  const runs: BackendRun[] = [];
  for (const backend of backends) {
    if (!options.json) process.stderr.write(`${backend} …\n`);
    const args = [process.argv[1]!, 'bench', '--json', '--backend', backend, '--sizes', options.sizes.join(','),
      '--iterations', String(options.iterations), '--warmup', String(options.warmup), '--optimizer', options.optimizer,
      ...(backend === 'onnx' || backend === 'auto' ? ['--device', options.device] : [])];
    const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 16 * 1024 ** 2 });
    runs.push(JSON.parse(stdout) as BackendRun);
  }
  return runs;
}

function speedups(runs: BackendRun[]): Record<string, Record<string, number>> {
  const [base, ...others] = runs;
  return Object.fromEntries(base!.results.map((r, i) => [
    `${r.size}px`,
    Object.fromEntries(others.map((run) => [run.backend, Number((r.msPerIteration / run.results[i]!.msPerIteration).toFixed(2))])),
  ]));
}

export async function benchSize(backend: BackendInfo, size: number, options: Pick<BenchOptions, 'warmup' | 'iterations' | 'optimizer'>): Promise<BenchResult> {
  const executor = await loadExecutor(backend);
  const stamps: number[] = [];
  const cpuStamps: number[] = [];
  await stylize(executor, { content: pattern(size, size, 1), styles: [pattern(size, size, 2)] }, {
    size, scales: [size], iterations: options.warmup + options.iterations, optimizer: options.optimizer, progressEvery: 1,
  }, {
    previews: false,
    onProgress: (progress) => {
      stamps.push(progress.elapsedMs);
      const { user, system } = process.cpuUsage();
      cpuStamps.push((user + system) / 1000);
    },
  });
  const steps = (values: number[]) => values.slice(options.warmup).map((t, i) => t - values[options.warmup + i - 1]!).filter(Number.isFinite);
  const msPerIteration = median(steps(stamps));
  // Backward to the pixels costs about one more forward pass: the weights get no gradient.
  const flops = 2 * forwardFlops(size, size, 'conv5_1');
  // maxRSS is in kilobytes; it also sees native memory (ONNX Runtime's arena), which heap counters miss.
  return { size, width: size, height: size, msPerIteration, cpuMsPerIteration: median(steps(cpuStamps)), gflops: flops / msPerIteration / 1e6, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}
