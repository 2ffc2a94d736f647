// Instant renders and the grid's looks in real render-worker processes (the compiled worker in dist/:
// run `npm run -s build:node` first), on the shared fast-style weights.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAST_STYLES } from '../../src/common/instant.js';
import { renderWorkerPath, startLooksProcess, startRenderProcess } from '../../src/main/services/queue/render-process.js';
import { SHARED_MODELS } from '../models/paths.js';
import { checkoutResources } from '../../src/main/services/resources/index.js';

const MANIFESTS = checkoutResources().manifestsDir;

const TUBINGEN = fileURLToPath(new URL('../../../shared/images/content/tubingen.jpg', import.meta.url));
// The same backend on every machine.
const models = { dir: SHARED_MODELS, manifestsDir: MANIFESTS };
const onWasm = { backend: 'wasm' } as const;

beforeAll(() => {
  if (!existsSync(renderWorkerPath())) throw new Error('build the worker first: npm run -s build:node');
});

describe('the render worker', () => {
  it('runs an instant render as a render: the picture at the asked size, no losses, no progress events', async () => {
    const updates: unknown[] = [];
    const render = startRenderProcess(
      { content: TUBINGEN, styles: [], settings: { size: 64, keepColors: true, instant: { net: 'wave', strength: 80 } }, models, ...onWasm },
      (update) => updates.push(update),
    );
    const outcome = await render.result;
    expect([outcome.image.width, outcome.image.height]).toEqual([64, 48]);
    expect(outcome.cancelled).toBe(false);
    expect(outcome.backend).toBe('wasm');
    expect(outcome.losses.final.total).toBe(0);
    expect(outcome.stages).toMatchObject([{ size: 64, width: 64, height: 48, iterations: 0 }]);
    expect(updates).toEqual([]);
  });

  it('answers a missing network with the install message', async () => {
    const render = startRenderProcess(
      { content: TUBINGEN, styles: [], settings: { size: 64, instant: { net: 'wave' } }, models: { dir: path.join(path.dirname(TUBINGEN), 'no-models'), manifestsDir: MANIFESTS }, ...onWasm },
      () => undefined,
    );
    await expect(render.result).rejects.toMatchObject({ code: 'MODELS_MISSING', message: expect.stringMatching(/not installed .*models:install/) });
  });

  it('paints the nine looks of the grid, in order, as JPEG pictures', async () => {
    const looks = await startLooksProcess({ content: TUBINGEN, size: 48, models, ...onWasm }).result;
    expect(looks.map((look) => look.net)).toEqual([...FAST_STYLES]);
    for (const look of looks) {
      const meta = await sharp(Buffer.from(look.jpegBase64, 'base64')).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 48, 36]);
    }
  });
});
