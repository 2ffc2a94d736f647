import type { OutputInfo, Sharp } from 'sharp';
import type { RgbImage } from '../../../common/progress.js';
import { loadSharp } from './sharp.js';
import { fitLongSide } from '../../engine/index.js';

/** A size to resize to: the long side (aspect ratio kept), or an exact width and height. */
export type ResizeTarget = { longSide: number } | { width: number; height: number };

/** Throws a RangeError unless `value` is a usable pixel count for a side. */
export function assertSide(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive whole number of pixels, got ${value}`);
  }
}

/** Opens an RgbImage as a sharp pipeline, checking that its buffer matches its size. */
export async function rgbPipeline(image: RgbImage): Promise<Sharp> {
  const { width, height, data } = image;
  assertSide(width, 'width');
  assertSide(height, 'height');
  if (data.length !== width * height * 3) {
    throw new RangeError(`RGB image of ${width}×${height} needs ${width * height * 3} bytes, got ${data.length}`);
  }
  const sharp = await loadSharp();
  return sharp(data, { raw: { width, height, channels: 3 } });
}

/** Wraps sharp's raw output as an RgbImage. */
export function toRgbImage(data: Buffer, info: OutputInfo): RgbImage {
  if (info.channels !== 3) throw new Error(`Expected 3 channels from the decoder, got ${info.channels}`);
  // A plain Uint8Array view rather than the Buffer itself: Buffer's slice() shares memory where
  // Uint8Array's copies, and callers treat `data` as an ordinary typed array.
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Resizes up or down with a Lanczos-3 kernel, which keeps brush-stroke detail sharp without ringing much. */
export async function resizeImage(image: RgbImage, target: ResizeTarget): Promise<RgbImage> {
  let size: { width: number; height: number };
  if ('longSide' in target) {
    assertSide(target.longSide, 'longSide');
    size = fitLongSide(image.width, image.height, target.longSide);
  } else {
    assertSide(target.width, 'width');
    assertSide(target.height, 'height');
    size = { width: target.width, height: target.height };
  }
  const { data, info } = await (await rgbPipeline(image))
    .resize({ ...size, fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return toRgbImage(data, info);
}
