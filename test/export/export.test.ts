import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, type ExportRequest } from '../../src/common/contract/index.js';
import { createExporter, type ExportLibrary, type ExportService } from '../../src/main/services/export/index.js';
import { readImage } from '../../src/main/services/images/index.js';
import { CONTENT, fakeLibrary, PAIR_NAME, RENDER_ID, RENDERED, TEXTURE_RENDER_ID } from './fake-library.js';

let library: ExportLibrary;
let dir: string;
let cleanup: () => Promise<void>;
let exportDir: string;
let exporter: ExportService;
beforeEach(async () => {
  ({ library, dir, cleanup } = await fakeLibrary());
  exportDir = join(dir, 'exports');
  exporter = createExporter({ exportDir, library });
});
afterEach(() => cleanup());

/** The request as the dispatcher hands it over, defaults applied. */
const exportRender = (request: Partial<ExportRequest> = {}) =>
  exporter.render({ renderId: RENDER_ID, format: 'png', quality: 92, size: 'rendered', name: 'Result', ...request });

const upload = async (path: string) => ({ name: 'dropped.file', dataBase64: (await readFile(path)).toString('base64') });

describe('export.render', () => {
  it.each(EXPORT_FORMATS)('%s: writes the render with its settings and pair name, which readSettings gets back', async (format) => {
    const result = await exportRender({ format, name: `Result ${format}` });

    const extension = { png: '.png', jpeg: '.jpg', webp: '.webp', tiff: '.tif', avif: '.avif' }[format];
    expect(result).toEqual({ path: join(exportDir, `Result ${format}${extension}`), fileName: `Result ${format}${extension}`, bytes: (await stat(result.path)).size });
    const metadata = await sharp(result.path).metadata();
    expect(metadata).toMatchObject({ format: format === 'avif' ? 'heif' : format, ...RENDERED });
    expect(metadata.xmp?.toString('utf8')).toContain('xmp:CreatorTool="Atelier"');

    const { settings } = await library.getRender(RENDER_ID);
    expect(await exporter.readSettings(await upload(result.path))).toEqual({ settings, pairName: PAIR_NAME });
  });

  it('"original" upscales to the content photo\'s size with Lanczos, keeping the picture', async () => {
    const result = await exportRender({ size: 'original' });
    const { image } = await readImage(result.path);
    expect([image.width, image.height]).toEqual([CONTENT.width, CONTENT.height]);
    // The render is a left-to-right gradient: the upscale keeps both ends and the middle.
    const red = (x: number) => image.data[(10 * image.width + x) * 3]!;
    expect(red(0)).toBeLessThan(10);
    expect(red(image.width - 1)).toBeGreaterThan(245);
    expect(Math.abs(red(image.width / 2) - 128)).toBeLessThan(8);
  });

  it('"original" for a texture, which has no content photo, says so', async () => {
    await expect(exportRender({ renderId: TEXTURE_RENDER_ID, size: 'original' })).rejects.toMatchObject({ code: 'NO_ORIGINAL_SIZE', message: expect.stringContaining('"Just texture" has no content photo') });
  });

  it('never overwrites: the same name three times gives three files, and a file already there is kept', async () => {
    await mkdir(exportDir);
    await writeFile(join(exportDir, 'Result.png'), 'not mine to replace');

    const names = [];
    for (let i = 0; i < 3; i++) names.push((await exportRender()).fileName);

    expect(names).toEqual(['Result (2).png', 'Result (3).png', 'Result (4).png']);
    expect(await readFile(join(exportDir, 'Result.png'), 'utf8')).toBe('not mine to replace');
    expect((await readdir(exportDir)).sort()).toEqual(['Result (2).png', 'Result (3).png', 'Result (4).png', 'Result.png']);
  });

  it('exports of one name at the same time each get their own file, and no temporary file stays', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => exportRender({ format: 'jpeg' })));
    expect(new Set(results.map((r) => r.fileName)).size).toBe(5);
    expect((await readdir(exportDir)).sort()).toEqual(['Result (2).jpg', 'Result (3).jpg', 'Result (4).jpg', 'Result (5).jpg', 'Result.jpg']);
  });

  it('sanitizes the name and creates the export folder', async () => {
    const result = await exportRender({ name: '../../etc/CON' });
    expect(result.fileName).toBe('_.._etc_CON.png');
    expect(result.path).toBe(join(exportDir, '_.._etc_CON.png'));
  });
});

describe('export.readSettings', () => {
  it('an image from elsewhere carries no settings: NO_SETTINGS', async () => {
    const foreign = join(dir, 'holiday.jpg');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: 'teal' } }).jpeg().toFile(foreign);
    await expect(exporter.readSettings({ ...(await upload(foreign)), name: 'holiday.jpg' })).rejects.toMatchObject({
      code: 'NO_SETTINGS',
      message: '"holiday.jpg" was not exported by Atelier (it carries no render settings)',
    });
  });

  it('another program\'s XMP is not ours: NO_SETTINGS', async () => {
    const xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Other"/></rdf:RDF></x:xmpmeta>';
    const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'teal' } }).withXmp(xmp).png().toBuffer();
    await expect(exporter.readSettings({ name: 'x.png', dataBase64: bytes.toString('base64') })).rejects.toMatchObject({ code: 'NO_SETTINGS' });
  });

  it('reads a packet another tool rewrote: another prefix, characters as named and numeric references', async () => {
    const json = JSON.stringify({ settings: { styleWeight: 4e-3 }, pairName: 'A & <B>' }).replace(/"/g, '&quot;').replace(/&(?!quot;)/g, '&#38;').replace(/</g, '&#x3C;').replace(/>/g, '&gt;');
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:at='urn:atelier:xmp:1#'><at:render>${json}</at:render></rdf:Description></rdf:RDF></x:xmpmeta>`;
    const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'teal' } }).withXmp(xmp).png().toBuffer();
    const read = await exporter.readSettings({ name: 'x.png', dataBase64: bytes.toString('base64') });
    expect(read.pairName).toBe('A & <B>');
    expect(read.settings.styleWeight).toBe(4e-3);
  });

  it('our element under another prefix, with settings this version refuses: BAD_SETTINGS naming the field', async () => {
    const json = JSON.stringify({ settings: { styleWeight: 1e-3, brushSize: 3 }, pairName: null }).replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:a1="urn:atelier:xmp:1#"><a1:render>${json}</a1:render></rdf:Description></rdf:RDF></x:xmpmeta>`;
    const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'teal' } }).withXmp(xmp).webp().toBuffer();
    await expect(exporter.readSettings({ name: 'x.webp', dataBase64: bytes.toString('base64') })).rejects.toMatchObject({
      code: 'BAD_SETTINGS',
      message: expect.stringMatching(/^"x\.webp" carries Atelier settings this version cannot use \(settings: Unrecognized key: "brushSize"\)$/),
    });
  });

  it('bytes that are not an image get the images service\'s own message', async () => {
    const path = join(dir, 'notes.png');
    await writeFile(path, 'just some text');
    const fromImages = await readImage(path).catch((error: unknown) => error);

    const error = await exporter.readSettings({ name: 'notes.png', dataBase64: Buffer.from('just some text').toString('base64') }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'IMAGE_UNREADABLE', message: (fromImages as Error).message });
  });

  it('an empty upload is IMAGE_EMPTY', async () => {
    await expect(exporter.readSettings({ name: 'empty.png', dataBase64: '' })).rejects.toMatchObject({ code: 'IMAGE_EMPTY', message: '"empty.png" is empty (0 bytes)' });
  });
});
