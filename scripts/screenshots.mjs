// Screenshots of every screen of the studio at 1440×900 and 1024×700, for looking at layout changes
// (`npm run screenshots`, after `npm run -s build`). Drives the built renderer in Debian's Chromium over
// the real web-mode server on a throw-away data folder, with tiny renders. Writes to shots/ (git-ignored).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { checkoutResources } from '../dist/main/services/resources/index.js';
import { createStudio } from '../dist/main/studio.js';
import { startWebServer } from '../dist/main/web/index.js';

const REPO = process.cwd();
const OUT = resolve(REPO, process.argv[2] ?? 'shots');
const SAMPLES = resolve(REPO, '..', 'shared', 'images');
const VIEWPORTS = [{ width: 1440, height: 900 }, { width: 1024, height: 700 }];

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
const data = await mkdtemp(join(tmpdir(), 'atelier-shots-'));
const studio = await createStudio({ dataDir: join(data, 'data'), resources: { ...checkoutResources(), samplesDir: SAMPLES }, mode: 'web' });
const server = await startWebServer({ studio, rendererDir: join(REPO, 'dist', 'renderer') });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

try {
  const page = await browser.newPage({ viewport: VIEWPORTS[0] });
  await page.goto(server.loginUrl);
  const byTestId = (id) => page.getByTestId(id);
  /** One screen at both sizes. */
  async function shoot(name) {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(250);
      await page.screenshot({ path: join(OUT, `${name}-${viewport.width}x${viewport.height}.png`), animations: 'disabled' });
    }
    await page.setViewportSize(VIEWPORTS[0]);
  }
  const dismissToasts = async () => {
    for (const button of await page.locator('[data-testid=toast] button').all()) await button.click().catch(() => undefined);
  };

  await byTestId('welcome').waitFor();
  await shoot('01-empty');
  await byTestId('welcome-samples').click();
  await byTestId('library-item').nth(4).waitFor();
  await dismissToasts();
  await shoot('02-library');

  const item = (alt) => byTestId('library-item').filter({ has: page.locator(`img[alt="${alt}"]`) });
  async function makePair(content, styles) {
    await byTestId('new-pair').click();
    await item(content).hover();
    await item(content).getByRole('button', { name: `Use ${content} as the content photo` }).click();
    for (const style of styles) {
      await item(style).hover();
      await item(style).getByRole('button', { name: `Add ${style} as a style` }).click();
    }
    await page.waitForTimeout(600);
  }
  await makePair('golden_gate.jpg', ['the_scream.jpg']);
  await makePair('tubingen.jpg', ['starry_night.jpg', 'shipwreck.jpg']);
  await dismissToasts();
  await shoot('03-two-pairs-composer');

  await byTestId('setting-size').fill('64');
  await byTestId('setting-iterations').fill('40');
  await page.locator('[data-testid=advanced-settings] > summary').click();
  await byTestId('setting-progress-every').fill('2');
  await page.locator('[data-testid=advanced-settings] > summary').click();
  await page.waitForTimeout(600);
  await byTestId('render-button').click();
  await byTestId('render-progress').waitFor();
  await shoot('04-render-starting');
  await byTestId('progress-image').waitFor({ timeout: 120_000 });
  await shoot('05-render-in-progress');
  await byTestId('result-image').waitFor({ timeout: 180_000 });
  await dismissToasts();
  await shoot('06-result-compare');
  await byTestId('zoom-100').click();
  await shoot('07-result-100');
  await byTestId('zoom-fit').click();
  await byTestId('details-toggle').click();
  await shoot('08-result-details');
  await byTestId('details-toggle').click();

  await byTestId('export-button').click();
  await byTestId('export-dialog').waitFor();
  await shoot('09-export-dialog');
  await byTestId('export-save').click();
  await byTestId('export-result').waitFor();
  await shoot('09b-export-done');
  await page.keyboard.press('Escape');

  await byTestId('preset-select').selectOption({ label: 'Chollet notebook' });
  await byTestId('setting-style-weight').fill('0.002');
  await shoot('10-presets-edited');
  await page.keyboard.press('Control+s');
  await byTestId('preset-name').fill('A rather long preset name for a soft oil look at 768 px');
  await shoot('11-save-preset');
  await byTestId('preset-name-save').click();
  await page.waitForTimeout(300);
  await byTestId('setting-tv-weight').fill('3');
  await shoot('12-long-preset-edited');
  console.log(`screenshots in ${OUT}`);
} finally {
  await browser.close();
  await server.close();
  await studio.dispose();
  await rm(data, { recursive: true, force: true });
}
