import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Studio } from '../../src/main/studio.js';
import { startWebServer, type WebServer } from '../../src/main/web/index.js';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { samplePng, tempStudio } from './support.js';

const RENDERER = join(process.cwd(), 'dist', 'renderer');
// Needs the built page (`npm run build:web`) and Debian's Chromium; skipped, saying so, without them.
const ready = hasChromium && existsSync(join(RENDERER, 'index.html'));

describe.skipIf(!ready)('web mode in Chromium (the built renderer)', () => {
  let studio: Studio;
  let cleanup: () => Promise<void>;
  let server: WebServer;
  let browser: Browser;
  let imageId: string;

  beforeAll(async () => {
    ({ studio, cleanup } = await tempStudio('web'));
    const imported = await studio.dispatch('library:importImage', { name: 'p.png', dataBase64: (await samplePng(11)).toString('base64') });
    if (!imported.ok) throw new Error(imported.error.message);
    imageId = (imported.value as { image: { id: string } }).image.id;
    server = await startWebServer({ studio, rendererDir: RENDERER });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await cleanup?.();
  });

  it('logs in with the token, then calls, streams events and shows media under the strict CSP', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const refused: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if ([401, 403].includes(response.status())) refused.push(response.url());
    });
    await page.addInitScript(`
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
    `);
    await page.goto(server.loginUrl);
    expect(page.url()).toBe(server.url);
    await page.waitForLoadState('networkidle');

    // Runs in the page (DOM types are not in this Node project, hence a string).
    const result = (await page.evaluate(`(async (id) => {
      const call = async (path, body) =>
        (await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();
      const names = [];
      const stream = new EventSource('/api/events');
      await new Promise((resolve) => (stream.onopen = resolve));
      stream.onmessage = (message) => names.push(JSON.parse(message.data).name);
      const info = await call('/api/app/info', {});
      const saved = await call('/api/presets/save', { name: 'From Chromium', settings: {} });
      const bad = await call('/api/presets/save', { name: '' });
      // A bound on the wait, not a measurement: generous, so a busy machine does not trip it.
      const deadline = Date.now() + 30000;
      while (!names.includes('presets:changed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      stream.close();
      const image = new Image();
      image.src = '/media/image/' + id + '/original';
      await image.decode();
      return {
        cookie: document.cookie,
        info,
        saved: saved.ok,
        bad: bad.error && bad.error.code,
        names,
        size: [image.naturalWidth, image.naturalHeight],
        violations: window.cspViolations,
      };
    })(${JSON.stringify(imageId)})`)) as { cookie: string; info: unknown; saved: boolean; bad: string; names: string[]; size: number[]; violations: string[] };

    expect(result.cookie).toBe('');
    expect(result.info).toMatchObject({ ok: true, value: { mode: 'web' } });
    expect(result.saved).toBe(true);
    expect(result.bad).toBe('BAD_REQUEST');
    expect(result.names).toContain('presets:changed');
    expect(result.size).toEqual([64, 48]);
    expect(result.violations).toEqual([]);
    expect(problems).toEqual([]);
    expect(refused).toEqual([]);

    // A page on another origin gets nothing: no cookie goes with its requests.
    const stranger = await browser.newPage();
    const answer = await stranger.goto(`http://localhost:${server.port}/`);
    expect(answer?.status()).toBe(401);
  });
});
