// Pairs and renders: CRUD, persistence across instances, delete cascades, and what the startup sweep may remove.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageAsset, NewNotice } from '../../src/common/contract/index.js';
import { readImage } from '../../src/main/services/images/index.js';
import { createLibrary, type Library, type LibraryChange } from '../../src/main/services/library/index.js';
import { gradient, listDir, makeTempDir, newRender, savePlainPair, STARRY_NIGHT, TUBINGEN, upload } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
let library: Library;
let changes: LibraryChange['what'][];
let content: ImageAsset;
let style: ImageAsset;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  library = await createLibrary({ dataDir: dir });
  ({ image: content } = await library.importImage(await upload(TUBINGEN)));
  ({ image: style } = await library.importImage(await upload(STARRY_NIGHT)));
  changes = [];
  library.onDidChange(({ what }) => changes.push(what));
});
afterEach(() => cleanup());

function saveTubingenPair(name: string, id?: string) {
  return library.savePair({
    ...(id !== undefined && { id }), name, contentId: content.id, styles: [{ imageId: style.id, weight: 1 }], settings: { size: 256 }, presetId: null,
  });
}

describe('pairs', () => {
  it('creates with a trimmed name and a new id, then updates in place', async () => {
    const created = await saveTubingenPair('  Tübingen at night ');
    expect(created).toMatchObject({ name: 'Tübingen at night', contentId: content.id, styles: [{ imageId: style.id, weight: 1 }], presetId: null });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.updatedAt).toBe(created.createdAt);

    await new Promise((r) => setTimeout(r, 5));
    const updated = await saveTubingenPair('Renamed', created.id);
    expect(updated).toMatchObject({ id: created.id, name: 'Renamed', createdAt: created.createdAt });
    expect(updated.updatedAt > created.updatedAt).toBe(true);
    expect(await library.listPairs({})).toEqual([updated]);
    expect(await library.getPair(created.id)).toEqual(updated);
    expect(changes).toEqual(['pairs', 'pairs']);
  });

  it('refuses a blank name, an unknown pair id and images that are not in the library', async () => {
    await expect(saveTubingenPair('   ')).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'a pair needs a name' });
    await expect(saveTubingenPair('x', 'no-such-pair')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'there is no pair with id no-such-pair in the library' });
    await expect(library.savePair({ name: 'x', contentId: 'missing-image', styles: [], settings: {}, presetId: null }))
      .rejects.toMatchObject({ code: 'NOT_FOUND', message: 'the pair uses images that are not in the library: missing-image' });
    await expect(library.getPair('no-such-pair')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await library.listPairs({})).toEqual([]);
    expect(changes).toEqual([]);
  });
});

describe('renders', () => {
  it('writes the PNG and a thumbnail before recording, and lists, finds and deletes them', async () => {
    const pair = await saveTubingenPair('A');
    const other = await saveTubingenPair('B');
    const picture = gradient(400, 300);
    const render = await library.addRender(newRender(pair.id, picture));
    await library.addRender(newRender(other.id, gradient(16, 16)));
    expect(render).toMatchObject({ pairId: pair.id, width: 400, height: 300, backend: 'wasm', cancelled: false, durationMs: 5000 });

    const full = await library.renderFile(render.id, 'full');
    expect(full).toBe(join(dir, 'renders', `${render.id}.png`));
    expect(Buffer.from((await readImage(full)).image.data).equals(Buffer.from(picture.data))).toBe(true);
    const thumbnail = await sharp(await library.renderFile(render.id, 'thumbnail')).metadata();
    expect([thumbnail.format, thumbnail.width, thumbnail.height]).toEqual(['jpeg', 320, 240]);

    expect(await library.listRenders({ pairId: pair.id })).toEqual([render]);
    expect(await library.listRenders({})).toHaveLength(2);
    expect(await library.getRender(render.id)).toEqual(render);

    await library.deleteRender({ id: render.id });
    await expect(library.getRender(render.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(library.renderFile(render.id, 'full')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await listDir(join(dir, 'renders'))).toHaveLength(2);
    expect(changes).toEqual(['pairs', 'pairs', 'renders', 'renders', 'renders']);
  });

  it('imports a render as an image that a pair starts from, and keeps that image while the pair uses it', async () => {
    const pair = await saveTubingenPair('tubingen · The Great Wave');
    const picture = gradient(40, 30);
    const render = await library.addRender(newRender(pair.id, picture));
    const { image, duplicate } = await library.importRender({ id: render.id });
    expect(duplicate).toBe(false);
    expect(image).toMatchObject({ name: 'tubingen · The Great Wave.png', width: 40, height: 30, format: 'png' });
    expect(Buffer.from((await readImage(await library.imageFile(image.id, 'original'))).image.data).equals(Buffer.from(picture.data))).toBe(true);
    expect((await library.importRender({ id: render.id })).duplicate).toBe(true);

    const refined = await library.savePair({ name: 'refined', contentId: content.id, styles: [], settings: { init: 'image' }, presetId: null, initImageId: image.id });
    expect((await library.getPair(refined.id)).initImageId).toBe(image.id);
    await expect(library.deleteImage({ id: image.id })).rejects.toMatchObject({ code: 'IN_USE', message: expect.stringContaining('"refined"') as unknown });
    await expect(library.savePair({ name: 'x', contentId: null, styles: [], settings: {}, presetId: null, initImageId: 'f'.repeat(64) }))
      .rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(library.importRender({ id: 'no-such-render' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a render of an unknown pair and writes no file', async () => {
    await expect(library.addRender(newRender('no-such-pair', gradient(8, 8)))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await listDir(join(dir, 'renders'))).toEqual([]);
  });
});

describe('deleting', () => {
  it('refuses to delete an image a pair uses, naming the pairs; deleting the pairs deletes their renders', async () => {
    const a = await saveTubingenPair('Night');
    const b = await saveTubingenPair('Day');
    await library.addRender(newRender(a.id, gradient(32, 24)));
    await library.addRender(newRender(a.id, gradient(32, 24)));
    const kept = await library.addRender(newRender(b.id, gradient(32, 24)));

    await expect(library.deleteImage({ id: style.id }))
      .rejects.toMatchObject({ code: 'IN_USE', message: '"starry_night.jpg" is used by 2 pairs ("Night", "Day"); delete them first' });
    await library.deletePair({ id: a.id });
    expect(await library.listRenders({})).toEqual([kept]);
    expect(await listDir(join(dir, 'renders'))).toEqual([`${kept.id}.png`, `${kept.id}.thumb.jpg`]);
    await expect(library.deleteImage({ id: content.id }))
      .rejects.toMatchObject({ code: 'IN_USE', message: '"tubingen.jpg" is used by the pair "Day"; delete the pair first' });

    await library.deletePair({ id: b.id });
    await library.deleteImage({ id: content.id });
    expect((await library.listImages({})).map((i) => i.id)).toEqual([style.id]);
    expect(await listDir(join(dir, 'images'))).toEqual([`${style.id}.jpg`]);
    expect(await listDir(join(dir, 'thumbnails'))).toEqual([`${style.id}.jpg`]);
    expect(await listDir(join(dir, 'renders'))).toEqual([]);
    await expect(library.deleteImage({ id: content.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(library.deletePair({ id: a.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(changes.slice(-5)).toEqual(['pairs', 'renders', 'pairs', 'renders', 'images']);
  });
});

describe('across restarts', () => {
  it('a new instance on the same folder sees every image, pair and render', async () => {
    const pair = await saveTubingenPair('Kept');
    const render = await library.addRender(newRender(pair.id, gradient(20, 10)));
    const reopened = await createLibrary({ dataDir: dir });
    expect(await reopened.listImages({})).toEqual(await library.listImages({}));
    expect(await reopened.listPairs({})).toEqual([pair]);
    expect(await reopened.listRenders({})).toEqual([render]);
    expect(await readFile(await reopened.renderFile(render.id, 'full'))).toEqual(await readFile(await library.renderFile(render.id, 'full')));
  });

  it('removes only temporary and staging leftovers at startup; unlisted files stay on disk', async () => {
    const pair = await saveTubingenPair('Kept');
    const render = await library.addRender(newRender(pair.id, gradient(20, 10)));
    const recorded = await Promise.all(['images', 'thumbnails', 'renders'].map((f) => listDir(join(dir, f))));
    const leftovers = ['renders/.0badc0de-0000.png.1a2b3c4d.tmp', 'tmp/5e1f/upload.jpg', 'library.json.123456789', 'presets.json.987654321'];
    const strangers = ['images/0123456789abcdef.jpg', 'thumbnails/0123456789abcdef.jpg', 'renders/0badc0de-0000.png'];
    for (const file of [...leftovers, ...strangers]) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), 'left by a crash, or put there by hand');
    }
    const reopened = await createLibrary({ dataDir: dir });
    expect(await Promise.all(['images', 'thumbnails', 'renders'].map((f) => listDir(join(dir, f)))))
      .toEqual(recorded.map((files, i) => [...files, strangers[i]!.split('/')[1]!].sort()));
    expect(await listDir(join(dir, 'tmp'))).toEqual([]);
    expect((await listDir(dir)).filter((name) => !name.startsWith('library.json.backup-'))).toEqual(['images', 'library.json', 'renders', 'thumbnails', 'tmp']);
    expect(await reopened.listRenders({})).toEqual([render]);
  });

  it('sets a damaged library.json aside, restores the newest backup, and says so', async () => {
    const pair = await saveTubingenPair('Kept');
    await writeFile(join(dir, 'library.json'), '{ "images": [ truncated by hand');
    const notices: NewNotice[] = [];
    const reopened = await createLibrary({ dataDir: dir, onNotice: (notice) => notices.push(notice) });
    expect((await reopened.listImages({})).map((image) => image.id).sort()).toEqual([content.id, style.id].sort());
    expect(await reopened.listPairs({})).toEqual([pair]);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.title).toBe('library.json was damaged');
    const aside = (await listDir(dir)).find((name) => name.startsWith('library.json.unreadable-'))!;
    expect(notices[0]!.message).toContain(aside);
    expect(await readFile(join(dir, aside), 'utf8')).toBe('{ "images": [ truncated by hand');
  });
});

describe('onDidChange', () => {
  it('gives each subscription its own unsubscribe, even for the same function', async () => {
    const heard: string[] = [];
    const listener = ({ what }: LibraryChange) => heard.push(what);
    const first = library.onDidChange(listener);
    const second = library.onDidChange(listener);
    first();
    await savePlainPair(library, 'one');
    second();
    await savePlainPair(library, 'two');
    expect(heard).toEqual(['pairs']);
  });
});
