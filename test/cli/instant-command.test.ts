// `atelier instant`, built and run as a person runs it, on the shared development weights.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const content = path.resolve(root, '../shared/images/content/tubingen.jpg');
const style = path.resolve(root, '../shared/images/style/starry_night.jpg');
const SHARED_MODELS = path.resolve(root, '../shared/models');
let dir: string;

function atelier(args: string[], modelsDir = SHARED_MODELS): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/atelier.js'), ...args, '--models-dir', modelsDir], {
      env: { ...process.env, ATELIER_BACKEND: 'wasm' },
      cwd: dir,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'atelier-instant-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('atelier instant', () => {
  it('paints one look at the asked size and strength, the same bytes on every run', async () => {
    const out = path.join(dir, 'wave.png');
    const args = ['instant', '--net', 'wave', '--content', content, '--strength', '80', '--size', '64', '--out', out, '--backend', 'onnx'];
    const run = await atelier(args);
    expect(run.stderr).toMatch(/done: .*wave\.png \(64×48, wave at 80%\) in \d+s on onnxruntime-cpu/);
    expect(run.code).toBe(0);
    const first = await readFile(out);
    expect(await sharp(first).metadata()).toMatchObject({ format: 'png', width: 64, height: 48 });
    await atelier(args);
    expect((await readFile(out)).equals(first)).toBe(true);
  });

  it('runs the network on the backend’s executor, with the same picture on each', async () => {
    const onOnnx = path.join(dir, 'onnx.png');
    const onWasm = path.join(dir, 'wasm.png');
    const args = ['instant', '--net', 'mathura', '--content', content, '--size', '48'];
    expect((await atelier([...args, '--out', onOnnx, '--backend', 'onnx'])).stderr).toMatch(/on onnxruntime-cpu/);
    expect((await atelier([...args, '--out', onWasm, '--backend', 'wasm'])).stderr).toMatch(/on tfjs-wasm/);
    const [a, b] = await Promise.all([onOnnx, onWasm].map((file) => sharp(file).raw().toBuffer()));
    // Rounded to bytes, a value at a half can fall either way: at most one step apart.
    expect(a!.reduce((max, v, i) => Math.max(max, Math.abs(v - b![i]!)), 0)).toBeLessThanOrEqual(1);
  });

  it('puts all nine looks on a titled contact sheet with --net all', async () => {
    const out = path.join(dir, 'sheet.png');
    const run = await atelier(['instant', '--net', 'all', '--content', content, '--size', '32', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/^\w+: \d+ ms$/gm)).toHaveLength(9);
    // Three columns and rows of 32×24 pictures, each with a 28 px title, 8 px apart.
    expect(await sharp(out).metadata()).toMatchObject({ width: 8 + 3 * (32 + 8), height: 8 + 3 * (24 + 28 + 8) });
  });

  it('a result can start a Gatys render (--init <file>)', async () => {
    const start = path.join(dir, 'start.png');
    await atelier(['instant', '--net', 'udnie', '--content', content, '--size', '32', '--out', start]);
    const out = path.join(dir, 'gatys.png');
    const run = await atelier(['render', '--content', content, '--style', style, '--init', start, '--size', '32', '--scales', '32', '--iterations', '2', '--out', out]);
    expect(run.code).toBe(0);
    expect(await sharp(out).metadata()).toMatchObject({ width: 32, height: 24 });
  });

  it('says how to install a missing network, and refuses a strength out of range', async () => {
    const missing = await atelier(['instant', '--net', 'scream', '--content', content, '--out', path.join(dir, 'x.png')], path.join(dir, 'none'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/fast-style network "scream" not installed in .*`npm run models:install`/);
    const strong = await atelier(['instant', '--net', 'scream', '--content', content, '--strength', '150', '--out', path.join(dir, 'y.png')]);
    expect(strong.code).toBe(2);
    expect(strong.stderr).toMatch(/'--strength <percent>' argument '150' is invalid\. Expected a number from 0 to 100\./);
  });
});
