import type { FileHandle } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createExporter, type ExportService } from '../../src/main/services/export/index.js';
import { ImageError } from '../../src/main/services/images/index.js';
import { fakeLibrary, RENDER_ID } from './fake-library.js';

// A full disk, a folder this process may not write to, and a drive without hard links can't be set up
// for real in a test (and root ignores permissions), so the file functions the exporter uses are
// wrapped to fail the way those do. The last test checks a read-only folder for real where it can.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, open: vi.fn(actual.open), link: vi.fn(actual.link) };
});
const actual = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

let dir: string;
let cleanup: () => Promise<void>;
let exportDir: string;
let exporter: ExportService;
beforeEach(async () => {
  const fake = await fakeLibrary();
  ({ dir, cleanup } = fake);
  exportDir = join(dir, 'exports');
  exporter = createExporter({ exportDir, library: fake.library });
});
afterEach(async () => {
  vi.mocked(fs.open).mockReset().mockImplementation(actual.open);
  vi.mocked(fs.link).mockReset().mockImplementation(actual.link);
  await cleanup();
});

const exportRender = () => exporter.render({ renderId: RENDER_ID, format: 'tiff', quality: 92, size: 'rendered', name: 'Result' });

it('a full disk: a clear message and no file, whole or partial', async () => {
  vi.mocked(fs.open).mockImplementationOnce(async (path, flags) => {
    const file = await actual.open(path, flags);
    const partial = {
      writeFile: async (data: Uint8Array) => {
        await file.write(data.subarray(0, 16));
        throw errno('ENOSPC');
      },
      sync: () => file.sync(),
      close: () => file.close(),
    };
    return partial as unknown as FileHandle;
  });

  const error = await exportRender().catch((e: unknown) => e);

  expect(error).toBeInstanceOf(ImageError);
  expect(error).toMatchObject({ code: 'IMAGE_WRITE_FAILED', message: 'Could not save "Result.tif": the disk is full' });
  expect(await fs.readdir(exportDir)).toEqual([]);
});

it('a folder it may not write to: a clear message naming the folder', async () => {
  vi.mocked(fs.open).mockRejectedValueOnce(errno('EACCES'));
  await expect(exportRender()).rejects.toMatchObject({ code: 'IMAGE_WRITE_FAILED', message: `Could not save "Result.tif": the folder "${exportDir}" is not writable` });
  expect(await fs.readdir(exportDir)).toEqual([]);
});

it('a drive without hard links: copies instead, still never overwriting', async () => {
  vi.mocked(fs.link).mockRejectedValue(errno('EPERM'));
  const names = [(await exportRender()).fileName, (await exportRender()).fileName];
  expect(names).toEqual(['Result.tif', 'Result (2).tif']);
  expect((await fs.readdir(exportDir)).sort()).toEqual(['Result (2).tif', 'Result.tif']);
});

it('an export folder that cannot be a folder (a file is in the way): a clear message', async () => {
  await fs.writeFile(exportDir, 'a file, not a folder');
  await expect(exportRender()).rejects.toMatchObject({ code: 'IMAGE_WRITE_FAILED', message: expect.stringMatching(/^Could not save "Result\.tif"/) });
  expect(await fs.readFile(exportDir, 'utf8')).toBe('a file, not a folder');
});

it.skipIf(process.getuid?.() === 0)('a read-only folder, for real: a clear message and no file', async () => {
  await fs.mkdir(exportDir, { mode: 0o555 });
  await expect(exportRender()).rejects.toMatchObject({ code: 'IMAGE_WRITE_FAILED', message: `Could not save "Result.tif": the folder "${exportDir}" is not writable` });
  await fs.chmod(exportDir, 0o755);
  expect(await fs.readdir(exportDir)).toEqual([]);
});
