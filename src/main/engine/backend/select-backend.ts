import os from 'node:os';
import type { BackendChoice, BackendKind } from '../../../common/backends.js';
import { AtelierError } from '../../../common/errors.js';
import * as tf from '../tf.js';
import { pickOnnxDevice, type OnnxDeviceChoice } from './onnx-device.js';
import { registerThreadedWasm } from './wasm-threaded.js';

export type { BackendChoice, BackendKind };

export interface BackendInfo {
  kind: BackendKind;
  /** tfjs's own name for it: 'tensorflow' for both native bindings. */
  tfName: string;
  /** Threads the backend computes with, where it says (wasm). */
  threads?: number;
  /** Why better backends were passed over, in preference order. */
  skipped: { kind: BackendKind; reason: string }[];
  /** onnx only: the execution provider it runs on, and why better ones were passed over. */
  device?: string;
  deviceSkipped?: { device: string; reason: string }[];
}

/**
 * onnx comes right after a working tfjs-node-gpu: on CPU its native kernels measured about 6× faster
 * than wasm here, and faster than libtensorflow's CPU build is expected to be (not measured: it cannot
 * be installed here). See README, Backends.
 */
const PREFERENCE: BackendKind[] = ['tfjs-node-gpu', 'onnx', 'tfjs-node', 'wasm', 'cpu'];

export interface BackendOptions {
  /** 'auto' (default) takes the first that loads. */
  backend?: BackendChoice;
  /** WebAssembly threads; defaults to the machine's core count (at most 8). */
  wasmThreads?: number;
  /** onnx's execution provider (default auto); naming one other than auto implies the onnx backend. */
  device?: OnnxDeviceChoice;
}

let active: BackendInfo | undefined;

/**
 * Picks and initializes the tfjs backend once per process: the native TensorFlow bindings (GPU, then
 * CPU) when installed, else multithreaded WebAssembly, else plain JS. Asking for one backend by name
 * fails loudly instead of falling back, so a benchmark never measures the wrong thing.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const device = options.device ?? 'auto';
  let choice = options.backend ?? 'auto';
  if (device !== 'auto') {
    if (choice === 'auto') choice = 'onnx';
    if (choice !== 'onnx') throw new AtelierError('BAD_SETTINGS', `--device ${device} applies to the onnx backend, not ${choice}`);
  }
  if (active && (choice === 'auto' || choice === active.kind) && (device === 'auto' || device === active.device)) return active;
  if (active) throw new Error(`the ${active.kind} backend is already active in this process; ${choice} cannot be started beside it`);

  const candidates = choice === 'auto' ? PREFERENCE : [choice];
  const skipped: BackendInfo['skipped'] = [];
  for (const kind of candidates) {
    try {
      active = { ...(await start(kind, options)), skipped };
      return active;
    } catch (error) {
      // A device asked for by name that cannot run is the answer, not a reason to try something else.
      if (error instanceof AtelierError) throw error;
      skipped.push({ kind, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    }
  }
  const detail = skipped.map((s) => `${s.kind}: ${s.reason}`).join('; ');
  throw new Error(`no TensorFlow.js backend could start (${detail})`);
}

/** The backend chosen by initBackend, for reports. */
export function activeBackend(): BackendInfo | undefined {
  return active;
}

async function start(kind: BackendKind, options: BackendOptions): Promise<Omit<BackendInfo, 'skipped'>> {
  switch (kind) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      // Optional dependencies: their absence (no prebuilt libtensorflow here) is the normal case.
      await import(kind === 'tfjs-node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
      await setBackendOrThrow('tensorflow');
      return { kind, tfName: 'tensorflow' };
    }
    case 'wasm':
      return { kind, tfName: 'wasm', threads: await startWasm(options) };
    case 'onnx': {
      const { device, skipped } = await pickOnnxDevice(options.device ?? 'auto');
      // tfjs still scales and converts the images around the optimization and around instant styles'
      // forward pass: on WebAssembly, as where onnx is missing, not on plain JS.
      await startWasm(options);
      return { kind, tfName: 'wasm', device, deviceSkipped: skipped, threads: os.availableParallelism() };
    }
    case 'cpu':
      await setBackendOrThrow('cpu');
      return { kind, tfName: 'cpu', threads: 1 };
  }
}

/** Starts tfjs's WebAssembly backend; returns its thread count. */
async function startWasm(options: BackendOptions): Promise<number> {
  const threads = options.wasmThreads ?? Math.min(8, os.availableParallelism());
  if (threads > 1) registerThreadedWasm(threads);
  await setBackendOrThrow('wasm');
  const { getThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  return getThreadsCount();
}

async function setBackendOrThrow(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tfjs could not initialize the '${name}' backend`);
  await tf.ready();
}
