// The desktop app's render launcher (Electron's utility process) driving the real render worker. The
// Electron binary is not installed here, so `utilityProcess.fork` is a stand-in that runs the module in a
// forked Node with a parentPort shaped like Electron's (utility-process-child.mjs); the worker, its
// supervisor and the engine are the real ones.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WorkerProgress } from '../../src/main/services/queue/messages.js';
import { renderWorkerPath, startRenderProcess } from '../../src/main/services/queue/render-process.js';
import type { RenderRequest } from '../../src/main/services/render/index.js';

const started: string[] = [];

vi.mock('electron', async () => ({
  utilityProcess: (await import('./utility-process-stand-in.js')).utilityProcessStandIn((serviceName, modulePath) => started.push(`${serviceName}: ${modulePath}`)),
}));

const images = resolve(fileURLToPath(import.meta.url), '../../../../shared/images');
const request: RenderRequest = {
  content: join(images, 'content/tubingen.jpg'),
  styles: [{ path: join(images, 'style/starry_night.jpg') }],
  settings: { size: 32, scales: [32], iterations: 3, progressEvery: 1 },
  // The same backend on every machine.
  backend: 'wasm',
};
let temp: string;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'atelier-utility-'));
});

afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe.skipIf(!existsSync(renderWorkerPath()))('renders in a utility process', () => {
  it('runs the render worker through parentPort: progress, then the image', async () => {
    const { utilityRenderProcess } = await import('../../src/main/app/utility-render.js');
    const updates: WorkerProgress[] = [];
    const outcome = await startRenderProcess(request, (update) => updates.push(update), utilityRenderProcess).result;
    expect(started).toEqual([`Atelier render: ${renderWorkerPath()}`]);
    expect(updates.map((update) => update.done)).toEqual([1, 2, 3]);
    expect(outcome.cancelled).toBe(false);
    expect(outcome.image.data).toBeInstanceOf(Uint8Array);
    expect(Math.max(outcome.image.width, outcome.image.height)).toBe(32);
  });

  it("passes the render's own error back", async () => {
    const { utilityRenderProcess } = await import('../../src/main/app/utility-render.js');
    const models = { manifestsDir: resolve(fileURLToPath(import.meta.url), '../../../models'), dir: temp };
    const failure = startRenderProcess({ ...request, models }, () => undefined, utilityRenderProcess).result;
    await expect(failure).rejects.toMatchObject({ code: 'MODELS_MISSING' });
  });
});
