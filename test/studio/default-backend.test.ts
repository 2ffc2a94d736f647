// The backend the entry points hand the studio (from ATELIER_BACKEND) while the person's choice is
// 'auto': it is what estimates, the size limit and renders assume, and a choice the person makes wins.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStudio, type Studio } from '../../src/main/studio.js';
import { makeTempDir, TUBINGEN } from '../library/support.js';

let cleanup: () => Promise<void>;
let studio: Studio;

async function call<T>(channel: string, payload: unknown = {}): Promise<T> {
  const result = await studio.dispatch(channel, payload);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await makeTempDir('atelier-default-backend-'));
  studio = await createStudio({ dataDir: join(dir, 'data'), mode: 'web', defaultBackend: 'cpu' });
});
afterAll(async () => {
  await studio?.dispose();
  await cleanup?.();
});

it('estimates and limits sizes for the default backend until the person chooses another', async () => {
  const photo = (await call<{ image: { id: string } }>('library:importImage', { name: 'tubingen.jpg', dataBase64: (await readFile(TUBINGEN)).toString('base64') })).image;
  const estimate = () => call<{ backend: string }>('backends:estimate', { settings: { size: 64 }, contentId: photo.id, styleIds: [photo.id] });

  expect((await call<{ choice: string }>('backends:list')).choice).toBe('auto');
  expect((await estimate()).backend).toBe('cpu');
  expect((await call<{ renderLimit: { backend: string } }>('app:info')).renderLimit.backend).toBe('cpu');

  await call('backends:choose', { name: 'wasm' });
  expect((await estimate()).backend).toBe('wasm');
});
