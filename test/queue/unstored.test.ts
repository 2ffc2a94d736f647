// A finished render that the library cannot store (a full disk) is not dropped: the job says so, the
// pixels stay in the session to save elsewhere, and storing again works once space is freed. The real
// library on a real small file system (a tmpfs; see small-disk.ts), real render workers.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, expect, it } from 'vitest';
import type { Job } from '../../src/common/contract/index.js';
import { createLibrary } from '../../src/main/services/library/index.js';
import { createQueue, type QueueService } from '../../src/main/services/queue/index.js';
import { canMount, mountSmallDisk, type SmallDisk } from '../support/small-disk.js';

const images = path.resolve(fileURLToPath(import.meta.url), '../../../../shared/images');
let disk: SmallDisk | undefined;
let queue: QueueService | undefined;

afterEach(async () => {
  await queue?.dispose();
  await disk?.dispose();
});

async function upload(file: string) {
  return { name: path.basename(file), dataBase64: (await readFile(file)).toString('base64') };
}

function ended(queue: QueueService, id: string): Promise<Job> {
  return new Promise((resolve) => {
    const stop = queue.onDidChangeJob((job) => {
      if (job.id === id && ['done', 'failed', 'cancelled'].includes(job.state)) {
        stop();
        resolve(job);
      }
    });
  });
}

it.skipIf(!canMount)('keeps a render the full library disk cannot take, offers it as a PNG, and stores it once space is freed (needs tmpfs mounts)', async () => {
  disk = await mountSmallDisk(4096);
  const library = await createLibrary({ dataDir: disk.dir });
  const { image: photo } = await library.importImage(await upload(path.join(images, 'content/tubingen.jpg')));
  const { image: painting } = await library.importImage(await upload(path.join(images, 'style/starry_night.jpg')));
  const pair = await library.savePair({
    name: 'Tübingen', contentId: photo.id, styles: [{ imageId: painting.id, weight: 1 }],
    settings: { size: 48, scales: [48], iterations: 4 }, presetId: null,
  });
  await disk.fill();
  const notes: string[] = [];
  queue = createQueue({ engine: async () => ({ backend: 'wasm' }), library, notify: (note) => notes.push(note.title) });

  const job = await ended(queue, (await queue.enqueue({ pairId: pair.id })).id);

  expect(job).toMatchObject({ state: 'failed', unsaved: true, renderId: null, error: { code: 'RENDER_NOT_STORED' } });
  expect(job.error!.message).toMatch(/^the render finished but the library could not store it: The disk holding your library is full: free \d[\d.,]* MB and try again .*save it elsewhere/);
  expect(notes).toEqual(['Render not stored']);
  expect(await library.listRenders({})).toEqual([]);

  const file = await queue.unsavedImage({ id: job.id });
  expect(file.fileName).toBe('Tübingen (unsaved render).png');
  expect(await sharp(Buffer.from(file.dataBase64, 'base64')).metadata()).toMatchObject({ format: 'png', width: 48, height: 36 });

  // Clearing the finished jobs keeps the one still holding pixels.
  await queue.clearFinished({});
  expect((await queue.list({})).map((j) => j.id)).toEqual([job.id]);

  await expect(queue.retryStore({ id: job.id })).rejects.toMatchObject({ code: 'RENDER_NOT_STORED' });
  await rm(path.join(disk.dir, 'filler-0'));
  const stored = await queue.retryStore({ id: job.id });
  expect(stored).toMatchObject({ state: 'done', unsaved: false, error: null });
  const [render] = await library.listRenders({ pairId: pair.id });
  expect(stored.renderId).toBe(render!.id);
  expect(await sharp(await library.renderFile(render!.id, 'full')).metadata()).toMatchObject({ width: 48, height: 36 });
  await expect(queue.unsavedImage({ id: job.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
});
