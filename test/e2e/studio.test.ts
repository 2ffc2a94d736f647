import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/chromium.js';
import { SAMPLES, startStudio, type Studio } from './harness.js';

/**
 * The studio end to end: the real web server (`dist/main/web/serve.js`, as `npm run serve` starts it)
 * on a fresh data folder, Debian's Chromium driven by playwright-core (both started by harness.ts), and
 * what a person does — first run, import, compose a pair, render, cancel, export, drop the export back,
 * reload, bad files. Renders are tiny (64 px, one stage) so the whole file runs in well under three
 * minutes on two cores.
 *
 * Page code is written as strings: this Node project has no DOM types (see test/web/chromium.test.ts).
 * Screenshots go to $TMPDIR/atelier-e2e-shots (never into the repository).
 */

const CONTENT = join(SAMPLES, 'content', 'tubingen.jpg');
const STYLE = join(SAMPLES, 'style', 'starry_night.jpg');

/** One-stage render settings small enough to finish in seconds on wasm. */
const SIZE = '64';
const ITERATIONS = '24';
const PROGRESS_EVERY = '2';
const EXPORT_NAME = 'e2e-tubingen-starry';

// Needs Debian's Chromium (never downloaded); skipped, saying so, without it. The build is not optional:
// `npm test` and `npm run test:e2e` build first, so a missing dist/ fails loudly in beforeAll.
describe.skipIf(!hasChromium)('the studio end to end in Chromium (web mode)', () => {
  let s: Studio;
  let page: Page;
  let root: string;
  let dataDir: string;
  let loginUrl: string;
  let pageErrors: string[];
  let cspViolations: string[];

  const shot = (name: string) => s.shot(name);
  const byTestId = (id: string) => s.byTestId(id);
  const inPage = <T>(expression: string) => s.inPage<T>(expression);
  const waitInPage = (expression: string, timeout?: number, failIf?: string) => s.waitInPage(expression, timeout, failIf);
  const toast = (kind: 'success' | 'error' | 'info', text: string) => s.toast(kind, text);

  /** A failed render, in the UI's words (for giving up at once instead of waiting out a timeout). */
  const RENDER_FAILED = `document.querySelector('[data-testid="queue-job"]')?.dataset.state === 'failed' &&
    'the render failed: ' + (document.querySelector('[data-testid="stage-hint"] [role="alert"]')?.textContent ?? '(no message)')`;

  /** Sets a settings field the way a person does: select the text, type over it. */
  async function setField(testid: string, value: string): Promise<void> {
    const field = byTestId(testid);
    await field.fill(value);
    expect(await field.inputValue()).toBe(value);
  }

  async function openAdvanced(): Promise<void> {
    const open = await inPage<boolean>(`document.querySelector('[data-testid="advanced-settings"]').open`);
    if (!open) await byTestId('advanced-settings').locator('summary').click();
    await byTestId('setting-scales').waitFor({ state: 'visible' });
  }

  /** Waits until the editor has saved the pair (the title bar says so), so a reload finds every change. */
  async function waitSaved(): Promise<void> {
    await waitInPage(`document.querySelector('[data-testid="save-state"]')?.textContent.trim() === 'Saved'`);
  }

  const toastCount = (kind: 'success' | 'error' | 'info'): Promise<number> =>
    inPage<number>(`window.__toasts.filter((t) => t.kind === ${JSON.stringify(kind)}).length`);

  /** Number of `selector` matches in the page. */
  const count = (selector: string): Promise<number> => page.locator(selector).count();

  beforeAll(async () => {
    if (!existsSync(CONTENT) || !existsSync(STYLE)) throw new Error(`the sample images are missing under ${SAMPLES}`);
    s = await startStudio('atelier-e2e-shots', { viewport: { width: 1360, height: 860 } });
    ({ page, root, dataDir, loginUrl, pageErrors, cspViolations } = s);
  });

  afterAll(async () => {
    await s?.close();
  });

  it('first run: the empty studio says what to do', async () => {
    await page.goto(loginUrl);
    // The token is traded for a cookie and dropped from the address bar.
    expect(page.url()).not.toContain('token=');
    const welcome = byTestId('welcome');
    await welcome.waitFor({ state: 'visible' });
    expect(await welcome.locator('h2').textContent()).toBe('Import a photo and a painting to begin');
    expect(await welcome.textContent()).toMatch(/Pick a content photo.*Add one or more styles.*Press Render/s);
    expect(await byTestId('welcome-import').isVisible()).toBe(true);
    // --samples was given, so the studio offers them (once the app's info has arrived: wait, don't peek).
    await byTestId('welcome-samples').waitFor({ state: 'visible' });
    expect(await count('[data-testid="library-item"]')).toBe(0);
    expect(await count('[data-testid="pair-card"]')).toBe(0);
    // Nothing to render yet, and the button says why.
    expect(await byTestId('render-button').isDisabled()).toBe(true);
    expect(await byTestId('render-missing').textContent()).toBe('Create a pair first');
    await shot('first-run');
  });

  it('imports a photo and a painting, composes a pair from the library and picks a preset', async () => {
    await byTestId('import-input').setInputFiles([CONTENT, STYLE]);
    await toast('success', 'Imported 2 images');
    await waitInPage(`document.querySelectorAll('[data-testid="library-item"]').length === 2`);
    const names = await page.locator('[data-testid="library-item"] img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt')));
    expect(names.sort()).toEqual(['starry_night.jpg', 'tubingen.jpg']);
    // The thumbnails really load (the media route answers with an image).
    await waitInPage(`[...document.querySelectorAll('[data-testid="library-item"] img')].every((img) => img.complete && img.naturalWidth > 0)`);
    // With images in the library the welcome makes way for the next step.
    await byTestId('welcome').waitFor({ state: 'detached' });
    expect(await byTestId('stage-hint').locator('h2').textContent()).toBe('Make a pair');

    await byTestId('new-pair').click();
    await waitInPage(`document.querySelectorAll('[data-testid="pair-card"]').length === 1`);
    expect(await byTestId('pair-name').inputValue()).toBe('Untitled pair');
    expect(await byTestId('stage-hint').locator('h2').textContent()).toBe('Choose a content photo');

    await page.getByRole('button', { name: 'Use tubingen.jpg as the content photo' }).click();
    await byTestId('content-drop').locator('img[alt="tubingen.jpg"]').waitFor();
    await page.getByRole('button', { name: 'Add starry_night.jpg as a style' }).click();
    await byTestId('style-1-drop').locator('img[alt="starry_night.jpg"]').waitFor();
    // The pair names itself after its images while the person has not named it.
    await waitInPage(`document.querySelector('[data-testid="pair-name"]').value === 'tubingen × starry_night'`);
    expect(await count('[data-testid="pair-card"]')).toBe(1);
    expect(await byTestId('stage-hint').locator('h2').textContent()).toBe('Ready to render');

    // A built-in preset fills the settings with its look.
    const presetSelect = byTestId('preset-select');
    await presetSelect.selectOption({ label: 'Subtle' });
    expect(await presetSelect.inputValue()).toBe('builtin-subtle');
    expect(await byTestId('setting-style-weight').inputValue()).toBe('2.5');
    await page.getByRole('complementary', { name: 'Render settings' }).getByText('More of the photo: a light coat of the style').waitFor();
    await waitSaved();
    expect(await byTestId('render-button').isEnabled()).toBe(true);
    await shot('pair-composed');
  });

  it('renders at a small size with a live preview, iteration counter and loss chart', async () => {
    await setField('setting-size', SIZE);
    await openAdvanced();
    await setField('setting-scales', SIZE);
    await setField('setting-iterations', ITERATIONS);
    await setField('setting-progress-every', PROGRESS_EVERY);
    expect(await count('[aria-invalid="true"]')).toBe(0);
    await waitSaved();

    // Records every state the progress view goes through (a render at 64 px can outpace any polling
    // from here): each distinct preview src, iteration text, and the loss chart's point count.
    await inPage(`(() => {
      const seen = { srcs: [], iterations: [], chartPoints: 0, chartSeen: false };
      window.__progress = seen;
      const look = () => {
        const img = document.querySelector('[data-testid="progress-image"]');
        const src = img && img.getAttribute('src');
        if (src && seen.srcs[seen.srcs.length - 1] !== src) seen.srcs.push(src);
        const counter = document.querySelector('[data-testid="progress-iteration"]');
        const text = counter && counter.textContent.trim();
        if (text && seen.iterations[seen.iterations.length - 1] !== text) seen.iterations.push(text);
        const chart = document.querySelector('[data-testid="loss-chart"]');
        if (chart) {
          seen.chartSeen = true;
          const line = chart.querySelector('polyline');
          const points = line ? line.getAttribute('points').trim().split(/\\s+/).length : 0;
          seen.chartPoints = Math.max(seen.chartPoints, points);
        }
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      look();
    })()`);

    const started = Date.now();
    await byTestId('render-button').click();
    await byTestId('render-progress').waitFor({ state: 'visible' });
    expect(await byTestId('cancel-button').isVisible()).toBe(true);
    // A queue entry shows the job while it runs.
    await waitInPage(`['queued', 'running'].includes(document.querySelector('[data-testid="queue-job"]')?.dataset.state)`);
    // Once the first previews are in, photograph the render in progress (if it is still running).
    const resultShown = `!!document.querySelector('[data-testid="result-image"]')`;
    await waitInPage(`window.__progress.srcs.length >= 2 || ${resultShown}`, 90_000, RENDER_FAILED);
    if (await byTestId('render-progress').isVisible()) await shot('render-in-progress');

    const result = byTestId('result-image');
    await waitInPage(resultShown, 90_000, RENDER_FAILED);
    await waitInPage(`(() => { const img = document.querySelector('[data-testid="result-image"]'); return img.complete && img.naturalWidth > 0; })()`);
    const elapsed = Date.now() - started;

    const seen = await inPage<{ srcs: string[]; iterations: string[]; chartPoints: number; chartSeen: boolean }>(`window.__progress`);
    // The preview changed at least twice (three different pictures), each a JPEG data URL.
    expect(seen.srcs.length).toBeGreaterThanOrEqual(3);
    for (const src of seen.srcs) expect(src).toMatch(/^data:image\/jpeg;base64,[A-Za-z0-9+/]{100,}/);
    // The counter advanced through the single stage: "done / 24", rising.
    const done = seen.iterations.filter((t) => /^\d+ \/ \d+$/.test(t)).map((t) => t.split(' / ').map(Number) as [number, number]);
    expect(done.length).toBeGreaterThanOrEqual(2);
    for (const [, total] of done) expect(total).toBe(Number(ITERATIONS));
    for (let i = 1; i < done.length; i++) expect(done[i]![0]).toBeGreaterThan(done[i - 1]![0]);
    // The loss chart was on screen and drew a line of several points.
    expect(seen.chartSeen).toBe(true);
    expect(seen.chartPoints).toBeGreaterThanOrEqual(2);

    // The finished render: the result at the rendered size, the job done, the toast, the pair's card.
    expect(await result.evaluate((img) => [(img as unknown as { naturalWidth: number }).naturalWidth, (img as unknown as { naturalHeight: number }).naturalHeight])).toEqual([64, 48]);
    expect(await toast('success', 'Render finished')).toBe('Render finished | tubingen × starry_night is ready.');
    expect(await inPage<string>(`document.querySelector('[data-testid="queue-job"]').dataset.state`)).toBe('done');
    await page.locator('[data-testid="pair-card"]').filter({ hasText: '1 render' }).waitFor();
    expect(await byTestId('render-progress').count()).toBe(0);
    console.log(`e2e: the ${SIZE} px, ${ITERATIONS}-iteration render took ${(elapsed / 1000).toFixed(1)} s from the click to the result`);
    await shot('render-result');
  });

  it('exports the render as a PNG and names the file', async () => {
    await byTestId('export-button').click();
    const dialog = byTestId('export-dialog');
    await dialog.waitFor({ state: 'visible' });
    await byTestId('export-format').selectOption('png');
    // PNG is lossless: no quality slider.
    expect(await byTestId('export-quality').count()).toBe(0);
    await byTestId('export-name').fill(EXPORT_NAME);
    await shot('export-dialog');
    await byTestId('export-save').click();

    const saved = byTestId('export-result');
    await saved.waitFor({ state: 'visible' });
    const expected = join(dataDir, 'exports', `${EXPORT_NAME}.png`);
    // Web mode names the file; its path is on the server, of no use to the person.
    expect(await saved.locator('strong').textContent()).toBe(`Exported ${EXPORT_NAME}.png`);
    expect(await saved.textContent()).not.toContain(dataDir);
    expect(await saved.textContent()).toContain(`${EXPORT_NAME}.png`);
    await shot('export-saved');

    // The file is on disk where the dialog says, and is a PNG of the rendered size.
    expect(existsSync(expected)).toBe(true);
    const metadata = await sharp(expected).metadata();
    expect(metadata.format).toBe('png');
    expect([metadata.width, metadata.height]).toEqual([64, 48]);
    // The settings travel inside the file (what the drop below reads back).
    expect(metadata.xmp?.toString('utf8')).toContain('atelier');

    await byTestId('export-save').click(); // "Done"
    await dialog.waitFor({ state: 'detached' });
  });

  it('dropping the exported file on the window restores its settings', async () => {
    // Change the settings first, so a restore is visible.
    await setField('setting-size', '96');
    await setField('setting-scales', '96');
    await setField('setting-iterations', '7');
    await waitSaved();

    const file = join(dataDir, 'exports', `${EXPORT_NAME}.png`);
    const bytes = (await readFile(file)).toString('base64');
    // A desktop drop, as Chromium delivers it: dragenter, dragover, drop with the file, on the picture.
    await inPage(`(() => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(bytes)}), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], ${JSON.stringify(basename(file))}, { type: 'image/png' }));
      window.__drop = { transfer, target: document.querySelector('[data-testid="compare-viewport"]') };
      for (const type of ['dragenter', 'dragover']) {
        window.__drop.target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    })()`);
    // While something droppable is over the window, it says what a drop would do.
    const hint = page.getByText('drop an exported image anywhere to restore its settings');
    await hint.waitFor();
    await shot('drop-hint');
    const accepted = await inPage<boolean>(`(() => {
      const { transfer, target } = window.__drop;
      const drop = new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
      target.dispatchEvent(drop);
      return drop.defaultPrevented;
    })()`);
    // The window took the drop (so the browser does not open the file instead).
    expect(accepted).toBe(true);
    await hint.waitFor({ state: 'detached' });
    // The open pair's settings are replaced only when the person says so.
    await byTestId('confirm-yes').click();

    expect(await toast('success', `Settings restored from ${EXPORT_NAME}.png`)).toBe(
      `Settings restored from ${EXPORT_NAME}.png | These are the settings of “tubingen × starry_night”.`,
    );
    await waitInPage(`document.querySelector('[data-testid="setting-size"]').value === ${JSON.stringify(SIZE)}`);
    expect(await byTestId('setting-size').inputValue()).toBe(SIZE);
    expect(await byTestId('setting-scales').inputValue()).toBe(SIZE);
    expect(await byTestId('setting-iterations').inputValue()).toBe(ITERATIONS);
    expect(await byTestId('setting-style-weight').inputValue()).toBe('2.5');
    // A settings drop is not an import: the library still holds the two images.
    expect(await count('[data-testid="library-item"]')).toBe(2);
    await waitSaved();
    await shot('settings-restored');
  });

  it('a long render is cancelled within a few iterations and the UI says so', async () => {
    await setField('setting-iterations', '2000');
    await waitSaved();
    await byTestId('render-button').click();
    await byTestId('render-progress').waitFor({ state: 'visible' });
    // Cancel once it is really painting (past the network load), as a person would.
    await waitInPage(`/^[1-9]\\d* \\/ 2000$/.test(document.querySelector('[data-testid="progress-iteration"]')?.textContent.trim() ?? '')`, 90_000, RENDER_FAILED);
    await waitInPage(`document.querySelector('[data-testid="queue-job"]')?.dataset.state === 'running'`);
    await shot('long-render-running');

    // Counted in iterations, not seconds (a busy machine slows both the render and the cancel alike):
    // the engine stops within one iteration of hearing, so a handful more at most are painted.
    const shown = async () => Number(/^(\d+) \//.exec((await byTestId('progress-iteration').textContent())!.trim())![1]);
    const atClick = await shown();
    await byTestId('cancel-button').click();
    await waitInPage(`document.querySelector('[data-testid="queue-job"]')?.dataset.state === 'cancelled'`, 30_000);
    const jobs = await s.call<{ state: string; progress?: { done: number } }[]>('queue', 'list', {});
    const cancelled = jobs.find((job) => job.state === 'cancelled')!;
    expect(cancelled.progress!.done - atClick).toBeLessThanOrEqual(10);

    // The queue says Cancelled; the stage shows the best image so far, marked as stopped early.
    // The pair's second job in the queue, numbered to tell it from the first.
    expect(await page.locator('[data-testid="queue-job"]').first().textContent()).toMatch(/^\s*tubingen × starry_night #2\s*Cancelled\s*Retry\s*$/);
    await byTestId('render-progress').waitFor({ state: 'detached' });
    await byTestId('result-image').waitFor({ state: 'visible' });
    const options = await byTestId('render-select').locator('option').allTextContents();
    expect(options).toHaveLength(2);
    expect(options[0]).toContain('(stopped early)');
    expect(options[1]).not.toContain('(stopped early)');
    // Cancelling is the person's own act: no "Render finished" and no error toast for it.
    expect(await toastCount('error')).toBe(0);
    expect(await inPage<number>(`window.__toasts.filter((t) => t.text.startsWith('Render finished')).length`)).toBe(1);
    await shot('cancelled');
  });

  it('after a reload the pair, its images and its renders are all still there', async () => {
    await page.reload();
    await waitInPage(`document.querySelectorAll('[data-testid="pair-card"]').length === 1`);
    await page.locator('[data-testid="pair-card"]').filter({ hasText: 'tubingen × starry_night' }).filter({ hasText: '2 renders' }).waitFor();
    await waitInPage(`document.querySelectorAll('[data-testid="library-item"]').length === 2`);
    await waitInPage(`document.querySelector('[data-testid="pair-name"]')?.value === 'tubingen × starry_night'`);
    await byTestId('content-drop').locator('img[alt="tubingen.jpg"]').waitFor();
    await byTestId('style-1-drop').locator('img[alt="starry_night.jpg"]').waitFor();
    expect(await byTestId('setting-size').inputValue()).toBe(SIZE);
    expect(await byTestId('setting-iterations').inputValue()).toBe('2000');

    // Both renders; the finished one is shown (one stopped early does not push it aside), and it opens.
    await byTestId('result-image').waitFor({ state: 'visible' });
    const options = byTestId('render-select').locator('option');
    expect(await options.count()).toBe(2);
    const finished = await options.nth(1).getAttribute('value');
    expect(await byTestId('render-select').inputValue()).toBe(finished);
    await byTestId('render-select').selectOption(finished!);
    await waitInPage(`(() => { const img = document.querySelector('[data-testid="result-image"]'); return !!img && img.getAttribute('src').includes(${JSON.stringify(finished)}) && img.complete && img.naturalWidth === 64; })()`);
    // Every image on the page loaded (thumbnails, the compare view's photo, the render).
    await waitInPage(`[...document.images].every((img) => img.complete && img.naturalWidth > 0)`);
    await shot('after-reload');
  });

  it('bad files are refused with a clear message and change nothing', async () => {
    // A text file that calls itself a JPEG.
    const fake = join(root, 'holiday-notes.jpg');
    await writeFile(fake, 'Remember to buy film for the camera.\n');
    await byTestId('import-input').setInputFiles(fake);
    expect(await toast('error', 'holiday-notes.jpg')).toMatch(/^Not an image Atelier can read \| "holiday-notes\.jpg" is not an image Atelier can read/);
    expect(await count('[data-testid="library-item"]')).toBe(2);

    // A preset file cut off in the middle.
    const presetsBefore = await byTestId('preset-select').locator('option').evaluateAll((o) => o.map((x) => x.textContent));
    const broken = join(root, 'broken-preset.json');
    await writeFile(broken, '{ "format": "atelier-preset", "version": 1, "name": "Half a pre');
    await byTestId('preset-import-input').setInputFiles(broken);
    expect(await toast('error', 'Not a preset Atelier can use')).toMatch(/^Not a preset Atelier can use \| Could not import "broken-preset\.json": Not a preset file: .*JSON/);
    await shot('bad-inputs');
    const presetsAfter = await byTestId('preset-select').locator('option').evaluateAll((o) => o.map((x) => x.textContent));
    expect(presetsAfter).toEqual(presetsBefore);
    expect(presetsAfter).toContain('Subtle');
  });

  it('raised no uncaught errors and no Content-Security-Policy violations in the page', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
