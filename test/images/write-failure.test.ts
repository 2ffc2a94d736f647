import type { FileHandle } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ImageError, writeImage } from '../../src/main/services/images/index.js';
import { gradient, listDir, makeTempDir, put } from './fixtures.js';

// The disk filling up mid-write can't be arranged for real in a test, so `open` is wrapped to
// hand back a file that takes a few bytes and then fails the way a full disk does.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, open: vi.fn(actual.open) };
});

/** Only the FileHandle methods writeImage uses. */
function fullDisk(file: FileHandle): FileHandle {
  const partial = {
    writeFile: async (data: Uint8Array) => {
      await file.write(data.subarray(0, 16));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
    sync: () => file.sync(),
    close: () => file.close(),
  };
  return partial as unknown as FileHandle;
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

it('IMAGE_WRITE_FAILED on a full disk, keeping the old file and leaving no partial one', async () => {
  const realOpen = (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).open;
  vi.mocked(fs.open).mockImplementationOnce(async (path, flags) => fullDisk(await realOpen(path, flags)));
  const path = await put(dir, 'out.png', 'previous render');

  const error = await writeImage(path, gradient(32, 32)).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(ImageError);
  expect(error).toMatchObject({ code: 'IMAGE_WRITE_FAILED', message: 'Could not save "out.png": the disk is full' });
  expect((error as ImageError).cause).toMatchObject({ code: 'ENOSPC' });
  expect(vi.mocked(fs.open)).toHaveBeenCalledOnce();
  expect(await listDir(dir)).toEqual(['out.png']);
  expect(await fs.readFile(path, 'utf8')).toBe('previous render');
});
