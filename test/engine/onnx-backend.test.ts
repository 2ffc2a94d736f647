// What 'auto' picks on this machine (no native TensorFlow, ONNX Runtime's CPU build), and how onnx's
// execution providers are chosen and refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { AtelierError } from '../../src/common/errors.js';
import { initBackend, type BackendInfo } from '../../src/main/engine/backend/index.js';
import { onnxDeviceStatuses, pickOnnxDevice } from '../../src/main/engine/backend/onnx-device.js';
import * as tf from '../../src/main/engine/tf.js';

let info: BackendInfo;
beforeAll(async () => {
  info = await initBackend();
});

describe("initBackend 'auto'", () => {
  it('picks onnx after the missing tfjs-node-gpu, saying why it was passed over', () => {
    expect(info.kind).toBe('onnx');
    expect(info.skipped.map((s) => s.kind)).toEqual(['tfjs-node-gpu']);
    expect(info.skipped[0]!.reason).toMatch(/\S/);
    expect(info.skipped[0]!.reason).not.toContain('\n');
    // Image scaling around the optimization, and instant styles, run on tfjs's WebAssembly backend.
    expect(tf.getBackend()).toBe('wasm');
    expect(info.tfName).toBe('wasm');
  });

  it('falls back to the CPU provider, with a reason for each GPU provider', () => {
    expect(info.device).toBe('cpu');
    const reasons = Object.fromEntries(info.deviceSkipped!.map((s) => [s.device, s.reason]));
    expect(Object.keys(reasons)).toEqual(['cuda', 'dml', 'coreml', 'webgpu']);
    // CUDA is in the Linux x64 binding, but its provider libraries were not downloaded (offline install).
    expect(reasons.cuda).toMatch(/\S/);
    expect(reasons.dml).toMatch(/not in ONNX Runtime's linux-x64 build/);
    expect(reasons.webgpu).toMatch(/only used when asked for/);
  });
});

describe('pickOnnxDevice', () => {
  it('takes cpu when asked', async () => {
    expect(await pickOnnxDevice('cpu')).toEqual({ device: 'cpu', skipped: [] });
  });

  it.each(['dml', 'coreml'] as const)('refuses %s, which this platform has no build of, naming what there is', async (device) => {
    const error = await pickOnnxDevice(device).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtelierError);
    expect((error as AtelierError).code).toBe('BAD_SETTINGS');
    expect((error as Error).message).toMatch(new RegExp(`the ${device} device is not available in this build of ONNX Runtime for linux-x64 \\(available: cpu, webgpu, cuda`));
  });

  it('refuses cuda, whose provider libraries are not installed, with the reason', async () => {
    const error = await pickOnnxDevice('cuda').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtelierError);
    expect((error as Error).message).toMatch(/^the cuda device could not start: \S/);
  });

  it('refuses --device with a tfjs backend', async () => {
    await expect(initBackend({ backend: 'wasm', device: 'cpu' })).rejects.toThrow('--device cpu applies to the onnx backend, not wasm');
  });
});

describe('onnxDeviceStatuses', () => {
  it('tries every named provider: the CPU runs here, each other one says why not', async () => {
    const statuses = await onnxDeviceStatuses();
    expect(statuses.map((s) => s.device)).toEqual(['cpu', 'cuda', 'dml', 'coreml', 'webgpu']);
    expect(statuses[0]).toEqual({ device: 'cpu', available: true, reason: null });
    const byDevice = Object.fromEntries(statuses.map((s) => [s.device, s]));
    expect(byDevice.cuda).toMatchObject({ available: false, reason: expect.stringMatching(/\S/) });
    expect(byDevice.dml).toEqual({ device: 'dml', available: false, reason: "not in ONNX Runtime's linux-x64 build" });
    // No adapter here; ORT's failed check would name its source file and condition before the reason.
    expect(byDevice.webgpu).toMatchObject({ available: false, reason: expect.stringMatching(/^Failed to get a WebGPU adapter/) });
    for (const status of statuses) expect(status.reason ?? '').not.toMatch(/\.cc:\d+|\n/);
  });
});
