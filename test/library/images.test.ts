// Importing images: real sharp on the sample photos and on broken files, in a temporary data folder.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../src/common/contract/index.js';
import { createLibrary, THUMBNAIL_LONG_SIDE, type Library, type LibraryChange } from '../../src/main/services/library/index.js';
import { listDir, makeTempDir, SAMPLES, STARRY_NIGHT, TUBINGEN, upload } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
let library: Library;
let changes: LibraryChange['what'][];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  library = await createLibrary({ dataDir: dir, samplesDir: SAMPLES });
  changes = [];
  library.onDidChange(({ what }) => changes.push(what));
});
afterEach(() => cleanup());

/** Nothing recorded, no file kept, no staging left over, nobody told. */
async function expectUnchanged(): Promise<void> {
  expect(await library.listImages({})).toEqual([]);
  for (const folder of ['images', 'thumbnails', 'tmp']) expect(await listDir(join(dir, folder))).toEqual([]);
  expect(changes).toEqual([]);
}

describe('importImage', () => {
  it('keeps the original bytes under their sha256, records the size and format, and makes a 320 px thumbnail', async () => {
    const bytes = await readFile(TUBINGEN);
    const before = Date.now();
    const { image, duplicate } = await library.importImage(await upload(TUBINGEN));
    const after = Date.now();
    expect(duplicate).toBe(false);
    expect(image).toMatchObject({ id: createHash('sha256').update(bytes).digest('hex'), name: 'tubingen.jpg', width: 1024, height: 768, format: 'jpeg', bytes: bytes.length });
    // Stamped during the call, however long a busy machine made it take.
    expect(Date.parse(image.importedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(image.importedAt)).toBeLessThanOrEqual(after);

    const original = await library.imageFile(image.id, 'original');
    expect(original).toBe(join(dir, 'images', `${image.id}.jpg`));
    expect((await readFile(original)).equals(bytes)).toBe(true);
    const thumbnail = await sharp(await library.imageFile(image.id, 'thumbnail')).metadata();
    expect([thumbnail.format, thumbnail.width, thumbnail.height]).toEqual(['jpeg', THUMBNAIL_LONG_SIDE, 240]);

    expect(await library.listImages({})).toEqual([image]);
    expect(await library.getImage(image.id)).toEqual(image);
    expect(changes).toEqual(['images']);
    expect(await listDir(join(dir, 'tmp'))).toEqual([]);
  });

  it('returns the existing asset for the same bytes under another name, and adds nothing', async () => {
    const first = await library.importImage(await upload(TUBINGEN));
    const again = await library.importImage(await upload(TUBINGEN, 'copy of tubingen.jpg'));
    expect(again).toEqual({ image: first.image, duplicate: true });
    expect(await library.listImages({})).toHaveLength(1);
    expect(changes).toEqual(['images']);
  });

  it('records a PNG as png and keeps its extension', async () => {
    const png = await sharp(STARRY_NIGHT).resize(200).png().toBuffer();
    const { image } = await library.importImage({ name: 'small.png', dataBase64: png.toString('base64') });
    expect([image.format, image.width, image.height]).toEqual(['png', 200, 125]);
    expect(await library.imageFile(image.id, 'original')).toBe(join(dir, 'images', `${image.id}.png`));
    // Smaller than a thumbnail: kept at its own size, never enlarged.
    expect((await sharp(await library.imageFile(image.id, 'thumbnail')).metadata()).width).toBe(200);
  });

  it.each([
    ['a text file', 'notes.txt', Buffer.from('this is not a picture\n'), 'IMAGE_UNREADABLE', '"notes.txt" is not an image Atelier can read (JPEG, PNG'],
    ['zero bytes', 'empty.jpg', Buffer.alloc(0), 'IMAGE_EMPTY', '"empty.jpg" is empty (0 bytes)'],
    ['a truncated JPEG', 'cut.jpg', null, 'IMAGE_UNREADABLE', '"cut.jpg" is damaged or incomplete and could not be read'],
  ])('refuses %s with a clear message and leaves the library unchanged', async (_what, name, given, code, message) => {
    const bytes = given ?? (await readFile(TUBINGEN)).subarray(0, 150_000);
    await expect(library.importImage({ name, dataBase64: bytes.toString('base64') })).rejects.toMatchObject({ code, message: expect.stringContaining(message) });
    await expectUnchanged();
  });

  it('names the file the person chose even when the name is not a safe file name', async () => {
    await expect(library.importImage({ name: '../../etc/passwd', dataBase64: Buffer.from('root:x:0:0').toString('base64') }))
      .rejects.toMatchObject({ code: 'IMAGE_UNREADABLE', message: expect.stringContaining('"passwd" is not an image') });
    await expectUnchanged();
  });

  it('refuses a file over 100 MB before decoding it', async () => {
    const dataBase64 = 'A'.repeat(Math.ceil(((MAX_UPLOAD_BYTES + 3) * 4) / 3));
    await expect(library.importImage({ name: 'huge.tif', dataBase64 }))
      .rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', message: '"huge.tif" is 100.1 MB; Atelier takes files of up to 100 MB' });
    await expectUnchanged();
  });
});

describe('importSamples', () => {
  it('imports every sample photo and painting, content first, and again returns the same assets', async () => {
    const assets = await library.importSamples({});
    expect(assets.map((a) => a.name)).toEqual(['golden_gate.jpg', 'tubingen.jpg', 'shipwreck.jpg', 'starry_night.jpg', 'the_scream.jpg']);
    expect(await listDir(join(dir, 'thumbnails'))).toHaveLength(5);
    expect(changes).toEqual(['images']);

    expect(await library.importSamples({})).toEqual(assets);
    expect(await library.listImages({})).toEqual(assets);
    expect(changes).toEqual(['images']);
  });

  it('imports nothing when no samples are installed', async () => {
    const without = await createLibrary({ dataDir: dir });
    expect(await without.importSamples({})).toEqual([]);
    const missing = await createLibrary({ dataDir: dir, samplesDir: join(dir, 'no-such-folder') });
    expect(await missing.importSamples({})).toEqual([]);
  });
});
