import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RgbImage } from '../../common/progress.js';
import { planRender, type NetworkImage, type OnnxDeviceChoice } from '../engine/index.js';
import { BGR_MEAN, initBackend, loadOnnxRuntime, onnxExecutor, onnxFastStyleLoader } from '../engine/runtime.js';
import { loadVggWeights, modelsLocation } from '../services/models/index.js';
import { loadFastStyleWeights } from '../services/models/fast-style.js';
import { benchSize } from './bench-command.js';
import { benchInstant } from './instant-bench.js';
import { pattern } from './pattern.js';
import { profilePrefixes, readPlacements, type GraphPlacement } from './placement.js';

/**
 * How far a device may be from the CPU device and still count as correct.
 * - Objective, relative (terms each; gradient as ‖Δ‖/‖g‖): both compute in float32, but the kernels
 *   sum in different orders (Winograd or im2col against a tiled shader; a tree reduction against a
 *   loop). Each 3×3 convolution of VGG19 adds up to 9·512 products, so its rounding differs by
 *   ~√4608·6e-8 ≈ 4e-6 relative; about 32 convolutions forward and back compound that to ~1e-4, and a
 *   ReLU or max-pool mask that flips where a value is within rounding of zero moves a few gradient
 *   entries. 1e-3 leaves that a tenfold margin, while a wrong kernel (a padding, a transposed weight,
 *   a lost mask) is off by 1e-1 or more.
 * - Instant network, RMSE in grey levels (0…255): a forward pass only, rounded to bytes at the end, so
 *   the two pictures differ by one level at a few pixels; 0.5 allows that, a wrong layer does not.
 */
export const GPU_TOLERANCE = { objective: 1e-3, instantRmse: 0.5 } as const;

export interface DeviceCheck {
  device: string;
  started: boolean;
  /** Why it did not start. */
  reason?: string;
  /** What the device ran on where that is not the machine's own GPU driver (SwiftShader). */
  adapter?: string;
  /** Against the CPU device (absent for the CPU itself). */
  objective?: { size: number; termsError: number; gradError: number };
  instant?: { size: number; rmse: number };
  /** Where the nodes of the compared sessions ran (absent for the CPU itself). */
  placement?: GraphPlacement[];
  bench?: { size: number; msPerIteration: number; cpuMsPerIteration: number }[];
  instantBench?: { width: number; height: number; ms: number };
}

export interface CheckOptions {
  checkSize: number;
  sizes: number[];
  instantSize: number;
  iterations: number;
  bench: boolean;
}

/** Everything check-gpu measures on one device, in this process (one device per process: initBackend holds one). */
export async function checkDevice(device: Exclude<OnnxDeviceChoice, 'auto'>, options: CheckOptions, adapter?: string): Promise<DeviceCheck> {
  let backend;
  try {
    backend = await initBackend({ backend: 'onnx', device });
  } catch (error) {
    return { device, started: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const result: DeviceCheck = { device, started: true, ...(adapter && { adapter }) };
  if (device !== 'cpu') {
    // The device's sessions are profiled: the same run says where their nodes ran.
    const dir = await mkdtemp(join(tmpdir(), 'atelier-check-'));
    try {
      const prefixes = profilePrefixes(dir);
      result.objective = await compareObjective(device, options.checkSize, prefixes.gatys);
      result.instant = await compareInstant(device, options.checkSize * 4, prefixes.instant);
      result.placement = await readPlacements(dir, device);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (options.bench) {
    result.bench = [];
    for (const size of options.sizes) {
      const { msPerIteration, cpuMsPerIteration } = await benchSize(backend, size, { warmup: 1, iterations: options.iterations, optimizer: 'lbfgs' });
      result.bench.push({ size, msPerIteration, cpuMsPerIteration });
    }
    const instant = await benchInstant(backend, { runs: options.iterations, longSide: options.instantSize, grid: false });
    result.instantBench = { ...instant.fullSize, ms: instant.fullSizeMs };
  }
  return result;
}

/** An RGB picture in network space (BGR, minus the channel means), as the executors take it. */
function networkImage({ data, width, height }: RgbImage): NetworkImage {
  const out = new Float32Array(width * height * 3);
  for (let i = 0; i < out.length; i += 3) {
    for (let c = 0; c < 3; c++) out[i + c] = data[i + 2 - c]! - BGR_MEAN[c]!;
  }
  return { data: out, width, height };
}

/** One evaluation of the default objective on the real weights, on `device` (profiled) and on the CPU. */
async function compareObjective(device: string, size: number, profilePrefix: string): Promise<DeviceCheck['objective']> {
  const ort = await loadOnnxRuntime();
  const weights = await loadVggWeights('vgg19', modelsLocation());
  const [content, style, image] = [1, 2, 3].map((seed) => networkImage(pattern(size, size, seed))) as [NetworkImage, NetworkImage, NetworkImage];
  const plan = planRender({ size, scales: [size] }, { content, styles: [style] });
  const evaluate = async (executionProvider: string) => {
    const prepared = await onnxExecutor({ ort, weights, executionProvider, ...(executionProvider === device && { profilePrefix }) }).prepare({ plan, stage: plan.stages[0]!, content, styles: [style] });
    try {
      return await prepared.evaluate(image.data);
    } finally {
      prepared.dispose();
    }
  };
  const [ours, cpu] = [await evaluate(device), await evaluate('cpu')];
  const termsError = Math.max(...(['content', 'style', 'tv'] as const).map((t) => Math.abs(ours.terms[t] - cpu.terms[t]) / Math.abs(cpu.terms[t])));
  let [diff, norm] = [0, 0];
  for (let i = 0; i < cpu.grad.length; i++) {
    diff += (ours.grad[i]! - cpu.grad[i]!) ** 2;
    norm += cpu.grad[i]! ** 2;
  }
  return { size, termsError, gradError: Math.sqrt(diff / norm) };
}

/** The wave network on a `size`×¾ picture, on `device` (profiled) and on the CPU: RMSE of the painted pixels. */
async function compareInstant(device: string, size: number, profilePrefix: string): Promise<DeviceCheck['instant']> {
  const ort = await loadOnnxRuntime();
  const weights = await loadFastStyleWeights('wave', modelsLocation());
  const photo = pattern(size, Math.round((size * 3) / 4), 4);
  const paint = async (executionProvider: string) => {
    const net = await onnxFastStyleLoader({ ort, executionProvider, ...(executionProvider === device && { profilePrefix }) })(weights);
    try {
      return await net.stylize(photo);
    } finally {
      net.dispose();
    }
  };
  const [ours, cpu] = [await paint(device), await paint('cpu')];
  let sum = 0;
  for (let i = 0; i < cpu.data.length; i++) sum += (ours.data[i]! - cpu.data[i]!) ** 2;
  return { size, rmse: Math.sqrt(sum / cpu.data.length) };
}
