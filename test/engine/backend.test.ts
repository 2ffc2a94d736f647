// Backend selection when wasm is asked for, and whether the threaded WebAssembly backend really
// computes on every core. What 'auto' picks (onnx here) is in onnx-backend.test.ts: one backend per process.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { activeBackend, initBackend, type BackendInfo } from '../../src/main/engine/backend/index.js';
import { backendFromEnvironment } from '../../src/main/services/backends/index.js';
import * as tf from '../../src/main/engine/tf.js';
import { expectNoTensorLeaks } from './support.js';

let info: BackendInfo;
beforeAll(async () => {
  // The environment cannot choose for the engine: a setting it has is what the entry points pass in.
  process.env.ATELIER_BACKEND = 'cpu';
  process.env.ATELIER_WASM_THREADS = '1';
  info = await initBackend({ backend: 'wasm' });
  delete process.env.ATELIER_BACKEND;
  delete process.env.ATELIER_WASM_THREADS;
});
expectNoTensorLeaks();

describe('initBackend', () => {
  it('starts wasm when asked for it, passing nothing over', () => {
    expect(info.kind).toBe('wasm');
    expect(info.tfName).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.skipped).toEqual([]);
    expect(activeBackend()).toBe(info);
  });

  it('runs wasm with one thread per core, up to 8', () => {
    expect(info.threads).toBe(Math.min(8, os.availableParallelism()));
  });

  it('answers again with the backend it started, and refuses to start another beside it', async () => {
    expect(await initBackend({ backend: 'auto' })).toBe(info);
    expect(await initBackend({ backend: 'wasm' })).toBe(info);
    await expect(initBackend({ backend: 'cpu' })).rejects.toThrow(/wasm backend is already active/);
    expect(tf.getBackend()).toBe('wasm');
  });

});

describe('ATELIER_BACKEND, as the studio\'s entry points read it', () => {
  it('names a backend, or nothing when unset', () => {
    expect(backendFromEnvironment({ ATELIER_BACKEND: 'wasm' })).toBe('wasm');
    expect(backendFromEnvironment({})).toBeUndefined();
  });

  it('refuses a name that is not a backend, listing the choices', () => {
    expect(() => backendFromEnvironment({ ATELIER_BACKEND: 'gpu' })).toThrow('ATELIER_BACKEND="gpu" is not one of auto, tfjs-node-gpu, onnx, tfjs-node, wasm, cpu');
  });
});

/** CPU time (clock ticks) each thread of this process has used so far, by thread id (Linux /proc). */
function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the parenthesized name; utime and stime are fields 14 and 15 of the line.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return ticks;
}

describe.skipIf(process.platform !== 'linux')('threaded wasm', () => {
  // Counted in CPU time per thread over a fixed number of convolutions, not in wall-clock windows: a
  // busy machine makes the convolutions slower but does not move the work from one thread to another.
  it('splits a large convolution across two threads', () => {
    expect(os.availableParallelism()).toBeGreaterThanOrEqual(2);
    const [x, w] = tf.tidy(() => [tf.randomNormal([1, 256, 256, 64], 0, 1, 'float32', 1), tf.randomNormal([3, 3, 64, 64], 0, 0.1, 'float32', 2)]) as [tf.Tensor4D, tf.Tensor4D];
    let used: number[];
    try {
      // One warm-up convolution, outside the measurement.
      tf.conv2d(x, w, 1, 'same').dispose();
      const before = threadTicks();
      for (let i = 0; i < 8; i++) {
        const y = tf.conv2d(x, w, 1, 'same');
        y.dataSync();
        y.dispose();
      }
      used = [...threadTicks()].map(([tid, ticks]) => ticks - (before.get(tid) ?? 0)).sort((a, b) => b - a);
    } finally {
      tf.dispose([x, w]);
    }
    const total = used.reduce((sum, ticks) => sum + ticks, 0);
    // Single-threaded, one thread does it all; split, the second busiest does about half (≥ 20% allows
    // for a thread that the scheduler held back while the other stole its share).
    expect(total).toBeGreaterThan(0);
    expect(used[1]! / total, `CPU ticks per thread: ${used.filter((t) => t > 0).join(', ')}`).toBeGreaterThanOrEqual(0.2);
  });
});
