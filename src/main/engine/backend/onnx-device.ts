import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CUDA_INSTALL_COMMAND, ONNX_DEVICE_CHOICES, type OnnxDevice, type OnnxDeviceChoice } from '../../../common/devices.js';
import { AtelierError } from '../../../common/errors.js';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { providerFor } from '../onnx/providers.js';
import { loadOnnxRuntime, type OnnxRuntime } from '../onnx/runtime.js';

export type { OnnxDeviceChoice };

/**
 * What `auto` tries before the CPU, in order. WebGPU is left out: ORT calls it experimental, and on a
 * machine whose only adapter is a software rasterizer it is far slower than the CPU kernels.
 */
const AUTO_ORDER = ['cuda', 'dml', 'coreml'] as const;

/**
 * Picks onnx's execution provider. A provider counts as usable only once a small convolution ran on
 * it: the binding lists providers whose libraries may still be missing (CUDA's are downloaded by the
 * package's install script, which is skipped offline).
 */
export async function pickOnnxDevice(choice: OnnxDeviceChoice): Promise<{ device: string; skipped: { device: string; reason: string }[] }> {
  const ort = await loadOnnxRuntime();
  const listed = new Set(ort.listSupportedBackends().map((b) => b.name));
  if (choice !== 'auto') {
    if (!listed.has(choice)) {
      throw new AtelierError('BAD_SETTINGS', `the ${choice} device is not available in this build of ONNX Runtime for ${process.platform}-${process.arch} (available: ${[...listed].join(', ')})`);
    }
    const failure = await probe(ort, choice);
    if (failure) throw new AtelierError('BAD_SETTINGS', `the ${choice} device could not start: ${failure}`);
    return { device: choice, skipped: [] };
  }
  const skipped: { device: string; reason: string }[] = [];
  for (const device of AUTO_ORDER) {
    if (!listed.has(device)) {
      skipped.push({ device, reason: `not in ONNX Runtime's ${process.platform}-${process.arch} build` });
      continue;
    }
    const failure = await probe(ort, device);
    if (!failure) return { device, skipped };
    skipped.push({ device, reason: failure });
  }
  if (listed.has('webgpu')) skipped.push({ device: 'webgpu', reason: 'experimental: only used when asked for (--device webgpu)' });
  return { device: 'cpu', skipped };
}

/**
 * Every named provider on this machine: whether a small convolution ran on it, and if not, why. For
 * the studio's picker; a render still starts its own provider (pickOnnxDevice).
 */
export async function onnxDeviceStatuses(): Promise<{ device: OnnxDevice; available: boolean; reason: string | null }[]> {
  const ort = await loadOnnxRuntime();
  const listed = new Set(ort.listSupportedBackends().map((b) => b.name));
  const named = ONNX_DEVICE_CHOICES.filter((choice): choice is OnnxDevice => choice !== 'auto');
  const statuses = [];
  for (const device of named) {
    const failure = listed.has(device) ? await probe(ort, device) : `not in ONNX Runtime's ${process.platform}-${process.arch} build`;
    statuses.push({ device, available: !failure, reason: failure ?? null });
  }
  return statuses;
}

/** Runs a 3×3 convolution on the provider; undefined if it worked, else why not. */
async function probe(ort: OnnxRuntime, device: string): Promise<string | undefined> {
  const g = new GraphBuilder();
  const x = g.input('x', [1, 1, 4, 4]);
  g.output(g.op('Conv', [x, g.constant(new Float32Array(9).fill(1), [1, 1, 3, 3])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }), 'y', [1, 1, 4, 4]);
  try {
    // The failure comes back as the error; ORT need not also print it.
    const session = await ort.InferenceSession.create(g.toBytes(), { executionProviders: [providerFor(device)], logSeverityLevel: 4 });
    try {
      const { y } = await session.run({ x: new ort.Tensor('float32', new Float32Array(16).fill(1), [1, 1, 4, 4]) });
      // The centre of a 4×4 field of ones sees all nine taps.
      if ((y!.data as Float32Array)[5] !== 9) return 'it computed a wrong result';
    } finally {
      await session.release();
    }
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    // A failed check inside ORT reads "<source file>:<line> <function> <condition> was false. <why>": the why is what a person can use.
    const why = message.replace(/^\S+\.cc:\d+ .* was false\. /, '');
    return device === 'cuda' && process.platform === 'linux' ? `${why}; ${cudaHint()}` : why;
  }
}

/**
 * What to do about CUDA not starting on Linux: ORT's CUDA provider libraries are not in the package (its install
 * script downloads them, which `npm install` skips here), or they are and CUDA itself is missing.
 */
function cudaHint(): string {
  const binding = dirname(createRequire(import.meta.url).resolve('onnxruntime-node'));
  const library = join(binding, '..', 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so');
  if (!existsSync(library)) return `ONNX Runtime's CUDA provider libraries are not installed: run \`${CUDA_INSTALL_COMMAND}\` in Atelier's folder (it downloads them)`;
  return 'the CUDA provider libraries are installed, so CUDA 12 and cuDNN 9 themselves are probably missing or not on the library path';
}
