// The studio in Chromium when a finished render cannot be stored (the library's disk is full, for real:
// a small tmpfs): the person is told, the queue offers the picture as a download, and Retry stores it
// once space is freed. Skipped, saying so, without Chromium, the built page, tmpfs mounts or the worker.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Job } from '../../src/common/contract/index.js';
import { renderWorkerPath } from '../../src/main/services/queue/render-process.js';
import { createStudio, type Studio } from '../../src/main/studio.js';
import { startWebServer, type WebServer } from '../../src/main/web/index.js';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { canMount, mountSmallDisk, type SmallDisk } from '../support/small-disk.js';

const RENDERER = join(process.cwd(), 'dist', 'renderer');
const IMAGES = resolve(process.cwd(), '..', 'shared', 'images');
const ready = hasChromium && canMount && existsSync(join(RENDERER, 'index.html')) && existsSync(renderWorkerPath());
const SHOTS = join(tmpdir(), 'atelier-e2e-shots');

let disk: SmallDisk;
let studio: Studio;
let server: WebServer;
let browser: Browser;
let page: Page;

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = await studio.dispatch(channel, payload);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}

beforeAll(async () => {
  if (!ready) return;
  disk = await mountSmallDisk(4096);
  studio = await createStudio({ dataDir: disk.dir, mode: 'web', defaultBackend: 'wasm' });
  server = await startWebServer({ studio, rendererDir: RENDERER });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await studio?.dispose();
  await disk?.dispose();
});

it.skipIf(!ready)('keeps a render the full disk cannot take, offers it for download, and stores it on Retry', async () => {
  const upload = async (file: string) => ({ name: file.split('/').pop(), dataBase64: (await readFile(join(IMAGES, file))).toString('base64') });
  const { image: photo } = await call<{ image: { id: string } }>('library:importImage', await upload('content/tubingen.jpg'));
  const { image: painting } = await call<{ image: { id: string } }>('library:importImage', await upload('style/starry_night.jpg'));
  const pair = await call<{ id: string }>('library:savePair', {
    name: 'Full disk', contentId: photo.id, styles: [{ imageId: painting.id, weight: 1 }], settings: { size: 48, scales: [48], iterations: 4 },
  });
  await disk.fill();

  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.loginUrl);
  await page.getByTestId('pair-card').first().click();
  const failed = new Promise<Job>((done) => {
    const stop = studio.onEvent((name, payload) => {
      if (name === 'queue:job' && (payload as Job).state === 'failed') {
        stop();
        done(payload as Job);
      }
    });
  });
  await call('queue:enqueue', { pairId: pair.id });
  expect(await failed).toMatchObject({ unsaved: true, error: { code: 'RENDER_NOT_STORED' } });

  await page.getByText('Finished, but not stored').first().waitFor();
  const job = page.getByTestId('queue-job').first();
  expect(await job.innerText()).toContain('Not stored: save it');
  await page.screenshot({ path: join(SHOTS, 'unsaved-1440.png') });
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.screenshot({ path: join(SHOTS, 'unsaved-1024.png') });
  // At 1024 px the queue sits in a drawer; the rest happens at the full width.
  await page.setViewportSize({ width: 1440, height: 900 });

  const [download] = await Promise.all([page.waitForEvent('download'), job.getByTestId('save-unsaved').click()]);
  expect(download.suggestedFilename()).toBe('Full disk (unsaved render).png');
  expect(await sharp(await download.path()).metadata()).toMatchObject({ format: 'png', width: 48, height: 36 });

  await rm(join(disk.dir, 'filler-0'));
  await job.getByRole('button', { name: 'Retry', exact: true }).click();
  await expect.poll(() => job.innerText()).toContain('Done');
  expect(await call<unknown[]>('library:listRenders', { pairId: pair.id })).toHaveLength(1);
});
