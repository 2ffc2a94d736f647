// The render queue with real worker processes running the real engine (wasm backend, the installed
// VGG19 weights) at tiny sizes. The library is a small stand-in on real files: the library service
// is built beside this one and is not importable yet.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Pair, RenderRecord } from '../../src/common/contract/index.js';
import { AtelierError } from '../../src/common/errors.js';
import { writeImage } from '../../src/main/services/images/index.js';
import { createQueue, type NewRender, type QueueService } from '../../src/main/services/queue/index.js';
import { renderWorkerPath } from '../../src/main/services/queue/render-process.js';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const images = path.resolve(root, '../shared/images');
const FILES: Record<string, string> = {
  'content-tubingen': path.join(images, 'content/tubingen.jpg'),
  'style-starry-night': path.join(images, 'style/starry_night.jpg'),
  'style-the-scream': path.join(images, 'style/the_scream.jpg'),
};
const QUICK: Pair['settings'] = { size: 48, scales: [48], iterations: 6, progressEvery: 1 };
/** Long enough to be cancelled or killed mid-render, and never reach its end in a test. */
const LONG: Pair['settings'] = { ...QUICK, iterations: 5000 };
/** The same backend on every machine. */
const onWasm = async () => ({ backend: 'wasm' as const });

let dir: string;
let queue: QueueService;

beforeAll(async () => {
  // The worker runs as compiled JS from dist/: build it from the current source. tsc writes the JS even
  // when some other file has a type error (reporting those is the typecheck's job), so what decides
  // here is whether a fresh worker came out.
  const worker = renderWorkerPath();
  await rm(worker, { force: true });
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (!existsSync(worker)) throw new Error(`the render worker did not build:\n${build.stdout}${build.stderr}`);
  dir = await mkdtemp(path.join(tmpdir(), 'atelier-queue-'));
});
afterEach(async () => {
  await queue?.dispose();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A library that keeps pairs in memory and writes renders as PNG files, as the real one will. */
function fakeLibrary() {
  const pairs = new Map<string, Pair>();
  const renders: (RenderRecord & { file: string })[] = [];
  return {
    renders,
    addPair(settings: Pair['settings'], { content = true, initImageId }: { content?: boolean; initImageId?: string } = {}): Pair {
      const now = new Date().toISOString();
      const pair: Pair = {
        id: randomUUID(), name: `pair ${pairs.size + 1}`, contentId: content ? 'content-tubingen' : null,
        styles: [{ imageId: 'style-starry-night', weight: 2 }, { imageId: 'style-the-scream', weight: 1 }],
        settings, presetId: null, ...(initImageId && { initImageId }), createdAt: now, updatedAt: now,
      };
      pairs.set(pair.id, pair);
      return pair;
    },
    getPair(id: string): Pair {
      const pair = pairs.get(id);
      if (!pair) throw new AtelierError('NOT_FOUND', `no pair ${id}`);
      return pair;
    },
    imageFile: (id: string) => FILES[id]!,
    getImage: (id: string) => ({ name: path.basename(FILES[id]!) }),
    async savePair(input: Omit<Pair, 'id' | 'createdAt' | 'updatedAt'>): Promise<Pair> {
      const now = new Date().toISOString();
      const pair: Pair = { ...input, id: randomUUID(), createdAt: now, updatedAt: now };
      pairs.set(pair.id, pair);
      return pair;
    },
    async addRender({ image, ...record }: NewRender): Promise<RenderRecord> {
      const saved = { ...record, id: randomUUID(), file: path.join(dir, `${renders.length}.png`) };
      await writeImage(saved.file, image);
      renders.push(saved);
      return saved;
    },
  };
}

/** The first change, from now on, of job `id` that passes `test`. */
function change(id: string, test: (job: Job) => boolean): Promise<Job> {
  return new Promise((resolve) => {
    const stop = queue.onDidChangeJob((job) => {
      if (job.id === id && test(job)) {
        stop();
        resolve(job);
      }
    });
  });
}
const ended = (id: string) => change(id, (job) => ['done', 'failed', 'cancelled'].includes(job.state));
const progressed = (id: string) => change(id, (job) => job.progress !== null);

function record(): Job[] {
  const events: Job[] = [];
  queue.onDidChangeJob((job) => events.push(job));
  return events;
}

/** Render workers that are children of this process (the test runner's fork). */
function workerPids(): number[] {
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.includes('render-worker.js')).map((line) => Number.parseInt(line, 10));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('render queue', () => {
  it('runs a job to done off the main event loop: progress, changing previews, a saved render, a notification', async () => {
    const library = fakeLibrary();
    const notes: { title: string; body: string }[] = [];
    queue = createQueue({ engine: onWasm, library, notify: (note) => notes.push(note) });
    const events = record();
    // Timer ticks, counted per phase: a render blocking this loop would leave a phase without any.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    const pair = library.addPair(QUICK);
    const job = await queue.enqueue({ pairId: pair.id });
    expect(job).toMatchObject({ pairId: pair.id, state: 'running', progress: null, renderId: null, error: null });
    await progressed(job.id);
    const ticksWhileStarting = ticks;
    const last = await ended(job.id);
    clearInterval(timer);

    // Starting the engine and loading the network take seconds, and the loop ticked all through; it
    // went on ticking while the worker painted. Counts, not gaps: a busy machine only adds ticks.
    expect(ticksWhileStarting).toBeGreaterThan(5);
    expect(ticks).toBeGreaterThan(ticksWhileStarting);
    expect(last).toMatchObject({ state: 'done', error: null });
    const progress = events.filter((e) => e.state === 'running' && e.progress).map((e) => e.progress!);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.at(-1)).toMatchObject({ stage: 0, stages: 1, stageSize: 48, total: 6 });
    // L-BFGS's first step is capped at an L1 length of 1 over the whole picture, which in version 2's
    // relative units a 48 px JPEG preview need not show; every later step changes the picture.
    expect(new Set(progress.map((p) => p.previewJpegBase64)).size).toBeGreaterThanOrEqual(5);
    expect(progress[1]!.previewJpegBase64).not.toBe(progress.at(-1)!.previewJpegBase64);
    expect(Buffer.from(progress[0]!.previewJpegBase64!, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(last.lossHistory).toEqual(progress.map((p) => p.losses.total));

    const [render] = library.renders;
    expect(last.renderId).toBe(render!.id);
    expect(render).toMatchObject({ pairId: pair.id, settings: QUICK, backend: 'wasm', cancelled: false, width: 48, height: 36 });
    expect(render!.losses.final.total).toBeLessThan(render!.losses.initial.total);
    expect(await sharp(render!.file).metadata()).toMatchObject({ width: 48, height: 36 });
    expect(notes).toEqual([{ title: 'Render finished', body: expect.stringMatching(/^pair 1: 48×36 in \d+ s$/) }]);
    expect(await queue.list({})).toEqual([last]);
    expect(workerPids()).toEqual([]);
  });

  it('runs jobs one at a time, first in first out', async () => {
    const library = fakeLibrary();
    queue = createQueue({ engine: onWasm, library });
    const events = record();
    const first = await queue.enqueue({ pairId: library.addPair(QUICK).id });
    const second = await queue.enqueue({ pairId: library.addPair(QUICK).id });
    expect((await queue.list({})).map((j) => j.state)).toEqual(['running', 'queued']);
    await ended(second.id);

    const transitions = events.filter((e, i) => e.state !== events.slice(0, i).findLast((p) => p.id === e.id)?.state);
    expect(transitions.map((e) => [e.id, e.state])).toEqual([
      [first.id, 'queued'], [first.id, 'running'], [second.id, 'queued'], [first.id, 'done'], [second.id, 'running'], [second.id, 'done'],
    ]);
    expect(library.renders.map((r) => r.pairId)).toEqual([first.pairId, second.pairId]);
  });

  it('cancels a queued job at once', async () => {
    const library = fakeLibrary();
    queue = createQueue({ engine: onWasm, library });
    const running = await queue.enqueue({ pairId: library.addPair(LONG).id });
    const waiting = await queue.enqueue({ pairId: library.addPair(QUICK).id });
    const cancelled = change(waiting.id, () => true);
    await queue.cancel({ id: waiting.id });
    expect(await cancelled).toMatchObject({ state: 'cancelled', renderId: null, progress: null });
    expect((await queue.list({})).map((j) => [j.id, j.state])).toEqual([[running.id, 'running'], [waiting.id, 'cancelled']]);
    await queue.clearFinished({});
    expect((await queue.list({})).map((j) => j.id)).toEqual([running.id]);
  });

  it('stops a running job within an iteration and saves the best image so far', async () => {
    const library = fakeLibrary();
    const notes: unknown[] = [];
    queue = createQueue({ engine: onWasm, library, notify: (note) => notes.push(note) });
    const job = await queue.enqueue({ pairId: library.addPair(LONG).id });
    const seen = await progressed(job.id);
    const last = ended(job.id);
    await queue.cancel({ id: job.id });
    const final = await last;

    expect(final.state).toBe('cancelled');
    // One iteration may finish before the worker reads the message, and events already on their way
    // land after it; more than that would mean the render did not stop.
    expect(final.progress!.done).toBeLessThanOrEqual(seen.progress!.done + 3);
    const [render] = library.renders;
    expect(final.renderId).toBe(render!.id);
    expect(render).toMatchObject({ cancelled: true, width: 48, height: 36 });
    expect(await sharp(render!.file).metadata()).toMatchObject({ width: 48, height: 36 });
    expect(notes).toEqual([]);
  });

  it('fails a crashed render with RENDER_CRASHED and goes on with the next job', async () => {
    const library = fakeLibrary();
    const notes: { title: string; body: string }[] = [];
    queue = createQueue({ engine: onWasm, library, notify: (note) => notes.push(note) });
    const doomed = await queue.enqueue({ pairId: library.addPair(LONG).id });
    const next = await queue.enqueue({ pairId: library.addPair(QUICK).id });
    await progressed(doomed.id);
    const [failed, after] = [ended(doomed.id), ended(next.id)];
    const pids = workerPids();
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, 'SIGKILL');

    expect(await failed).toMatchObject({
      state: 'failed', renderId: null,
      error: { code: 'RENDER_CRASHED', message: 'the render process stopped unexpectedly (killed by SIGKILL)' },
    });
    expect(await after).toMatchObject({ state: 'done', error: null });
    expect(notes.map((n) => n.title)).toEqual(['Render failed', 'Render finished']);
  });

  it("starts from the pair's starting picture when its settings say init 'image'", async () => {
    const library = fakeLibrary();
    queue = createQueue({ engine: onWasm, library });
    // No iterations: the render is its starting point, so which picture that was shows in the result.
    const still = { ...QUICK, iterations: 0 };
    const fromPhoto = await queue.enqueue({ pairId: library.addPair(still, { initImageId: 'style-the-scream' }).id });
    const fromPicture = await queue.enqueue({ pairId: library.addPair({ ...still, init: 'image' }, { initImageId: 'style-the-scream' }).id });
    expect(await ended(fromPhoto.id)).toMatchObject({ state: 'done' });
    expect(await ended(fromPicture.id)).toMatchObject({ state: 'done' });
    const [photo, start] = library.renders;
    // The render remembers the picture it started from; one that did not start from it does not.
    expect(start!.initImageId).toBe('style-the-scream');
    expect(photo!.initImageId).toBeUndefined();
    const pixels = async (file: string) => new Uint8Array(await sharp(file).raw().toBuffer());
    const expected = async (file: string) => new Uint8Array(await sharp(file).resize(48, 36, { fit: 'fill' }).raw().toBuffer());
    const distance = (a: Uint8Array, b: Uint8Array) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
    const [got, photoPixels, screamPixels] = await Promise.all([pixels(start!.file), expected(FILES['content-tubingen']!), expected(FILES['style-the-scream']!)]);
    expect(distance(got, screamPixels)).toBeLessThan(distance(got, photoPixels) / 3);
    expect(distance(await pixels(photo!.file), photoPixels)).toBeLessThan(distance(await pixels(photo!.file), screamPixels) / 3);
  });

  it('refuses a batch of a pair that starts from a picture, before queueing anything', async () => {
    const library = fakeLibrary();
    queue = createQueue({ engine: onWasm, library });
    const pair = library.addPair({ ...QUICK, init: 'image' }, { initImageId: 'style-the-scream' });
    await expect(queue.enqueueBatch({ pairId: pair.id, contentIds: ['content-tubingen'] }))
      .rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/starts from a picture .* set Start from to another choice/) as unknown });
    expect(await queue.list({})).toEqual([]);
  });

  it("fails a transfer job whose pair has no content photo with the engine's message", async () => {
    const library = fakeLibrary();
    queue = createQueue({ engine: onWasm, library });
    const job = await queue.enqueue({ pairId: library.addPair(QUICK, { content: false }).id });
    expect(await ended(job.id)).toMatchObject({
      state: 'failed', error: { code: 'BAD_INPUT', message: 'the style transfer mode needs a content image' },
    });
    expect(library.renders).toEqual([]);
  });

  it('kills the running worker on dispose', async () => {
    const library = fakeLibrary();
    queue = createQueue({ engine: onWasm, library });
    const job = await queue.enqueue({ pairId: library.addPair(LONG).id });
    await progressed(job.id);
    const [pid] = workerPids();
    expect(isAlive(pid!)).toBe(true);
    await queue.dispose();
    expect(isAlive(pid!)).toBe(false);
    expect((await queue.list({})).map((j) => j.state)).toEqual(['cancelled']);
    await expect(queue.enqueue({ pairId: job.pairId })).rejects.toMatchObject({ code: 'QUEUE_CLOSED' });
  });
});
