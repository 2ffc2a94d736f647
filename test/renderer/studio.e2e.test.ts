// The studio UI end to end: the built renderer (dist/renderer, `npx vite build`) in Debian's Chromium,
// served by the real web-mode server over every real service, rendering with the real engine at a
// tiny size. Skipped, saying so, without Chromium, the built page or the render worker.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudio, type Studio } from '../../src/main/studio.js';
import { renderWorkerPath } from '../../src/main/services/queue/render-process.js';
import { checkoutResources } from '../../src/main/services/resources/index.js';
import { startWebServer, type WebServer } from '../../src/main/web/index.js';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { tempDir } from '../web/support.js';

const RENDERER = join(process.cwd(), 'dist', 'renderer');
const IMAGES = resolve(process.cwd(), '..', 'shared', 'images');
const ready = hasChromium && existsSync(join(RENDERER, 'index.html')) && existsSync(renderWorkerPath()) && existsSync(IMAGES);

interface DroppedFile {
  name: string;
  type: string;
  base64: string;
}

/** Drops files on an element (or the window) with real drag events carrying a DataTransfer. */
async function dropFiles(page: Page, selector: string | null, files: DroppedFile[]): Promise<void> {
  // Runs in the page (DOM types are not in this Node project, hence a string).
  await page.evaluate(`((selector, files) => {
    const data = new DataTransfer();
    for (const f of files) data.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    const target = selector ? document.querySelector(selector) : document.body;
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
  })(${JSON.stringify(selector)}, ${JSON.stringify(files)})`);
}

const fileFrom = async (path: string, type: string): Promise<DroppedFile> => ({ name: path.split('/').pop()!, type, base64: (await readFile(path)).toString('base64') });

describe.skipIf(!ready)('the studio in Chromium', () => {
  let studio: Studio;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const problems: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const data = await tempDir('ui-e2e');
    cleanups.push(data.cleanup);
    dataDir = join(data.dir, 'data');
    studio = await createStudio({ dataDir, resources: { ...checkoutResources(), samplesDir: IMAGES }, mode: 'web', defaultBackend: 'wasm' });
    cleanups.push(() => studio.dispose());
    server = await startWebServer({ studio, rendererDir: RENDERER });
    cleanups.push(() => server.close());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.addInitScript(`
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    `);
    await page.goto(server.loginUrl);
  });

  afterAll(async () => {
    await browser?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('greets a first-time user and adds the sample images', async () => {
    await expect(page.getByTestId('welcome').innerText()).resolves.toContain('Import a photo and a painting to begin');
    await page.getByTestId('welcome-samples').click();
    await page.getByTestId('library-item').nth(4).waitFor();
    expect(await page.getByTestId('library-item').count()).toBe(5);
  });

  it('makes a pair from a dropped photo and a chosen painting; a non-image is refused in words', async () => {
    await dropFiles(page, '[data-testid=content-drop]', [await fileFrom(join(IMAGES, 'content/tubingen.jpg'), 'image/jpeg')]);
    await page.getByTestId('style-input').setInputFiles(join(IMAGES, 'style/starry_night.jpg'));
    await expect.poll(() => page.getByTestId('pair-name').inputValue(), { timeout: 60_000 }).toBe('tubingen × starry_night');
    await page.getByTestId('style-weight').waitFor();

    await page.getByTestId('import-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
    const toast = page.locator('[data-testid=toast][data-kind=error]');
    await toast.waitFor();
    expect(await toast.innerText()).toContain('"notes.txt" is not an image');
  });

  it('applies a preset and saves the settings as a new one with Ctrl+S', async () => {
    await page.getByTestId('preset-select').selectOption({ label: 'Subtle' });
    expect(await page.getByTestId('setting-style-weight').inputValue()).toBe('2.5');
    await page.getByTestId('setting-size').fill('64');
    await page.getByTestId('setting-iterations').fill('12');
    await page.locator('[data-testid=advanced-settings] > summary').click();
    await page.getByTestId('setting-progress-every').fill('1');
    // Size and schedule are the pair's: only a change of the look marks the preset edited.
    await page.getByTestId('setting-tv-weight').fill('4');
    await page.getByTestId('preset-modified').waitFor();
    await page.keyboard.press('Control+s');
    await page.getByTestId('preset-name').fill('Tiny');
    await page.getByTestId('preset-name-save').click();
    await expect.poll(async () => (await page.getByTestId('preset-select').locator('option:checked').innerText()).trim()).toBe('Tiny');
  });

  it('exports a preset as a file, deletes it, imports it back, and refuses a corrupt file', async () => {
    const checked = () => page.getByTestId('preset-select').locator('option:checked').innerText().then((t) => t.trim());
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('preset-export').click()]);
    const json = await readFile((await download.path())!, 'utf8');
    expect(JSON.parse(json)).toMatchObject({ name: 'Tiny', settings: { size: 64 } });

    // Deleted at once, with an undo toast instead of a confirmation; importing ends the undo time.
    await page.getByTestId('preset-delete').click();
    await expect.poll(checked).toBe('Custom settings');

    await page.getByTestId('preset-import-input').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(json) });
    await expect.poll(checked).toBe('Tiny');

    await page.getByTestId('preset-import-input').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{ "format": 1') });
    await page.locator('[data-testid=toast][data-kind=error]', { hasText: 'Not a preset Atelier can use' }).waitFor();
  });

  it('renders with live progress, then compares, zooms and exports', async () => {
    await expect.poll(() => page.getByTestId('save-state').innerText()).toBe('Saved');
    await page.keyboard.press('Control+Enter');
    const preview = page.getByTestId('progress-image');
    await preview.waitFor({ timeout: 60_000 });
    expect(await preview.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
    await page.getByTestId('result-image').waitFor({ timeout: 120_000 });
    await page.getByTestId('compare-divider').waitFor();

    await page.getByTestId('zoom-100').click();
    expect(await page.getByTestId('zoom-level').innerText()).toBe('100%');
    await page.getByTestId('details-toggle').click();
    expect(await page.getByTestId('render-backend').innerText()).toBe('wasm');

    await page.keyboard.press('Control+e');
    await page.getByTestId('export-format').selectOption('jpeg');
    await page.getByTestId('export-quality').waitFor();
    await page.getByTestId('export-name').fill('tiny tubingen');
    await page.getByTestId('export-save').click();
    const saved = await page.getByTestId('export-result').innerText();
    // Web mode names the file, not its path on the server.
    expect(saved).toMatch(/^Exported tiny tubingen\.jpg/);
    await page.keyboard.press('Escape');
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });

    // Dropping the exported file on the window gives its settings back to the pair.
    await page.getByTestId('setting-size').fill('300');
    const path = join(dataDir, 'exports', 'tiny tubingen.jpg');
    await dropFiles(page, null, [await fileFrom(path, 'image/jpeg')]);
    // The open pair's settings are replaced only when the person says so.
    await page.getByTestId('confirm-yes').click();
    await page.getByText('Settings restored from tiny tubingen.jpg').waitFor();
    expect(await page.getByTestId('setting-size').inputValue()).toBe('64');
  });

  it('explains why an image in use cannot be deleted', async () => {
    const item = page.getByTestId('library-item').filter({ has: page.locator('img[alt="tubingen.jpg"]') }).first();
    await item.hover();
    await item.getByRole('button', { name: 'Delete tubingen.jpg' }).click();
    await page.locator('[data-testid=toast]', { hasText: 'Still in use' }).waitFor();
    expect(await page.getByTestId('confirm-dialog').count()).toBe(0);
  });

  it('folds the gallery into a drawer in a narrow window, and broke no rule of the page', async () => {
    await page.setViewportSize({ width: 800, height: 700 });
    const gallery = page.getByRole('navigation', { name: 'Pairs and queue' });
    await expect.poll(() => gallery.isVisible()).toBe(false);
    await page.getByTestId('sidebar-toggle').click();
    await expect.poll(() => gallery.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => gallery.isVisible()).toBe(false);

    expect(await page.evaluate('window.cspViolations')).toEqual([]);
    expect(problems).toEqual([]);
  });
});
