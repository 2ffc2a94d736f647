import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, SAMPLES, startStudio, type Studio } from './harness.js';

/**
 * Issue 8's missing features end to end in web mode: backend choice, the estimate beside Render,
 * side-by-side compare with zoom and flip keys, AVIF export, a batch with pause and re-order, and undo
 * for deletions. Renders are tiny (48 px, one stage, 6 iterations). Screenshots at 1440×900 and
 * 1024×700 go to $TMPDIR/atelier-e2e-features.
 */

const CONTENT = join(SAMPLES, 'content', 'tubingen.jpg');
const PHOTOS = [join(SAMPLES, 'content', 'golden_gate.jpg'), join(SAMPLES, 'style', 'shipwreck.jpg'), join(SAMPLES, 'style', 'the_scream.jpg')];
const STYLE = join(SAMPLES, 'style', 'starry_night.jpg');
const PAIR = 'tubingen × starry_night';

describe.skipIf(!existsSync(CHROMIUM))('issue 8 features end to end in Chromium (web mode)', () => {
  let s: Studio;
  const preferences = async () => JSON.parse(await readFile(join(s.dataDir, 'preferences.json'), 'utf8')) as { backend: string; speed: Record<string, { renders: number }> };
  const jobStates = () => s.inPage<string[]>(`[...document.querySelectorAll('[data-testid="queue-job"]')].map((j) => j.dataset.state)`);
  /** Both viewports, for the screens that matter. */
  async function shots(name: string): Promise<void> {
    await s.shot(name);
    await s.page.setViewportSize({ width: 1024, height: 700 });
    await s.shot(name);
    await s.page.setViewportSize({ width: 1440, height: 900 });
  }

  async function renderAndWait(): Promise<void> {
    const before = await s.page.locator('[data-testid="queue-job"][data-state="done"]').count();
    await s.byTestId('render-button').click();
    await s.waitInPage(`document.querySelectorAll('[data-testid="queue-job"][data-state="done"]').length === ${before + 1}`, 120_000);
  }

  beforeAll(async () => {
    s = await startStudio('atelier-e2e-features');
  });

  afterAll(async () => {
    await s?.close();
  });

  it('sets up a pair with a tiny render size', async () => {
    await s.page.goto(s.loginUrl);
    await s.byTestId('import-input').setInputFiles([CONTENT, STYLE, ...PHOTOS]);
    await s.waitInPage(`document.querySelectorAll('[data-testid="library-item"]').length === 5`, 60_000);
    await s.byTestId('new-pair').click();
    await s.page.getByRole('button', { name: 'Use tubingen.jpg as the content photo' }).click();
    await s.page.getByRole('button', { name: 'Add starry_night.jpg as a style' }).click();
    await s.waitInPage(`document.querySelector('[data-testid="pair-name"]').value === ${JSON.stringify(PAIR)}`);
    await s.byTestId('setting-size').fill('48');
    await s.page.locator('[data-testid="advanced-settings"] summary').click();
    await s.byTestId('setting-scales').fill('48');
    await s.byTestId('setting-iterations').fill('6');
    await s.byTestId('setting-progress-every').fill('2');
    await s.waitInPage(`document.querySelector('[data-testid="save-state"]')?.textContent.trim() === 'Saved'`);
  });

  it('lists the backends with the reason each unavailable one cannot run, and remembers the choice', async () => {
    const select = s.byTestId('backend-select');
    // Probed on first need: here the estimate beside Render has asked already.
    await s.waitInPage(`document.querySelectorAll('[data-testid="backend-select"] option').length > 1`, 90_000);
    const options = await select.locator('option').evaluateAll((o) => o.map((x) => ({ value: x.getAttribute('value'), disabled: (x as unknown as { disabled: boolean }).disabled })));
    // Automatic first, then every backend the engine knows; this machine has ONNX Runtime's CPU kernels
    // and no native TensorFlow, so automatic means onnx.
    expect(options[0]).toEqual({ value: 'auto', disabled: false });
    expect(options.map((o) => o.value)).toEqual(expect.arrayContaining(['tfjs-node-gpu', 'onnx', 'tfjs-node', 'wasm', 'cpu']));
    expect(options.find((o) => o.value === 'onnx')!.disabled).toBe(false);
    expect(options.find((o) => o.value === 'wasm')!.disabled).toBe(false);
    expect(options.find((o) => o.value === 'tfjs-node')!.disabled).toBe(true);
    expect(await select.locator('option[value="auto"]').textContent()).toContain('(Native CPU)');
    // Why not faster: each passed-over backend with the engine's own reason.
    const why = s.byTestId('backend-why');
    await why.locator('summary').click();
    const reasons = await why.locator('li').allTextContents();
    // Only tfjs-node-gpu comes before onnx in the automatic order, so it is the one passed over here.
    expect(reasons.some((r) => r.startsWith('GPU (CUDA, TensorFlow):') && r.length > 'GPU (CUDA, TensorFlow): '.length + 10)).toBe(true);
    await shots('backend-why');

    await select.selectOption('cpu');
    await s.waitInPage(`document.querySelector('[data-testid="render-estimate"]')?.textContent.includes('on Plain JavaScript')`);
    expect((await preferences()).backend).toBe('cpu');
    await select.selectOption('wasm');
    await s.waitInPage(`document.querySelector('[data-testid="render-estimate"]')?.textContent.includes('on WebAssembly')`);
    await s.page.reload();
    await s.waitInPage(`document.querySelector('[data-testid="backend-select"]')?.value === 'wasm'`, 30_000);
    expect((await preferences()).backend).toBe('wasm');
  });

  it('estimates time and memory beside Render, first from the built-in figure, then from the measured render', async () => {
    const estimate = s.byTestId('render-estimate');
    await s.waitInPage(`/^About .+ · \\d+ MB on WebAssembly$/.test(document.querySelector('[data-testid="render-estimate"]')?.textContent.trim() ?? '')`, 30_000);
    expect(await estimate.getAttribute('title')).toContain('benchmark figure');
    // A larger size needs more memory.
    const megabytes = async () => Number(/(\d+) MB/.exec((await estimate.textContent()) ?? '')?.[1]);
    const small = await megabytes();
    await s.byTestId('setting-size').fill('300');
    await s.byTestId('setting-scales').fill('300');
    await s.waitInPage(`!document.querySelector('[data-testid="render-estimate"]')?.textContent.includes('${small} MB')`);
    expect(await megabytes()).toBeGreaterThan(small);
    // (A size past what the backend can address is refused at the size field itself, bug 7; the
    // estimate's own "too large" answer is covered in test/studio/issue8-services.test.ts.)
    await s.byTestId('setting-size').fill('48');
    await s.byTestId('setting-scales').fill('48');
    await s.waitInPage(`document.querySelector('[data-testid="save-state"]')?.textContent.trim() === 'Saved'`);

    await renderAndWait();
    // The finished render's speed is kept per backend and the estimate now comes from it.
    await s.waitInPage(`(document.querySelector('[data-testid="render-estimate"]')?.title ?? '').includes('your last renders')`, 30_000);
    expect((await preferences()).speed.wasm!.renders).toBe(1);
    await shots('estimate-after-render');
  });

  it('compares side by side, zooms with + − 0 1, and shows the photo while the flip key is held', async () => {
    await s.byTestId('result-image').waitFor();
    await s.page.locator('body').click({ position: { x: 5, y: 5 } });
    // The slider view: holding \ shows the photo alone.
    await s.page.keyboard.down('\\');
    await s.byTestId('flipped-label').waitFor();
    expect(await s.inPage<string>(`document.querySelector('[data-testid="result-image"]').style.clipPath`)).toBe('inset(0px 0px 0px 100%)');
    await s.page.keyboard.up('\\');
    await s.byTestId('flipped-label').waitFor({ state: 'detached' });
    // With Compare off the render shows alone, and the key still shows the photo.
    await s.byTestId('compare-toggle').click();
    await s.byTestId('compare-divider').waitFor({ state: 'detached' });
    expect(await s.inPage<string>(`document.querySelector('[data-testid="result-image"]').style.clipPath`)).toBe('none');
    await s.page.keyboard.down('\\');
    await s.byTestId('flipped-label').waitFor();
    await s.page.keyboard.up('\\');
    await s.byTestId('compare-toggle').click();
    await s.byTestId('compare-divider').waitFor();

    await s.byTestId('side-by-side-toggle').click();
    const view = s.byTestId('side-by-side');
    await view.waitFor();
    expect(await view.locator('img').count()).toBe(2);
    expect(await view.locator('.label').allTextContents()).toEqual(['Before', 'After']);
    await s.page.keyboard.down('\\');
    await s.waitInPage(`[...document.querySelectorAll('[data-testid="side-by-side"] .label')].map((l) => l.textContent).join() === 'After,Before'`);
    await s.page.keyboard.up('\\');

    const level = () => s.byTestId('zoom-level').textContent();
    await s.page.keyboard.press('1');
    expect(await level()).toBe('100%');
    await s.page.keyboard.press('+');
    expect(await level()).toBe('125%');
    await s.page.keyboard.press('-');
    await s.page.keyboard.press('-');
    expect(await level()).toBe('80%');
    await s.page.keyboard.press('0');
    expect(await s.byTestId('zoom-fit').getAttribute('aria-pressed')).toBe('true');
    // Both panes draw the same frame: the same detail in the same place.
    const frames = await view.locator('img').evaluateAll((imgs) => imgs.map((img) => (img as unknown as { style: { transform: string; width: string } }).style.transform + (img as unknown as { style: { width: string } }).style.width));
    expect(frames[0]).toBe(frames[1]);
    await shots('side-by-side');
    await s.byTestId('side-by-side-toggle').click();
  });

  it('exports AVIF with its settings inside; web mode offers no folder or file manager', async () => {
    await s.byTestId('export-button').click();
    await s.byTestId('export-dialog').waitFor();
    expect(await s.byTestId('export-folder').count()).toBe(0);
    await s.byTestId('export-format').selectOption('avif');
    expect(await s.byTestId('export-quality').count()).toBe(1);
    await s.byTestId('export-name').fill('features-avif');
    await shots('export-avif');
    await s.byTestId('export-save').click();
    await s.byTestId('export-result').waitFor();
    expect(await s.byTestId('export-show').count()).toBe(0);
    const file = join(s.dataDir, 'exports', 'features-avif.avif');
    const metadata = await sharp(file).metadata();
    expect(metadata.format).toBe('heif');
    expect(metadata.compression).toBe('av1');
    expect(metadata.xmp?.toString('utf8')).toContain('atelier');
    await s.byTestId('export-save').click();
    await s.byTestId('export-dialog').waitFor({ state: 'detached' });
  });

  it('applies the look to three photos as one batch that can be paused and re-ordered', async () => {
    await s.byTestId('batch-button').click();
    const dialog = s.byTestId('batch-dialog');
    await dialog.waitFor();
    // The pair's own style is the look, not a photo to apply it to.
    const offered = await dialog.locator('[data-testid="batch-photo"]').evaluateAll((boxes) => boxes.map((b) => b.getAttribute('aria-label')));
    expect(offered).not.toContain('Render starry_night.jpg');
    expect(offered).toHaveLength(4);
    for (const name of ['golden_gate.jpg', 'shipwreck.jpg', 'the_scream.jpg']) await dialog.getByLabel(`Render ${name}`).check();
    expect(await s.byTestId('batch-count').textContent()).toBe('3 picked');
    await shots('batch-dialog');
    await s.byTestId('batch-queue').click();
    await s.toast('success', '3 renders queued as a batch');
    // Held before the second photo starts: the first runs on, the others wait.
    await s.byTestId('queue-pause').click();
    await s.waitInPage(`document.querySelector('[data-testid="queue-pause"]')?.getAttribute('aria-pressed') === 'true'`);
    const progress = s.byTestId('batch-progress');
    await progress.waitFor();
    expect(await progress.textContent()).toContain('of 3 photos done');

    // The list reads in the order things run: the running photo, then the two waiting in their order.
    await s.waitInPage(`document.querySelectorAll('[data-testid="queue-job"][data-state="queued"]').length === 2`, 60_000);
    const waitingNames = () => s.inPage<string[]>(`[...document.querySelectorAll('[data-testid="queue-job"][data-state="queued"] .name')].map((n) => n.textContent.trim())`);
    const states = await jobStates();
    expect(states.indexOf('running') === -1 || states.indexOf('running') < states.indexOf('queued')).toBe(true);
    const inOrder = await waitingNames();
    await s.page.getByRole('button', { name: `Render ${inOrder[1]} sooner` }).click();
    // Moved ahead: it is now the next to run, listed first of the waiting.
    const waiting = [...inOrder].reverse();
    await expect.poll(waitingNames).toEqual(waiting);
    await shots('batch-paused');

    // Paused: once the running photo is done, nothing else starts.
    await s.waitInPage(`!document.querySelector('[data-testid="queue-job"][data-state="running"]')`, 120_000);
    expect((await jobStates()).filter((state) => state === 'queued')).toHaveLength(2);
    expect(await progress.textContent()).toContain('1 of 3 photos done · paused');

    await s.byTestId('queue-pause').click();
    await s.waitInPage(`document.querySelectorAll('[data-testid="queue-job"][data-state="done"]').length === 4`, 180_000);
    await progress.waitFor({ state: 'detached' });
    // Each photo became a pair with the look, and ran in the new order (the moved one first).
    for (const name of ['golden_gate × starry_night', 'shipwreck × starry_night', 'the_scream × starry_night']) {
      await s.page.locator('[data-testid="pair-card"]').filter({ hasText: name }).filter({ hasText: '1 render' }).waitFor();
    }
    const finishedOrder = await s.inPage<string[]>(`(async () => {
      const renders = await (await fetch('/api/library/listRenders', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json();
      const pairs = await (await fetch('/api/library/listPairs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json();
      const name = (id) => pairs.value.find((p) => p.id === id).name;
      return renders.value.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt)).map((r) => name(r.pairId));
    })()`);
    expect(finishedOrder.slice(-2)).toEqual(waiting);
  });

  it('undoes deleting a render, a pair and a preset; what is not undone is deleted for good', async () => {
    // A render: gone from the page at once, back on Undo.
    await s.page.locator('[data-testid="pair-card"]').filter({ hasText: PAIR }).click();
    await s.byTestId('result-image').waitFor();
    await s.byTestId('delete-render').click();
    await s.toast('info', 'Render deleted');
    await s.byTestId('result-image').waitFor({ state: 'detached' });
    await shots('undo-toast');
    await s.byTestId('toast-action').click();
    await s.byTestId('result-image').waitFor();

    // A preset, saved then deleted: Undo brings it back, selected again.
    await s.byTestId('preset-save').click();
    await s.page.getByTestId('preset-name').fill('Undo me');
    await s.page.getByTestId('preset-name').press('Enter');
    await s.waitInPage(`[...document.querySelectorAll('[data-testid="preset-select"] option')].some((o) => o.textContent === 'Undo me')`);
    await s.byTestId('preset-delete').click();
    await s.toast('info', 'Preset deleted');
    await s.waitInPage(`![...document.querySelectorAll('[data-testid="preset-select"] option')].some((o) => o.textContent === 'Undo me')`);
    await s.page.getByTestId('toast-action').last().click();
    await s.waitInPage(`document.querySelector('[data-testid="preset-select"] option:checked')?.textContent === 'Undo me'`);

    // A pair, not undone: deleted in the library once the toast's time runs out.
    const doomed = 'the_scream × starry_night';
    await s.page.getByRole('button', { name: `Delete pair ${doomed}` }).click();
    await s.toast('info', 'Pair deleted');
    await s.page.locator('[data-testid="pair-card"]').filter({ hasText: doomed }).waitFor({ state: 'detached' });
    const pairNames = () => s.inPage<string[]>(`fetch('/api/library/listPairs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.json()).then((r) => r.value.map((p) => p.name))`);
    expect(await pairNames()).toContain(doomed);
    await s.waitInPage(`!document.querySelector('[data-testid="toast-action"]')`, 20_000);
    await s.waitInPage(`fetch('/api/library/listPairs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.json()).then((r) => !r.value.some((p) => p.name === ${JSON.stringify(doomed)}))`);
    // The undone ones are still there after a reload.
    await s.page.reload();
    await s.page.locator('[data-testid="pair-card"]').filter({ hasText: PAIR }).filter({ hasText: '1 render' }).waitFor();
    // The presets arrive after the pairs: wait for them rather than read the list once.
    await expect.poll(() => s.byTestId('preset-select').locator('option').allTextContents(), { timeout: 30_000 }).toContain('Undo me');
    expect(await pairNames()).not.toContain(doomed);
  });

  it('raised no uncaught errors in the page', () => {
    expect(s.pageErrors).toEqual([]);
  });
});
