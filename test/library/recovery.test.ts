// A catalog people can trust: whatever happens to library.json (deleted, damaged, replaced by an older
// copy, its backups gone too), opening the library deletes no imported image and no render, lists them
// again, and says what it recovered.
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageAsset, NewNotice, Pair, RenderRecord } from '../../src/common/contract/index.js';
import { createLibrary, type Library } from '../../src/main/services/library/index.js';
import { STORE_BACKUPS } from '../../src/main/services/store/index.js';
import { gradient, listDir, makeTempDir, newRender, STARRY_NIGHT, TUBINGEN, upload } from './support.js';

let dir: string;
let cleanup: () => Promise<void>;
let library: Library;
let content: ImageAsset;
let style: ImageAsset;
let pair: Pair;
let render: RenderRecord;
/** Every file of the library's folders, before anything happens to the catalog. */
let files: string[];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('atelier-recovery-'));
  library = await createLibrary({ dataDir: dir });
  ({ image: content } = await library.importImage(await upload(TUBINGEN, 'tübingen.jpg')));
  ({ image: style } = await library.importImage(await upload(STARRY_NIGHT)));
  pair = await library.savePair({ name: 'Night', contentId: content.id, styles: [{ imageId: style.id, weight: 1 }], settings: { size: 64 }, presetId: null });
  render = await library.addRender(newRender(pair.id, gradient(24, 16)));
  files = await libraryFiles();
});
afterEach(() => cleanup());

async function libraryFiles(): Promise<string[]> {
  const listed = await Promise.all(['images', 'thumbnails', 'renders'].map(async (f) => (await listDir(join(dir, f))).map((name) => `${f}/${name}`)));
  return listed.flat();
}

async function reopen(): Promise<{ library: Library; notices: NewNotice[] }> {
  const notices: NewNotice[] = [];
  return { library: await createLibrary({ dataDir: dir, onNotice: (notice) => notices.push(notice) }), notices };
}

async function removeBackups(): Promise<void> {
  for (let n = 1; n <= STORE_BACKUPS; n++) await rm(join(dir, `library.json.backup-${n}`), { force: true });
}

describe('a missing library.json', () => {
  it('is restored from its newest backup: every record as it was', async () => {
    await rm(join(dir, 'library.json'));
    const { library: reopened, notices } = await reopen();
    expect(await reopened.listImages({})).toEqual(await library.listImages({}));
    expect(await reopened.listPairs({})).toEqual([pair]);
    expect(await reopened.listRenders({})).toEqual([render]);
    expect(await libraryFiles()).toEqual(files);
    expect(notices.map((n) => n.title)).toEqual(['library.json was missing']);
    expect(notices[0]!.message).toMatch(/library\.json\.backup-1.* was restored/);
  });

  it('without any backup, lists every picture on disk again: images by content, renders and their pair from their own files', async () => {
    await rm(join(dir, 'library.json'));
    await removeBackups();
    const { library: reopened, notices } = await reopen();
    const images = await reopened.listImages({});
    expect(images.map((image) => image.id).sort()).toEqual([content.id, style.id].sort());
    expect(images.find((image) => image.id === content.id)).toMatchObject({ name: `Recovered image ${content.id.slice(0, 8)}.jpg`, width: content.width, format: 'jpeg' });
    expect(await reopened.listPairs({})).toEqual([pair]);
    expect(await reopened.listRenders({})).toEqual([render]);
    expect(await libraryFiles()).toEqual(files);
    expect(notices.map((n) => n.title)).toEqual(['Pictures recovered']);
    expect(notices[0]!.message).toBe('2 images, 1 render, 1 pair found in the library folder but missing from its list are back in the library.');
    expect(notices[0]!.details).toContain('Pair: Night');
  });

  it('with thumbnails gone too, makes them again', async () => {
    await rm(join(dir, 'library.json'));
    await removeBackups();
    await rm(join(dir, 'thumbnails'), { recursive: true });
    await rm(join(dir, 'renders', `${render.id}.thumb.jpg`));
    const { library: reopened } = await reopen();
    expect(await reopened.listRenders({})).toHaveLength(1);
    expect(await libraryFiles()).toEqual(files);
  });
});

describe('an older library.json put back by hand', () => {
  it('keeps every newer file and lists it again, under the names the backups knew', async () => {
    // The catalog as it was after the first import only: one image, no pair, no render.
    const older = JSON.parse(await readFile(join(dir, 'library.json'), 'utf8')) as { images: ImageAsset[] };
    await writeFile(join(dir, 'library.json'), JSON.stringify({ version: 1, images: older.images.slice(0, 1), pairs: [], renders: [] }));
    const { library: reopened, notices } = await reopen();
    expect((await reopened.listImages({})).sort((a, b) => a.id.localeCompare(b.id))).toEqual([content, style].sort((a, b) => a.id.localeCompare(b.id)));
    expect(await reopened.listPairs({})).toEqual([pair]);
    expect(await reopened.listRenders({})).toEqual([render]);
    expect(await libraryFiles()).toEqual(files);
    expect(notices.map((n) => n.title)).toEqual(['Pictures recovered']);
  });
});

describe('a damaged library.json', () => {
  it.each([
    ['valid JSON of the wrong shape', '{"version":1}'],
    ['truncated', '{ "version": 1, "images": [ {"id": "'],
    ['empty', ''],
  ])('(%s) is set aside untouched; the backup is restored and nothing is lost', async (_, text) => {
    await writeFile(join(dir, 'library.json'), text);
    const { library: reopened, notices } = await reopen();
    expect(await reopened.listRenders({})).toEqual([render]);
    expect(await libraryFiles()).toEqual(files);
    const aside = (await listDir(dir)).filter((name) => name.startsWith('library.json.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(dir, aside[0]!), 'utf8')).toBe(text);
    expect(notices.map((n) => n.title)).toEqual(['library.json was damaged']);
    expect(notices[0]!.message).toContain(aside[0]);
  });

  it('with damaged backups as well, uses the newest backup that validates', async () => {
    await writeFile(join(dir, 'library.json'), 'garbage');
    await writeFile(join(dir, 'library.json.backup-1'), 'also garbage');
    const { library: reopened, notices } = await reopen();
    expect(notices[0]!.message).toContain('library.json.backup-2');
    // backup-2 predates the render's record; the render is listed again from its own file.
    expect(await reopened.listRenders({})).toEqual([render]);
    expect(notices.map((n) => n.title)).toEqual(['library.json was damaged', 'Pictures recovered']);
  });
});

describe('files no record can explain', () => {
  it('are left on disk, untouched, and named in the notice', async () => {
    const stranger = join(dir, 'images', `${'0'.repeat(64)}.jpg`);
    await copyFile(TUBINGEN, stranger);
    const oldRender = join(dir, 'renders', '00000000-0000-4000-8000-000000000000.png');
    await copyFile(await library.renderFile(render.id, 'thumbnail'), oldRender);
    const { library: reopened, notices } = await reopen();
    expect(await reopened.listImages({})).toHaveLength(2);
    expect(await readFile(stranger)).toEqual(await readFile(TUBINGEN));
    expect(await listDir(join(dir, 'renders'))).toContain('00000000-0000-4000-8000-000000000000.png');
    expect(notices[0]!.message).toBe('2 files could not be listed and were left on disk, untouched.');
    expect(notices[0]!.details).toEqual([
      `Left on disk: images/${'0'.repeat(64)}.jpg: its contents do not match its name`,
      'Left on disk: renders/00000000-0000-4000-8000-000000000000.png: it carries no record of how it was made (an older version of Atelier wrote it)',
    ]);
  });
});

describe('a delete cut short', () => {
  it('is finished at startup, but never removes a file a record lists again', async () => {
    // As a crash right after the delete's save leaves it: records gone, files still there, named as pending.
    const doc = JSON.parse(await readFile(join(dir, 'library.json'), 'utf8'));
    doc.renders = [];
    doc.pendingRemovals = [`renders/${render.id}.png`, `renders/${render.id}.thumb.jpg`, `images/${content.id}.jpg`, '../outside.txt'];
    await writeFile(join(dir, 'library.json'), JSON.stringify(doc));
    await writeFile(join(dir, '..', 'outside.txt'), 'not ours').catch(() => undefined);
    const { library: reopened, notices } = await reopen();
    expect(await reopened.listRenders({})).toEqual([]);
    expect(await listDir(join(dir, 'renders'))).toEqual([]);
    // Listed by a record: kept whatever the journal says; outside the data folder: never touched.
    expect(await listDir(join(dir, 'images'))).toContain(`${content.id}.jpg`);
    expect(notices).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'library.json'), 'utf8')).pendingRemovals).toEqual([]);
  });
});
