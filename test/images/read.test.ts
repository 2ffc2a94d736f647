import { mkdir, readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtelierError, errorData } from '../../src/common/errors.js';
import { ImageError, readImage, type ImageErrorCode } from '../../src/main/services/images/index.js';
import { TUBINGEN, makeTempDir, pixel, pngClaimingSize, put } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await makeTempDir()));
afterAll(() => cleanup());

async function expectImageError(promise: Promise<unknown>, code: ImageErrorCode, fileName: string): Promise<ImageError> {
  const error = await promise.then(
    () => expect.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageError);
  const imageError = error as ImageError;
  expect(imageError.code).toBe(code);
  expect(imageError.message).toContain(`"${fileName}"`);
  return imageError;
}

describe('readImage', () => {
  it('decodes a JPEG into 8-bit RGB with its original size and format', async () => {
    const { image, originalWidth, originalHeight, format } = await readImage(TUBINGEN);
    expect(format).toBe('jpeg');
    expect([image.width, image.height]).toEqual([1024, 768]);
    expect([originalWidth, originalHeight]).toEqual([1024, 768]);
    expect(image.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(image.data)).toBe(false);
    expect(image.data.length).toBe(1024 * 768 * 3);
  });

  it.each([
    ['png', (s: sharp.Sharp) => s.png()],
    ['webp', (s: sharp.Sharp) => s.webp()],
    ['tiff', (s: sharp.Sharp) => s.tiff()],
    ['gif', (s: sharp.Sharp) => s.gif()],
    ['avif', (s: sharp.Sharp) => s.avif()],
  ] as const)('reads %s', async (format, encode) => {
    const path = await put(dir, `sample.${format}`, await encode(sharp(TUBINGEN).resize(96)).toBuffer());
    const decoded = await readImage(path);
    expect(decoded.format).toBe(format);
    expect([decoded.image.width, decoded.image.height]).toEqual([96, 72]);
  });

  it('reads the first frame of an animated GIF', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 8, height: 4, channels: 3, background } }).png().toBuffer();
    const gif = await sharp([await frame('red'), await frame('blue')], { join: { animated: true } }).gif().toBuffer();
    const { image } = await readImage(await put(dir, 'animated.gif', gif));
    expect([image.width, image.height]).toEqual([8, 4]);
    expect(pixel(image, 7, 3)).toEqual([255, 0, 0]);
  });

  it('applies EXIF orientation 6 (rotate 90° clockwise)', async () => {
    // Stored 40×20: red left half, blue right half. Turned clockwise, the left half ends up on top.
    const stored = await sharp({ create: { width: 40, height: 20, channels: 3, background: 'blue' } })
      .composite([{ input: { create: { width: 20, height: 20, channels: 3, background: 'red' } }, left: 0, top: 0 }])
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(stored).metadata()).orientation).toBe(6);

    const { image, originalWidth, originalHeight } = await readImage(await put(dir, 'rotated.jpg', stored));
    expect([image.width, image.height]).toEqual([20, 40]);
    expect([originalWidth, originalHeight]).toEqual([20, 40]);
    const [r, , b] = pixel(image, 10, 5);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(50);
    expect(pixel(image, 10, 35)[2]).toBeGreaterThan(200);
  });

  it('flattens transparency onto white', async () => {
    const clear = await sharp({ create: { width: 4, height: 4, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const { image } = await readImage(await put(dir, 'clear.png', clear));
    expect(image.data.every((v) => v === 255)).toBe(true);

    const halfRed = await sharp({ create: { width: 2, height: 2, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } })
      .png()
      .toBuffer();
    const [r, g, b] = pixel((await readImage(await put(dir, 'half-red.png', halfRed))).image, 0, 0);
    expect(r).toBe(255);
    expect(g).toBeGreaterThan(120);
    expect(g).toBeLessThan(135);
    expect(b).toBe(g);
  });

  it('turns 16-bit greyscale into 8-bit RGB', async () => {
    const grey16 = await sharp({ create: { width: 3, height: 2, channels: 3, background: { r: 200, g: 200, b: 200 } } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    expect((await sharp(grey16).metadata()).depth).toBe('ushort');
    const { image } = await readImage(await put(dir, 'grey16.png', grey16));
    expect(image.data.length).toBe(3 * 2 * 3);
    expect(pixel(image, 2, 1)).toEqual([200, 200, 200]);
  });

  it('converts an embedded colour profile to sRGB', async () => {
    const p3 = await sharp({ create: { width: 2, height: 2, channels: 3, background: { r: 255, g: 0, b: 0 } } })
      .withIccProfile('p3')
      .png()
      .toBuffer();
    const { image } = await readImage(await put(dir, 'p3.png', p3));
    expect(pixel(image, 0, 0)).toEqual([255, 0, 0]);
  });

  it('downsizes to maxLongSide keeping the aspect ratio, and never upsizes', async () => {
    const small = await readImage(TUBINGEN, { maxLongSide: 256 });
    expect([small.image.width, small.image.height]).toEqual([256, 192]);
    expect([small.originalWidth, small.originalHeight]).toEqual([1024, 768]);

    const portrait = await put(dir, 'portrait.png', await sharp(TUBINGEN).rotate(90).png().toBuffer());
    const tall = await readImage(portrait, { maxLongSide: 300 });
    expect([tall.image.width, tall.image.height]).toEqual([225, 300]);

    const big = await readImage(TUBINGEN, { maxLongSide: 4000 });
    expect([big.image.width, big.image.height]).toEqual([1024, 768]);
  });

  it('rejects a maxLongSide that is not a positive whole number', async () => {
    await expect(readImage(TUBINGEN, { maxLongSide: 0 })).rejects.toThrow(RangeError);
  });
});

describe('readImage errors', () => {
  it('IMAGE_NOT_FOUND for a missing file', async () => {
    await expectImageError(readImage(`${dir}/missing.jpg`), 'IMAGE_NOT_FOUND', 'missing.jpg');
  });

  it('IMAGE_EMPTY for a zero-byte file', async () => {
    await expectImageError(readImage(await put(dir, 'empty.png', '')), 'IMAGE_EMPTY', 'empty.png');
  });

  it('IMAGE_UNREADABLE for a text file named .jpg, keeping sharp’s error as the cause', async () => {
    const path = await put(dir, 'notes.jpg', 'shopping list: eggs, paint\n');
    const error = await expectImageError(readImage(path), 'IMAGE_UNREADABLE', 'notes.jpg');
    expect(error.message).toBe('"notes.jpg" is not an image Atelier can read (JPEG, PNG, WebP, TIFF, GIF, AVIF)');
    expect(error.path).toBe(path);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(AtelierError);
    expect(errorData(error)).toEqual({ code: 'IMAGE_UNREADABLE', message: error.message });
  });

  it('IMAGE_UNREADABLE for a truncated JPEG', async () => {
    const jpeg = await readFile(TUBINGEN);
    const path = await put(dir, 'cut.jpg', jpeg.subarray(0, jpeg.length / 2));
    const error = await expectImageError(readImage(path), 'IMAGE_UNREADABLE', 'cut.jpg');
    expect(error.message).toMatch(/damaged or incomplete/);
    expect(error.message).not.toMatch(/Vips/);
  });

  it('IMAGE_UNREADABLE for a readable format Atelier does not accept (SVG)', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    await expectImageError(readImage(await put(dir, 'drawing.svg', svg)), 'IMAGE_UNREADABLE', 'drawing.svg');
  });

  it('IMAGE_UNREADABLE for a folder', async () => {
    await mkdir(`${dir}/folder.png`);
    await expectImageError(readImage(`${dir}/folder.png`), 'IMAGE_UNREADABLE', 'folder.png');
  });

  it('IMAGE_TOO_LARGE from the header alone for a 30000×30000 PNG', async () => {
    const path = await put(dir, 'huge.png', await pngClaimingSize(30_000, 30_000));
    const error = await expectImageError(readImage(path), 'IMAGE_TOO_LARGE', 'huge.png');
    expect(error.message).toContain('30000 × 30000 px');
    expect(error.message).toContain('100 megapixels');
  });

  it('IMAGE_TOO_LARGE for a side over 20,000 px even when the pixel count is small', async () => {
    const path = await put(dir, 'strip.png', await pngClaimingSize(25_000, 2));
    await expectImageError(readImage(path), 'IMAGE_TOO_LARGE', 'strip.png');
  });

  it('IMAGE_TOO_LARGE honours custom limits', async () => {
    await expectImageError(readImage(TUBINGEN, { maxInputPixels: 500_000 }), 'IMAGE_TOO_LARGE', 'tubingen.jpg');
    await expectImageError(readImage(TUBINGEN, { maxInputSide: 1000 }), 'IMAGE_TOO_LARGE', 'tubingen.jpg');
  });
});
