import { FAST_STYLES, INSTANT_PREVIEW_SIZE } from '../../common/instant.js';
import type { BackendInfo } from '../engine/index.js';
import { instantStylize } from '../engine/runtime.js';
import { loadFastStyle } from '../services/instant/index.js';
import { pattern } from './pattern.js';

export interface InstantBenchResult {
  backend: string;
  executor: string;
  /** The picture one look is timed on (4:3, `longSide` wide). */
  fullSize: { width: number; height: number };
  /** One look on that picture, median ms. */
  fullSizeMs: number;
  /** All nine looks on a 256×192 picture, as the studio's grid paints them, median ms (unless left out). */
  gridMs?: number;
  /** The same in CPU time of this process (all threads): what the work costs on a shared, loaded machine. */
  fullSizeCpuMs: number;
  gridCpuMs?: number;
  peakRssBytes: number;
}

/**
 * Times instant styles: one look at `longSide` (default 1024 px), and (unless `grid` is false) the
 * nine-look grid at the preview size.
 * The networks are loaded and each run once before timing (loading and first-run kernel setup are
 * not what a person waits for on the second photo).
 */
export async function benchInstant(backend: BackendInfo, { runs, longSide = 1024, grid: withGrid = true }: { runs: number; longSide?: number; grid?: boolean }): Promise<InstantBenchResult> {
  const nets = await Promise.all((withGrid ? FAST_STYLES : (['wave'] as const)).map((name) => loadFastStyle(name, backend)));
  const large = pattern(longSide, Math.round((longSide * 3) / 4), 1);
  const small = pattern(INSTANT_PREVIEW_SIZE, (INSTANT_PREVIEW_SIZE * 3) / 4, 2);
  const options = { strength: 100, keepColors: false };
  let peakRss = process.memoryUsage().rss;
  const time = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    await work();
    const { user, system } = process.cpuUsage(cpu);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { ms: performance.now() - started, cpuMs: (user + system) / 1000 };
  };
  const grid = () => nets.reduce<Promise<unknown>>((previous, net) => previous.then(() => instantStylize(net, small, options, backend.kind)), Promise.resolve());
  const wave = nets.find((net) => net.name === 'wave')!;
  if (withGrid) await grid();
  await instantStylize(wave, large, options, backend.kind);
  const fullSize: { ms: number; cpuMs: number }[] = [];
  const grids: { ms: number; cpuMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    fullSize.push(await time(() => instantStylize(wave, large, options, backend.kind)));
    if (withGrid) grids.push(await time(grid));
  }
  return {
    backend: backend.kind, executor: wave.executor, fullSize: { width: large.width, height: large.height },
    fullSizeMs: median(fullSize.map((t) => t.ms)), fullSizeCpuMs: median(fullSize.map((t) => t.cpuMs)),
    ...(withGrid && { gridMs: median(grids.map((t) => t.ms)), gridCpuMs: median(grids.map((t) => t.cpuMs)) }),
    peakRssBytes: peakRss,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
