// Backend selection, and whether the threaded WebAssembly backend really computes on every core.
// 'auto' lands on the first backend that starts: wasm here, a native binding where the optional
// tfjs-node packages installed and load; the wasm tests only apply when wasm is the one running.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { activeBackend, initBackend, type BackendInfo } from '../../src/main/engine/backend/index.js';
import * as tf from '../../src/main/engine/tf.js';
import { expectNoTensorLeaks } from './support.js';

// The defaults are what is under test; the environment must not choose for us.
const savedEnv = { backend: process.env.ATELIER_BACKEND, threads: process.env.ATELIER_WASM_THREADS };
delete process.env.ATELIER_BACKEND;
delete process.env.ATELIER_WASM_THREADS;

const info: BackendInfo = await initBackend();
const onWasm = info.kind === 'wasm';
afterEach(() => {
  process.env.ATELIER_BACKEND = savedEnv.backend;
  if (savedEnv.backend === undefined) delete process.env.ATELIER_BACKEND;
});
expectNoTensorLeaks();

describe('initBackend', () => {
  it('picks the first backend that starts, saying why each better one was passed over', () => {
    const preference = ['tfjs-node-gpu', 'tfjs-node', 'wasm'];
    expect(preference).toContain(info.kind);
    expect(tf.getBackend()).toBe(info.tfName);
    expect(info.skipped.map((s) => s.kind)).toEqual(preference.slice(0, preference.indexOf(info.kind)));
    for (const { kind, reason } of info.skipped) {
      expect(reason, kind).toMatch(/\S/);
      expect(reason, kind).not.toContain('\n');
    }
    expect(activeBackend()).toBe(info);
  });

  it.skipIf(!onWasm)('runs wasm with one thread per core, up to 8', () => {
    expect(info.threads).toBe(Math.min(8, os.availableParallelism()));
  });

  it('answers again with the backend it started, and refuses to start another beside it', async () => {
    expect(await initBackend()).toBe(info);
    expect(await initBackend({ backend: info.kind })).toBe(info);
    await expect(initBackend({ backend: 'cpu' })).rejects.toThrow(`${info.kind} backend is already active`);
    expect(tf.getBackend()).toBe(info.tfName);
  });

  it('rejects an invalid ATELIER_BACKEND with the valid choices', async () => {
    process.env.ATELIER_BACKEND = 'gpu';
    await expect(initBackend()).rejects.toThrow('ATELIER_BACKEND="gpu" is not one of auto, tfjs-node-gpu, tfjs-node, wasm, cpu');
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

describe.skipIf(!onWasm || process.platform !== 'linux')('threaded wasm', () => {
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
