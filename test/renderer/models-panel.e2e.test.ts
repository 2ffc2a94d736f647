// The Models panel in web mode, in Debian's Chromium over the real server and services: a studio whose
// models folder is empty says so in the top bar, and the panel installs the weights from a typed path.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutResources } from '../../src/main/services/resources/index.js';
import { createStudio } from '../../src/main/studio.js';
import { startWebServer } from '../../src/main/web/index.js';
import { tempDir } from '../web/support.js';

const CHROMIUM = '/usr/bin/chromium';
const RENDERER = join(process.cwd(), 'dist', 'renderer');
const SHARED_MODELS = resolve(process.cwd(), '..', 'shared', 'models');
const ready = existsSync(CHROMIUM) && existsSync(join(RENDERER, 'index.html')) && existsSync(SHARED_MODELS);

describe.skipIf(!ready)('the Models panel in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let modelsDir: string;
  const problems: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const data = await tempDir('models-panel');
    cleanups.push(data.cleanup);
    modelsDir = join(data.dir, 'models');
    await mkdir(join(data.dir, 'data'));
    const studio = await createStudio({
      dataDir: join(data.dir, 'data'),
      resources: { manifestsDir: checkoutResources().manifestsDir, modelsDir },
      mode: 'web',
    });
    cleanups.push(() => studio.dispose());
    const server = await startWebServer({ studio, rendererDir: RENDERER });
    cleanups.push(() => server.close());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(server.loginUrl);
  });

  afterAll(async () => {
    await browser?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('says the weights are missing and opens the panel from there', async () => {
    await page.getByTestId('models-missing').click();
    const panel = page.getByTestId('models-panel');
    await expect(panel.locator('[data-network="vgg19"] [data-testid="models-problem"]').textContent()).resolves.toBe('Not installed');
    // Web mode has no folder dialog: the folder is typed, and the button waits for it.
    await expect(panel.getByTestId('models-install-folder').isDisabled()).resolves.toBe(true);
    await expect(panel.textContent()).resolves.toContain(modelsDir);
  });

  it('installs from a folder on the server, then shows both networks verified and the notice gone', async () => {
    const panel = page.getByTestId('models-panel');
    await panel.getByTestId('models-folder').fill(SHARED_MODELS);
    await panel.getByTestId('models-install-folder').click();
    await panel.locator('[data-network="vgg19"] [data-testid="models-installed"]').waitFor({ timeout: 60_000 });
    await panel.locator('[data-network="fast-style"] [data-testid="models-installed"]').waitFor();
    await expect(panel.locator('[data-network="vgg19"]').textContent()).resolves.toContain(modelsDir);
    // VGG16 never comes with the shipped weights: its row says how to get it, in the app's words.
    await expect(panel.locator('[data-network="vgg16"] [data-testid="models-problem"]').textContent()).resolves.toMatch(
      /^Not installed\. To add it, put Keras's vgg16_weights_tf_dim_ordering_tf_kernels_notop\.h5/,
    );
    await expect(page.getByTestId('models-missing').count()).resolves.toBe(0);
    await expect(page.getByTestId('models-open').count()).resolves.toBe(1);
    expect(problems).toEqual([]);
  });
});
