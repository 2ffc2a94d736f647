import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, SAMPLES, startStudio, type Studio } from './harness.js';

/**
 * The onnx backend's device (ONNX Runtime's execution provider) chosen in the studio, web mode in
 * Chromium: each provider with whether it starts on this machine and why not, a choice that is kept and
 * reaches the render (its details name the device), and one that cannot start refused with its reason.
 * This machine has no GPU: only the CPU provider runs. Screenshots go to $TMPDIR/atelier-e2e-device.
 */

const CONTENT = join(SAMPLES, 'content', 'tubingen.jpg');
const STYLE = join(SAMPLES, 'style', 'starry_night.jpg');

describe.skipIf(!existsSync(CHROMIUM))('onnx device choice end to end in Chromium (web mode)', () => {
  let s: Studio;
  const preferences = async () => JSON.parse(await readFile(join(s.dataDir, 'preferences.json'), 'utf8')) as { backend: string; device: string };

  beforeAll(async () => {
    s = await startStudio('atelier-e2e-device');
  });

  afterAll(async () => {
    await s?.close();
  });

  it('lists each onnx device with whether it starts here, and why not', async () => {
    await s.page.goto(s.loginUrl);
    await s.byTestId('import-input').setInputFiles([CONTENT, STYLE]);
    await s.waitInPage(`document.querySelectorAll('[data-testid="library-item"]').length === 2`, 60_000);
    await s.byTestId('new-pair').click();
    await s.page.getByRole('button', { name: 'Use tubingen.jpg as the content photo' }).click();
    await s.page.getByRole('button', { name: 'Add starry_night.jpg as a style' }).click();
    await s.byTestId('setting-size').fill('48');
    await s.page.locator('[data-testid="advanced-settings"] summary').click();
    await s.byTestId('setting-scales').fill('48');
    await s.byTestId('setting-iterations').fill('4');
    await s.waitInPage(`document.querySelector('[data-testid="save-state"]')?.textContent.trim() === 'Saved'`);

    // The backends are probed on first need: a look at the backend picker asks. onnx runs here automatically.
    await s.byTestId('backend-select').focus();
    await s.waitInPage(`document.querySelectorAll('[data-testid="device-select"] option').length > 1`, 90_000);
    const options = await s.byTestId('device-select').locator('option').evaluateAll((list) =>
      list.map((o) => ({ value: o.getAttribute('value'), disabled: (o as unknown as { disabled: boolean }).disabled, title: o.getAttribute('title'), text: o.textContent!.trim() })));
    expect(options.map((o) => o.value)).toEqual(['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu']);
    expect(options[0]!.text).toBe('Auto (CPU)');
    expect(options.find((o) => o.value === 'cpu')).toMatchObject({ disabled: false, text: 'CPU' });
    // No GPU here: every other provider is offered but cannot be picked, each with the runtime's reason.
    for (const gpu of options.filter((o) => o.value !== 'auto' && o.value !== 'cpu')) {
      expect(gpu.disabled, gpu.value!).toBe(true);
      expect(gpu.text).toContain('— unavailable');
      expect(gpu.title!.length, gpu.value!).toBeGreaterThan(10);
    }
    expect(options.find((o) => o.value === 'dml')!.title).toContain("not in ONNX Runtime's linux-x64 build");

    const why = s.byTestId('device-why');
    await why.locator('summary').click();
    const reasons = await why.locator('li').allTextContents();
    expect(reasons.map((r) => r.split(':')[0])).toEqual(['GPU (CUDA, NVIDIA)', 'GPU (DirectML, Windows)', 'GPU (Core ML, Apple)', 'GPU (WebGPU, experimental)']);
    await s.shot('device-why');
    await s.page.setViewportSize({ width: 1024, height: 700 });
    await s.shot('device-why');
    await s.page.setViewportSize({ width: 1440, height: 900 });
  });

  it('refuses a device that cannot start, with its reason, and keeps the one before', async () => {
    // As a list probed before a driver went away would offer it: the select changed to cuda directly.
    await s.inPage(`(() => { const select = document.querySelector('[data-testid="device-select"]'); select.value = 'cuda'; select.dispatchEvent(new Event('change')); })()`);
    const told = await s.toast('error', 'cuda device cannot run on this machine');
    expect(told).toMatch(/^Not available on this machine \| The cuda device cannot run on this machine: .*Failed to load shared library/);
    await s.waitInPage(`document.querySelector('[data-testid="device-select"]').value === 'auto'`);
    expect(await s.inPage('!!document.querySelector(\'[data-testid="device-select"] option[value="cuda"]\').disabled')).toBe(true);
  });

  it('renders on the chosen device, says so in the details, and keeps the choice over a reload', async () => {
    await s.byTestId('device-select').selectOption('cpu');
    await s.waitInPage(`document.querySelector('[data-testid="device-select"]').value === 'cpu'`);
    await expect.poll(async () => (await preferences()).device).toBe('cpu');

    await s.byTestId('render-button').click();
    await s.waitInPage(`document.querySelectorAll('[data-testid="queue-job"][data-state="done"]').length === 1`, 120_000);
    await s.byTestId('result-image').waitFor();
    await s.byTestId('details-toggle').click();
    expect(await s.byTestId('render-backend').innerText()).toBe('onnx');
    expect(await s.byTestId('render-device').innerText()).toBe('cpu');
    await s.shot('render-device');

    await s.page.reload();
    await s.waitInPage(`document.querySelector('[data-testid="device-select"]')?.value === 'cpu'`, 90_000);

    // The device belongs to onnx: with another backend there is none to choose.
    await s.byTestId('backend-select').selectOption('wasm');
    await s.waitInPage(`!document.querySelector('[data-testid="device-select"]')`);
    await expect.poll(preferences).toMatchObject({ backend: 'wasm', device: 'cpu' });
    expect(s.pageErrors).toEqual([]);
  });
});
