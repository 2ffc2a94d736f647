import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  encodeImage,
  encodePreview,
  ImageError,
  readImage,
  resizeImage,
  writeImage,
} from '../../src/main/services/images/index.js';
import { canMount, mountSmallDisk } from '../support/small-disk.js';
import { gradient, listDir, makeTempDir, meanAbsoluteDifference, pixel, put, solid } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

const picture = gradient(64, 48);

describe('writeImage', () => {
  it.each([
    ['out.png', 'png', 0],
    ['out.tiff', 'tiff', 0],
    ['out.jpg', 'jpeg', 3],
    ['out.webp', 'webp', 3],
    ['out.avif', 'avif', 4],
  ] as const)('round-trips %s', async (name, format, tolerance) => {
    const path = join(dir, name);
    await writeImage(path, picture);
    const decoded = await readImage(path);
    expect(decoded.format).toBe(format);
    expect([decoded.image.width, decoded.image.height]).toEqual([64, 48]);
    expect(meanAbsoluteDifference(decoded.image, picture)).toBeLessThanOrEqual(tolerance);
    expect(await listDir(dir)).toEqual([name]);
  });

  it('uses the format option over the extension', async () => {
    const path = join(dir, 'picture.img');
    await writeImage(path, picture, { format: 'png' });
    expect((await sharp(path).metadata()).format).toBe('png');
  });

  it('applies quality to lossy formats', async () => {
    const low = await encodeImage(picture, { format: 'jpeg', quality: 10 });
    const high = await encodeImage(picture, { format: 'jpeg', quality: 100 });
    expect(low.length).toBeLessThan(high.length);
  });

  it('replaces an existing file', async () => {
    const path = await put(dir, 'out.png', 'old contents');
    await writeImage(path, solid(2, 2, [0, 255, 0]));
    expect(pixel((await readImage(path)).image, 1, 1)).toEqual([0, 255, 0]);
    expect(await listDir(dir)).toEqual(['out.png']);
  });

  it('IMAGE_WRITE_FAILED for an extension it cannot write', async () => {
    const error = await writeImage(join(dir, 'out.bmp'), picture).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toMatchObject({ code: 'IMAGE_WRITE_FAILED', message: expect.stringContaining('"out.bmp"') });
    expect(await listDir(dir)).toEqual([]);
  });

  it('IMAGE_WRITE_FAILED for a folder that does not exist', async () => {
    const path = join(dir, 'nowhere', 'out.png');
    const error = await writeImage(path, picture).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toMatchObject({
      code: 'IMAGE_WRITE_FAILED',
      path,
      message: `Could not save "out.png": the folder "${join(dir, 'nowhere')}" does not exist`,
    });
    expect(await listDir(dir)).toEqual([]);
  });

  it('IMAGE_WRITE_FAILED when a file stands where the folder should be', async () => {
    await put(dir, 'blocker', 'not a folder');
    const error = await writeImage(join(dir, 'blocker', 'out.png'), picture).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IMAGE_WRITE_FAILED', message: expect.stringContaining('"out.png"') });
    expect(await listDir(dir)).toEqual(['blocker']);
  });

  // Root ignores folder permissions, so this only means something for an ordinary user.
  it.skipIf(process.getuid?.() === 0)('IMAGE_WRITE_FAILED for a read-only folder, leaving nothing behind', async () => {
    await chmod(dir, 0o555);
    try {
      const error = await writeImage(join(dir, 'out.png'), picture).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'IMAGE_WRITE_FAILED', message: expect.stringContaining('is not writable') });
      expect(await listDir(dir)).toEqual([]);
    } finally {
      await chmod(dir, 0o755);
    }
  });

  // Real small file systems refuse root too (see small-disk.ts).
  it.skipIf(!canMount)('IMAGE_WRITE_FAILED on a read-only file system, even for root (needs tmpfs mounts)', async () => {
    const disk = await mountSmallDisk(256, { readOnly: true });
    try {
      const error = await writeImage(join(disk.dir, 'out.png'), picture).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'IMAGE_WRITE_FAILED', message: `Could not save "out.png": the folder "${disk.dir}" is not writable` });
      expect(await listDir(disk.dir)).toEqual([]);
    } finally {
      await disk.dispose();
    }
  });

  it.skipIf(!canMount)('IMAGE_WRITE_FAILED on a really full disk, keeping the old file and no partial one (needs tmpfs mounts)', async () => {
    const disk = await mountSmallDisk(256);
    try {
      const path = await put(disk.dir, 'out.png', 'previous render');
      await disk.fill();
      const error = await writeImage(path, gradient(64, 64)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'IMAGE_WRITE_FAILED', message: 'Could not save "out.png": the disk is full' });
      expect((await listDir(disk.dir)).filter((f) => !f.startsWith('filler-'))).toEqual(['out.png']);
      expect(await readFile(path, 'utf8')).toBe('previous render');
    } finally {
      await disk.dispose();
    }
  });
});

describe('encodePreview', () => {
  it('makes a JPEG no larger than 256 px on its long side, keeping the aspect ratio', async () => {
    const preview = await encodePreview(gradient(800, 400));
    expect([...preview.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const { format, width, height } = await sharp(preview).metadata();
    expect([format, width, height]).toEqual(['jpeg', 256, 128]);
  });

  it('does not enlarge a small image', async () => {
    const { width, height } = await sharp(await encodePreview(gradient(100, 60))).metadata();
    expect([width, height]).toEqual([100, 60]);
  });
});

describe('resizeImage', () => {
  it('scales down and up by the long side, keeping the aspect ratio', async () => {
    const down = await resizeImage(picture, { longSide: 32 });
    expect([down.width, down.height, down.data.length]).toEqual([32, 24, 32 * 24 * 3]);
    const up = await resizeImage(gradient(30, 60), { longSide: 120 });
    expect([up.width, up.height]).toEqual([60, 120]);
  });

  it('resizes to an exact size, so a result can return to its original dimensions', async () => {
    const back = await resizeImage(await resizeImage(picture, { longSide: 37 }), { width: 64, height: 48 });
    expect([back.width, back.height]).toEqual([64, 48]);
    expect(meanAbsoluteDifference(back, picture)).toBeLessThan(3);
  });

  it('keeps solid colours exact', async () => {
    const resized = await resizeImage(solid(10, 10, [12, 34, 56]), { longSide: 33 });
    expect(pixel(resized, 16, 16)).toEqual([12, 34, 56]);
  });

  it('rejects bad sizes and mismatched buffers', async () => {
    await expect(resizeImage(picture, { longSide: 0 })).rejects.toThrow(RangeError);
    await expect(resizeImage({ width: 4, height: 4, data: new Uint8Array(5) }, { longSide: 2 })).rejects.toThrow(RangeError);
  });
});

describe('encodeImage', () => {
  it('encodes PNG losslessly', async () => {
    const png = await encodeImage(picture, { format: 'png' });
    const decoded = await sharp(png).raw().toBuffer();
    expect(Buffer.compare(decoded, Buffer.from(picture.data))).toBe(0);
  });
});
