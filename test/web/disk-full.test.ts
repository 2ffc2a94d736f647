// A full disk on every write path answers DISK_FULL in plain words ("The disk holding your library is
// full: free N MB and try again"), through the real web server and studio on a real full file system
// (a tmpfs; see small-disk.ts for why, and why these tests skip without mount rights), and loses nothing.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorData } from '../../src/common/errors.js';
import { createExporter } from '../../src/main/services/export/index.js';
import { explainDiskFull } from '../../src/main/services/files/disk-full.js';
import { checkoutResources } from '../../src/main/services/resources/index.js';
import { createStudio, type Studio } from '../../src/main/studio.js';
import { startWebServer, type WebServer } from '../../src/main/web/index.js';
import { fakeLibrary, RENDER_ID } from '../export/fake-library.js';
import { canMount, mountSmallDisk, type SmallDisk } from '../support/small-disk.js';
import { raw, samplePng } from './support.js';

const SHARED_MODELS = resolve(import.meta.dirname, '../../../shared/models');
const LIBRARY_FULL = /^The disk holding your library is full: free \d[\d.,]* MB and try again \(\d[\d.,]* MB of \d[\d.,]* MB free at "[^"]+"\)$/;

let disk: SmallDisk;
let studio: Studio;
let server: WebServer;
let dataDir: string;
let imageId: string;
let pairId: string;
let presetId: string;
let presetJson: string;

const call = async <T = unknown>(channel: string, payload: unknown) => {
  const [service, method] = channel.split(':');
  const answer = await raw(server.port, `/api/${service}/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify(payload),
  });
  return { status: answer.status, body: JSON.parse(answer.body.toString('utf8')) as { ok: boolean; value: T; error?: { code: string; message: string } } };
};

const settings = { size: 48, iterations: 4 };

describe.skipIf(!canMount)('a full disk on every write path (needs tmpfs mounts: root with CAP_SYS_ADMIN)', () => {
  beforeAll(async () => {
    disk = await mountSmallDisk(5 * 1024);
    dataDir = join(disk.dir, 'data');
    await mkdir(dataDir);
    const { manifestsDir } = checkoutResources();
    studio = await createStudio({ dataDir, mode: 'web', resources: { manifestsDir, modelsDir: join(disk.dir, 'models') } });
    server = await startWebServer({ studio, rendererDir: join(disk.dir, 'no-renderer') });
    // What the person had before the disk filled up, to check that nothing of it is lost.
    const imported = await call<{ image: { id: string } }>('library:importImage', { name: 'mine.png', dataBase64: (await samplePng(3)).toString('base64') });
    imageId = imported.body.value.image.id;
    pairId = (await call<{ id: string }>('library:savePair', { name: 'Mine', contentId: imageId, styles: [{ imageId, weight: 1 }], settings })).body.value.id;
    presetId = (await call<{ id: string }>('presets:save', { name: 'Mine', settings })).body.value.id;
    presetJson = (await call<{ json: string }>('presets:export', { id: presetId })).body.value.json;
    await disk.fill();
  });

  afterAll(async () => {
    await server?.close();
    await studio?.dispose();
    await disk?.dispose();
  });

  it.each([
    ['library:importImage', async () => ({ name: 'new.png', dataBase64: (await samplePng(4)).toString('base64') })],
    ['library:savePair', async () => ({ name: 'Another', contentId: imageId, styles: [], settings })],
    ['library:savePair', async () => ({ id: pairId, name: 'Renamed', contentId: imageId, styles: [], settings })],
    ['library:deletePair', async () => ({ id: pairId })],
    ['presets:save', async () => ({ name: 'Another', settings })],
    ['presets:rename', async () => ({ id: presetId, name: 'Renamed' })],
    ['presets:import', async () => ({ json: presetJson })],
    ['backends:choose', async () => ({ name: 'cpu' })],
    ['backends:chooseDevice', async () => ({ device: 'cpu' })],
  ])('%s answers HTTP 507 DISK_FULL with the space to free', async (channel, payload) => {
    const { status, body } = await call(channel, await payload());
    expect(body.error?.code, JSON.stringify(body)).toBe('DISK_FULL');
    expect(status).toBe(507);
    expect(body.error!.message).toMatch(LIBRARY_FULL);
    expect(body.error!.message).toContain(`at "${resolve(dataDir)}"`);
  });

  it('an import through the desktop door (the same dispatch IPC uses) says the same, counting the file in what to free', async () => {
    // Random pixels do not compress: a 2 MB file, more than the 1 MB asked for when a write's size is unknown.
    const png = await sharp(randomBytes(900 * 900 * 3), { raw: { width: 900, height: 900, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    expect(png.length).toBeGreaterThan(2 * 1024 * 1024);
    const answer = await studio.dispatch('library:importImage', { name: 'big.png', dataBase64: png.toString('base64') });
    expect(answer).toMatchObject({ ok: false, error: { code: 'DISK_FULL', message: expect.stringMatching(LIBRARY_FULL) } });
    const free = Number(/free (\d[\d.]*) MB and try again/.exec((answer as { error: { message: string } }).error.message)![1]);
    expect(free * 1024 * 1024).toBeGreaterThan(png.length);
  });

  it('models:installFromFolder names the models folder it could not fill', async () => {
    const { status, body } = await call('models:installFromFolder', { from: SHARED_MODELS });
    expect(body.error?.code, JSON.stringify(body)).toBe('DISK_FULL');
    expect(status).toBe(507);
    expect(body.error!.message).toMatch(/^The disk holding "[^"]*models[^"]*" is full: free \d[\d.,]* MB and try again/);
  });

  it('loses nothing: what was there before is still listed and served', async () => {
    const images = await call<{ id: string }[]>('library:listImages', {});
    expect(images.body.value.map((i) => i.id)).toEqual([imageId]);
    expect((await call('library:listPairs', {})).body.value).toMatchObject([{ id: pairId, name: 'Mine' }]);
    expect((await call<{ id: string }[]>('presets:list', {})).body.value.filter((p) => p.id === presetId)).toMatchObject([{ name: 'Mine' }]);
    const document = JSON.parse(await readFile(join(dataDir, 'library.json'), 'utf8')) as { images: { id: string }[] };
    expect(document.images.map((i) => i.id)).toEqual([imageId]);
    const media = await raw(server.port, `/media/image/${imageId}/original`, { headers: { Authorization: `Bearer ${server.token}` } });
    expect(media.body.equals(await samplePng(3))).toBe(true);
  });

  it('an export into a full folder names that folder', async () => {
    const made = await fakeLibrary();
    try {
      const exportDir = join(disk.dir, 'exports');
      const exporter = createExporter({ exportDir, library: made.library });
      const error = await exporter.render({ renderId: RENDER_ID, format: 'png', quality: 90, size: 'rendered', name: 'x' }).then(() => null, (e: unknown) => e);
      const data = errorData(await explainDiskFull(error, dataDir));
      expect(data.code).toBe('DISK_FULL');
      expect(data.message).toMatch(new RegExp(`^The disk holding "${exportDir}" is full: free \\d[\\d.,]* MB and try again`));
    } finally {
      await made.cleanup();
    }
  });
});
