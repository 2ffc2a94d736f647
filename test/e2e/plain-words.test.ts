import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/chromium.js';
import { SAMPLES, startStudio, type Studio } from './harness.js';

/**
 * Issue 19's plain words, as a newcomer meets them in web mode: backends named by where they compute,
 * Instant starting from the pair's photo, presets saying what they carry, export remembering its
 * format, and errors that stay until dismissed with the raw words behind "Details". Screenshots at
 * 1440×900 and 1024×700 go to $TMPDIR/atelier-e2e-plain-words.
 */

const CONTENT = join(SAMPLES, 'content', 'tubingen.jpg');
const STYLE = join(SAMPLES, 'style', 'starry_night.jpg');
const OTHER = join(SAMPLES, 'content', 'golden_gate.jpg');

describe.skipIf(!hasChromium)('plain words in the studio (Chromium, web mode)', { timeout: 300_000 }, () => {
  let s: Studio;
  const saved = () => s.waitInPage(`document.querySelector('[data-testid="save-state"]')?.textContent.trim() === 'Saved'`);
  async function shots(name: string): Promise<void> {
    await s.shot(name);
    await s.page.setViewportSize({ width: 1024, height: 700 });
    await s.shot(name);
    await s.page.setViewportSize({ width: 1440, height: 900 });
  }

  beforeAll(async () => {
    s = await startStudio('atelier-e2e-plain-words');
    await s.page.goto(s.loginUrl);
    await s.byTestId('import-input').setInputFiles([OTHER, CONTENT, STYLE]);
    await s.waitInPage(`document.querySelectorAll('[data-testid="library-item"]').length === 3`, 60_000);
    await s.byTestId('new-pair').click();
    await s.page.getByRole('button', { name: 'Use tubingen.jpg as the content photo' }).click();
    await s.page.getByRole('button', { name: 'Add starry_night.jpg as a style' }).click();
    await s.byTestId('setting-size').fill('48');
    await saved();
  });

  afterAll(async () => {
    await s?.close();
  });

  it('names backends and devices by where they compute', async () => {
    await s.byTestId('backend-select').focus();
    await s.waitInPage(`document.querySelectorAll('[data-testid="backend-select"] option').length > 1`, 90_000);
    const texts = await s.byTestId('backend-select').locator('option').allTextContents();
    expect(texts.map((t) => t.trim())).toEqual(expect.arrayContaining(['Auto (Native CPU)', 'WebAssembly', 'Plain JavaScript (slowest)']));
    await s.waitInPage(`/ on Native CPU$/.test(document.querySelector('[data-testid="render-estimate"]')?.textContent.trim() ?? '')`, 30_000);
    expect(await s.byTestId('device-select').locator('option[value="cpu"]').textContent()).toBe('CPU');
    await shots('engine');
  });

  it('starts Instant from the pair’s photo', async () => {
    await s.byTestId('instant-open').click();
    await s.byTestId('instant-dialog').waitFor();
    expect(await s.page.locator('[data-testid="instant-photo"][aria-checked="true"]').getAttribute('aria-label')).toBe('tubingen.jpg');
    await s.page.keyboard.press('Escape');
    await s.byTestId('instant-dialog').waitFor({ state: 'detached' });
  });

  it('says what a preset carries where it is applied', async () => {
    await s.byTestId('preset-select').selectOption({ label: 'Bold' });
    expect(await s.byTestId('preset-carries').textContent()).toContain('size, stages and iterations stay this pair’s');
    expect(await s.byTestId('setting-size').inputValue()).toBe('48');
    // No description names another project.
    for (const option of await s.byTestId('preset-select').locator('option').allTextContents()) {
      if (option === 'Custom settings') continue;
      await s.byTestId('preset-select').selectOption({ label: option });
      expect(await s.page.locator('.preset-picker .description').textContent(), option).not.toMatch(/jcjohnson|neural-style|Chollet|Keras notebook/);
    }
    await shots('preset');
    await s.byTestId('preset-select').selectOption({ label: 'Custom settings' });
  });

  it('remembers the export format, and names no server path in web mode', async () => {
    await s.byTestId('render-button').click();
    await s.waitInPage(`document.querySelector('[data-testid="result-image"]')`, 120_000);
    await s.byTestId('export-button').click();
    await s.byTestId('export-format').selectOption('webp');
    await s.byTestId('export-save').click();
    const result = await s.byTestId('export-result').innerText();
    expect(result).toMatch(/^Exported .*\.webp/);
    expect(result).not.toContain(s.dataDir);
    await s.byTestId('export-save').click();
    await s.page.reload();
    await s.byTestId('export-button').click();
    expect(await s.byTestId('export-format').inputValue()).toBe('webp');
    await s.page.keyboard.press('Escape');
  });

  it('offers a render from noise again with a new seed', async () => {
    await s.byTestId('preset-select').selectOption({ label: 'Gatys 2015' });
    await s.byTestId('setting-iterations').fill('2');
    await saved();
    const seed = await s.byTestId('setting-seed').inputValue();
    const done = () => s.page.locator('[data-testid="queue-job"][data-state="done"]').count();
    const before = await done();
    await s.byTestId('render-button').click();
    await expect.poll(done, { timeout: 120_000 }).toBe(before + 1);
    await s.byTestId('details-toggle').click();
    await s.byTestId('new-seed').click();
    await expect.poll(done, { timeout: 120_000 }).toBe(before + 2);
    expect(await s.byTestId('setting-seed').inputValue()).not.toBe(seed);
    // The two newest renders: the same look from two noises.
    const renders = (await s.call<{ finishedAt: string; settings: { seed?: number; init?: string } }[]>('library', 'listRenders', {}))
      .sort((a, b) => b.finishedAt.localeCompare(a.finishedAt)).slice(0, 2);
    expect(renders.map((r) => r.settings.init)).toEqual(['noise', 'noise']);
    expect(new Set(renders.map((r) => r.settings.seed)).size).toBe(2);
  });

  it('keeps an error until it is dismissed, the raw words behind Details', async () => {
    await s.byTestId('import-input').setInputFiles({ name: 'holiday-notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not an image') });
    await s.toast('error', 'holiday-notes.jpg');
    // Past the 6 s an error used to last.
    await s.page.waitForTimeout(7000);
    expect(await s.page.locator('[data-testid="toast"][data-kind="error"]').count()).toBe(1);
    await shots('error-stays');
    await s.page.locator('[data-testid="toast"][data-kind="error"]').getByRole('button', { name: 'Dismiss' }).click();
    await s.page.locator('[data-testid="toast"][data-kind="error"]').waitFor({ state: 'detached' });
    expect(s.pageErrors).toEqual([]);
  });
});
