// Issue 8's service side through the studio's validating dispatcher, as both doors call it: batches
// with pause and re-order (real render processes, 32 px), the backend list and choice (real probe
// processes), estimates from measured speed, the export folder and "show in folder", and importing a
// folder. The desktop shell (Electron's dialog and shell) is the one stand-in: it records its calls.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, RenderRecord } from '../../src/common/contract/index.js';
import { createStudio, type Studio } from '../../src/main/studio.js';
import { makeTempDir, SAMPLES, STARRY_NIGHT, TUBINGEN } from '../library/support.js';

const GOLDEN_GATE = join(SAMPLES, 'content/golden_gate.jpg');
// Version 2 settings, as the studio's form sends them (settings without a version are read as version 1).
const TINY = { version: 2, size: 32, scales: [32], iterations: 2, progressEvery: 1 };

let dir: string;
let cleanup: () => Promise<void>;
let studio: Studio;
let chosenFolder: string | null = null;
const shown: string[] = [];

async function call<T>(channel: string, payload: unknown = {}): Promise<T> {
  const result = await studio.dispatch(channel, payload);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value as T;
}
async function refused(channel: string, payload: unknown = {}): Promise<string> {
  const result = await studio.dispatch(channel, payload);
  if (result.ok) throw new Error(`${channel} was expected to fail`);
  return result.error.code;
}

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir('atelier-issue8-'));
  studio = await createStudio({
    dataDir: join(dir, 'data'),
    mode: 'desktop',
    version: '0.0.0-test',
    shell: { chooseFolder: async () => chosenFolder, showItemInFolder: (path) => void shown.push(path) },
  });
});
afterAll(async () => {
  await studio?.dispose();
  await cleanup?.();
});

describe('issue 8 services', () => {
  let photos: { id: string; name: string }[];
  let lookId: string;
  let styleId: string;

  it('imports the images directly in a chosen folder, reporting the ones it cannot read', async () => {
    const folder = join(dir, 'holiday');
    await mkdir(join(folder, 'nested'), { recursive: true });
    await copyFile(TUBINGEN, join(folder, 'tubingen.jpg'));
    await copyFile(GOLDEN_GATE, join(folder, 'golden_gate.jpg'));
    await copyFile(STARRY_NIGHT, join(folder, 'nested', 'starry_night.jpg'));
    await writeFile(join(folder, 'notes.jpg'), 'not a picture');
    await writeFile(join(folder, 'notes.txt'), 'not a picture either');

    expect(await call('library:importFolder')).toBeNull(); // dismissed: nothing chosen
    chosenFolder = folder;
    const result = await call<{ folder: string; images: { id: string; name: string }[]; problems: string[] }>('library:importFolder');
    expect(result.folder).toBe(folder);
    expect(result.images.map((i) => i.name)).toEqual(['golden_gate.jpg', 'tubingen.jpg']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain('notes.jpg');
    photos = result.images;
  });

  it('lists every backend with why it cannot start, and refuses one that cannot', async () => {
    const { choice, backends } = await call<{ choice: string; backends: { name: string; available: boolean; reason: string | null }[] }>('backends:list');
    expect(choice).toBe('auto');
    expect(backends.map((b) => b.name)).toEqual(expect.arrayContaining(['tfjs-node', 'wasm', 'cpu']));
    expect(backends.find((b) => b.name === 'wasm')).toEqual({ name: 'wasm', available: true, reason: null });
    const native = backends.find((b) => b.name === 'tfjs-node')!;
    expect(native.available).toBe(false);
    expect(native.reason).toMatch(/\S{10,}/);
    expect(await refused('backends:choose', { name: 'tfjs-node' })).toBe('BACKEND_UNAVAILABLE');
    expect(await refused('backends:choose', { name: 'abacus' })).toBe('BAD_INPUT');
    await call('backends:choose', { name: 'wasm' });
    expect((await call<{ choice: string }>('backends:list')).choice).toBe('wasm');
  });

  it("lists onnx's devices with why each cannot start, keeps a choice of one that can, and refuses the others", async () => {
    type Listed = { device: string; backends: { name: string; devices?: { device: string; available: boolean; reason: string | null }[]; autoDevice?: string }[] };
    const before = await call<Listed>('backends:list');
    expect(before.device).toBe('auto');
    const onnx = before.backends.find((b) => b.name === 'onnx')!;
    expect(onnx.autoDevice).toBe('cpu');
    expect(onnx.devices!.map((d) => [d.device, d.available])).toEqual([['cpu', true], ['cuda', false], ['dml', false], ['coreml', false], ['webgpu', false]]);
    // Only onnx lists devices.
    expect(before.backends.filter((b) => b.devices).map((b) => b.name)).toEqual(['onnx']);

    expect(await refused('backends:chooseDevice', { device: 'cuda' })).toBe('BACKEND_UNAVAILABLE');
    // The name is checked at the door, before the service sees it.
    expect(await refused('backends:chooseDevice', { device: 'tpu' })).toBe('BAD_REQUEST');
    await call('backends:chooseDevice', { device: 'cpu' });
    expect((await call<Listed>('backends:list')).device).toBe('cpu');
    expect(JSON.parse(await readFile(join(dir, 'data', 'preferences.json'), 'utf8'))).toMatchObject({ backend: 'wasm', device: 'cpu' });
    await call('backends:chooseDevice', { device: 'auto' });
  });

  it('estimates from the built-in figure, more for a larger size, and says when the backend cannot hold it', async () => {
    const style = (await call<{ image: { id: string } }>('library:importImage', { name: 'starry_night.jpg', dataBase64: (await readFile(STARRY_NIGHT)).toString('base64') })).image;
    const look = await call<{ id: string }>('library:savePair', { name: 'look', contentId: photos[1]!.id, styles: [{ imageId: style.id, weight: 1 }], settings: TINY });
    lookId = look.id;
    styleId = style.id;
    const ask = (settings: object) => call<{ backend: string; seconds: number; bytes: number; tooLarge: string | null; measured: boolean }>(
      'backends:estimate', { settings, contentId: photos[1]!.id, styleIds: [style.id] });
    const small = await ask(TINY);
    expect(small).toMatchObject({ backend: 'wasm', measured: false, tooLarge: null });
    const large = await ask({ size: 256 });
    expect(large.seconds).toBeGreaterThan(small.seconds);
    expect(large.bytes).toBeGreaterThan(small.bytes);
    expect((await ask({ size: 2048 })).tooLarge).toMatch(/wasm/);
  });

  it('queues a batch paused, re-orders it, and runs it in the new order on the chosen backend', async () => {
    await call('queue:setPaused', { paused: true });
    const started: string[] = [];
    const done = new Promise<void>((resolve) => {
      const finished = new Set<string>();
      studio.onEvent((name, payload) => {
        if (name !== 'queue:job') return;
        const job = payload as Job;
        if (job.state === 'running' && !started.includes(job.id)) started.push(job.id);
        if (['done', 'failed', 'cancelled'].includes(job.state)) finished.add(job.id);
        if (finished.size === 2) resolve();
      });
    });
    const batch = await call<{ batchId: string; jobs: Job[] }>('queue:enqueueBatch', { pairId: lookId, contentIds: photos.map((p) => p.id) });
    expect(batch.jobs.map((j) => j.state)).toEqual(['queued', 'queued']);
    expect(batch.jobs.every((j) => j.batchId === batch.batchId)).toBe(true);
    const pairs = await call<{ id: string; name: string; settings: object }[]>('library:listPairs');
    expect(batch.jobs.map((j) => pairs.find((p) => p.id === j.pairId)!.name)).toEqual(['golden_gate × starry_night', 'tubingen × starry_night']);
    expect(pairs.find((p) => p.id === batch.jobs[0]!.pairId)!.settings).toEqual(TINY);

    // Paused: nothing starts. The second moves ahead of the first.
    expect((await call<{ order: string[] }>('queue:status')).order).toEqual(batch.jobs.map((j) => j.id));
    const moved = await call<{ paused: boolean; order: string[] }>('queue:move', { id: batch.jobs[1]!.id, direction: 'earlier' });
    expect(moved).toEqual({ paused: true, order: [batch.jobs[1]!.id, batch.jobs[0]!.id] });
    expect((await call<Job[]>('queue:list')).every((j) => j.state === 'queued')).toBe(true);

    await call('queue:setPaused', { paused: false });
    await done;
    expect(started).toEqual([batch.jobs[1]!.id, batch.jobs[0]!.id]);
    const jobs = await call<Job[]>('queue:list');
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done']);
    const renders = await call<RenderRecord[]>('library:listRenders');
    expect(renders.map((r) => r.backend)).toEqual(['wasm', 'wasm']);
  });

  it('estimates from the measured renders once there are some', async () => {
    const estimate = await call<{ measured: boolean; seconds: number }>('backends:estimate', { settings: TINY, contentId: photos[0]!.id, styleIds: [styleId] });
    expect(estimate.measured).toBe(true);
    expect(estimate.seconds).toBeGreaterThan(0);
  });

  it('exports to the chosen folder, remembered, and shows only files it exported', async () => {
    const [render] = await call<RenderRecord[]>('library:listRenders');
    expect(await call('export:folder')).toEqual({ folder: join(dir, 'data', 'exports'), canChoose: true });
    chosenFolder = join(dir, 'picked exports');
    await mkdir(chosenFolder);
    expect(await call('export:chooseFolder')).toEqual({ folder: chosenFolder });
    const saved = await call<{ path: string }>('export:render', { renderId: render!.id, format: 'avif', name: 'batch result' });
    expect(saved.path).toBe(join(chosenFolder, 'batch result.avif'));
    await call('export:showInFolder', { path: saved.path });
    expect(shown).toEqual([saved.path]);
    expect(await refused('export:showInFolder', { path: join(dir, 'data', 'library.json') })).toBe('NOT_FOUND');

    // Remembered: a studio opened later on the same data folder exports there too.
    const again = await createStudio({ dataDir: join(dir, 'data'), mode: 'web', version: '0.0.0-test' });
    try {
      const folder = await again.dispatch('export:folder', {});
      expect(folder).toEqual({ ok: true, value: { folder: chosenFolder, canChoose: false } });
      // Web mode has no native dialogs.
      const choose = await again.dispatch('export:chooseFolder', {});
      expect(choose.ok ? 'ok' : choose.error.code).toBe('DESKTOP_ONLY');
      const importFolder = await again.dispatch('library:importFolder', {});
      expect(importFolder.ok ? 'ok' : importFolder.error.code).toBe('DESKTOP_ONLY');
    } finally {
      await again.dispose();
    }
  });
});
