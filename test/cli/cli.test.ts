// The built `atelier` command, run as a person runs it: a child process on real files.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atelier as run, content, style, type RunOptions } from './support.js';

let dir: string;
const atelier = (args: string[], options: Omit<RunOptions, 'cwd'> = {}) => run(args, { cwd: dir, ...options });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'atelier-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atelier render', () => {
  it('renders, reports progress, and writes the image and a JSON report', async () => {
    const out = path.join(dir, 'small.png');
    const report = path.join(dir, 'small.json');
    const run = await atelier(['render', '--content', content, '--style', style, '--size', '64', '--scales', '32,64', '--iterations', '6,4',
      '--progress-every', '2', '--seed', '3', '--out', out, '--report', report]);
    expect(run.stderr).toContain('stage 2/2 64px');
    expect(run.stderr).toMatch(/done: .*small\.png \(64×48\)/);
    expect(run.code).toBe(0);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([64, 48, 'png']);
    const json = JSON.parse(await readFile(report, 'utf8'));
    // No native TensorFlow here: auto starts ONNX Runtime on the CPU.
    expect(json.backend).toMatchObject({ kind: 'onnx', device: 'cpu' });
    expect(json.stages.map((s: { size: number; iterations: number }) => [s.size, s.iterations])).toEqual([[32, 6], [64, 4]]);
    expect(json.settings).toMatchObject({ size: 64, scales: [32, 64], seed: 3, optimizer: 'lbfgs' });
    for (const key of ['initial', 'final']) expect(Object.keys(json.losses[key]).sort()).toEqual(['content', 'style', 'total', 'tv']);
    expect(json.losses.final.style).toBeLessThan(json.losses.initial.style);
  });

  it('saves the best image so far on Ctrl-C and exits with 130', async () => {
    const out = path.join(dir, 'interrupted.jpg');
    let sent = false;
    const run = await atelier(['render', '--content', content, '--style', style, '--size', '48', '--scales', '48', '--iterations', '500',
      '--progress-every', '1', '--out', out], {
      onStderr: (text, child) => {
        if (!sent && /48px\s+3\/500/.test(text)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(run.stderr).toContain('cancelled; saved the best image so far');
    expect(run.code).toBe(130);
    expect((await sharp(out).metadata()).format).toBe('jpeg');
  });

  it('explains an unreadable image and writes nothing', async () => {
    const fake = path.join(dir, 'notes.jpg');
    await writeFile(fake, 'these are not pixels');
    const out = path.join(dir, 'never.png');
    const run = await atelier(['render', '--content', fake, '--style', style, '--size', '32', '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/"notes\.jpg" is not an image Atelier can read/);
    await expect(readFile(out)).rejects.toThrow();
  });

  it('says how to install the weights when they are missing', async () => {
    const empty = await mkdtemp(path.join(dir, 'models-'));
    const run = await atelier(['render', '--content', content, '--style', style, '--size', '32', '--models-dir', empty, '--out', path.join(dir, 'x.png')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/models install/);
  });

  it('rejects settings that do not fit together', async () => {
    const run = await atelier(['render', '--content', content, '--style', style, '--size', '64', '--scales', '32,48', '--out', path.join(dir, 'y.png')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the last scale (48) must equal the size (64)');
  });
});

describe('atelier bench', () => {
  it('times backends side by side and prints per-size timings and their ratio as JSON', async () => {
    const run = await atelier(['bench', '--backends', 'wasm,onnx', '--sizes', '32,48', '--iterations', '2', '--warmup', '1', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.runs.map((r: { backend: string; device: string | null }) => [r.backend, r.device])).toEqual([['wasm', null], ['onnx', 'cpu']]);
    for (const { results } of doc.runs) {
      expect(results.map((r: { size: number }) => r.size)).toEqual([32, 48]);
      for (const r of results) {
        expect(r.msPerIteration).toBeGreaterThan(0);
        expect(r.peakRssBytes).toBeGreaterThan(50e6);
      }
    }
    expect(Object.keys(doc.speedup)).toEqual(['32px', '48px']);
    expect(doc.speedup['48px'].onnx).toBeGreaterThan(0);
  });

  it('times instant styles on the backend’s executor: ONNX Runtime for onnx', async () => {
    const run = await atelier(['bench', '--instant', '--backend', 'onnx', '--iterations', '1', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ backend: 'onnx', device: 'cpu', executor: 'onnxruntime-cpu' });
    for (const key of ['fullSizeMs', 'gridMs', 'fullSizeCpuMs', 'gridCpuMs']) expect(doc[key]).toBeGreaterThan(0);
  });

  it('reports where each node ran, from ONNX Runtime’s profiler', async () => {
    const run = await atelier(['bench', '--device', 'cpu', '--placement', '--sizes', '48,32', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ device: 'cpu', size: 32 });
    expect(doc.placements.map((p: { graph: string }) => p.graph)).toEqual(['Gatys targets', 'Gatys objective', 'instant (wave)']);
    for (const { ops, total, onCpu } of doc.placements as { ops: { provider: string; op: string; nodes: number }[]; total: number; onCpu: number }[]) {
      expect(onCpu).toBe(0);
      expect(new Set(ops.map((o) => o.provider))).toEqual(new Set(['CPUExecutionProvider']));
      expect(ops.reduce((n, o) => n + o.nodes, 0)).toBe(total);
      expect(ops.some((o) => o.op === 'Conv')).toBe(true);
    }
  });
});
